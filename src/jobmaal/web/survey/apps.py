from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "jobmaal.web.survey"
    label = "survey"
    verbose_name = "Rundspørge om værdighed"
