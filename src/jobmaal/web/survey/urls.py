from django.urls import path

from jobmaal.web.survey import views

app_name = "survey"
skema = "skema/<int:qid>/"
runde = "runde/<int:rid>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("skema/ny/", views.questionnaire_new, name="questionnaire_new"),
    path(skema, views.questionnaire_detail, name="questionnaire"),
    path(skema + "ret/", views.questionnaire_edit, name="questionnaire_edit"),
    path(skema + "afsnit/ny/", views.section_edit, name="section_new"),
    path(skema + "afsnit/<int:sid>/", views.section_edit, name="section_edit"),
    path(skema + "afsnit/<int:sid>/slet/", views.section_delete, name="section_delete"),
    path(skema + "spoergsmaal/ny/", views.question_edit, name="question_new"),
    path(skema + "spoergsmaal/<int:pk>/", views.question_edit, name="question_edit"),
    path(skema + "spoergsmaal/<int:pk>/slet/", views.question_delete, name="question_delete"),
    path(skema + "kopier/", views.questionnaire_copy, name="questionnaire_copy"),
    path(skema + "runde/", views.round_new, name="round_new"),
    path(skema + "indlaes/", views.round_import, name="round_import"),
    path(runde + "status/", views.round_status, name="status"),
    path(runde + "status.<str:fmt>", views.round_status_download, name="status_download"),
    path(runde + "datoer/", views.round_dates, name="round_dates"),
    path(runde + "luk/", views.round_close, name="round_close"),
    path(runde + "kommune/<int:code>/", views.answer, name="answer"),
    path(runde + "kommune/<int:code>/genaabn/", views.answer_reopen, name="answer_reopen"),
    path(runde + "resultater/", views.results_page, name="results"),
    path(runde + "resultater.<str:fmt>", views.results_download, name="results_download"),
    path(runde + "svar.<str:fmt>", views.answers_download, name="answers_download"),
]
