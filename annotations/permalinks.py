"""Share links: /annotations/<pk>/ opens the article at the annotation, its card selected.

Whether the viewer may follow the link is access.py's rule for reading annotations, plus one
more: the viewer must be able to open the article, since the link leads to its reading view. A
link the viewer may not follow is answered the same whatever the reason (private, hidden,
deleted, never existed, article withdrawn), so it never tells whether a private one exists.
"""

from urllib.parse import urlencode

from . import access
from .models import AnchorStatus, Annotation


def annotation_get_for_permalink(*, user, pk: int) -> Annotation:
    """The annotation if the viewer may open its share link; access.NotVisible otherwise."""
    annotation = access.annotation_get_for_user(user=user, pk=pk)
    if not access.can_open(user, annotation.article):
        raise access.NotVisible
    return annotation


def _fragment(annotation: Annotation) -> str:
    """Where the page opens without JavaScript: the passage's first highlight when it is drawn
    in the current text, else the card."""
    root = annotation.parent if annotation.parent_id else annotation
    drawn = (
        root.start is not None
        and root.anchor_status != AnchorStatus.ORPHANED
        and root.anchor_revision_id == root.article.current_revision_id
    )
    return f"hl-{root.pk}" if drawn else f"card-{annotation.pk}"


def permalink_target(annotation: Annotation) -> str:
    """The reading view's address that opens at the annotation (?annotation= for the script
    that selects its card, the fragment for a page without JavaScript)."""
    query = urlencode({"annotation": annotation.pk})
    return f"{annotation.article.get_absolute_url()}?{query}#{_fragment(annotation)}"
