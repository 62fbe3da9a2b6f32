from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jobmaal.web.accounts"
    label = "accounts"
    verbose_name = "Brugere og roller"

    def ready(self) -> None:
        from jobmaal.web.accounts import signals  # noqa: F401  (connects the role → admin rights)
