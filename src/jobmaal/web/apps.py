from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jobmaal.web"
    label = "web"
    verbose_name = "Jobmål"
    default_auto_field = "django.db.models.BigAutoField"
