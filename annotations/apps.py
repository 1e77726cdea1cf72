from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self) -> None:
        # A new current revision of an article re-anchors its annotations
        # (articles/revisions.py: the articles app never imports this one).
        from articles.revisions import revision_follower_set

        from .jobs import handlers_register
        from .services import annotations_reanchor

        revision_follower_set(annotations_reanchor)
        # Re-anchoring as a background job (annotations/jobs.py).
        handlers_register()
