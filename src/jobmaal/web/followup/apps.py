from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jobmaal.web.followup"
    label = "followup"
    verbose_name = "Opfølgning"
