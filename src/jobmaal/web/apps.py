from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """The database cache's table, made by `migrate` itself (no extra setup step); does
    nothing unless JOBMAAL_CACHE=database."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WebConfig(AppConfig):
    name = "jobmaal.web"
    label = "web"
    verbose_name = "Jobmål"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="jobmaal-cache-table")
