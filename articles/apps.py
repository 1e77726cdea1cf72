from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # What this app's kinds of background job run (articles/jobs/handlers.py).
        from .jobs.handlers import handlers_register

        handlers_register()
