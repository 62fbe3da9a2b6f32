from django.urls import path

from jobmaal.web.followup import alert_views, documents, views

app_name = "followup"
plan = "<int:code>/<int:year>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(plan, views.plan_detail, name="plan"),
    path(plan + "opret/", views.create, name="create"),
    path(plan + "maal/<int:goal>/", views.goal_text, name="goal_text"),
    path(plan + "maaltal/<str:indicator_id>/", views.target, name="target"),
    path(plan + "maaltal/<str:indicator_id>/slet/", views.target_delete, name="target_delete"),
    path(plan + "lokal/ny/", views.local_indicator, name="local_new"),
    path(plan + "lokal/<int:pk>/", views.local_indicator, name="local_edit"),
    path(plan + "lokal/<int:pk>/slet/", views.local_delete, name="local_delete"),
    path(plan + "lokal/<int:pk>/vaerdi/", views.local_value, name="local_value"),
    path(plan + "vaerdi/<int:pk>/slet/", views.local_value_delete, name="local_value_delete"),
    path(plan + "status/<str:action>/", views.transition, name="transition"),
    path(plan + "historik/", views.history, name="history"),
    path(plan + "plan.<str:fmt>", documents.plan_document, name="document"),
    path("national-<int:year>.pdf", documents.national_pdf, name="national_pdf"),
    path("varsler/", alert_views.subscriptions, name="subscriptions"),
    path("varsler/afmeld/<str:token>/", alert_views.unsubscribe, name="unsubscribe"),
]
