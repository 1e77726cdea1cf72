"""The revision an annotation's offsets count in, as a W3C `State` on its target, and back.

An orphaned annotation (its passage is gone from the current text) keeps the offsets and quote
of the revision it was last anchored in, while its target's source names the article, whose
current text is another. Its export says which text the selector counts in with a TimeState
(W3C Web Annotation model, 4.2.1):

    "state": {"type": "TimeState", "sourceDate": <when the revision was read>,
              "cached": <the revision in the API: /api/articles/<slug>/revisions/<n>/>}

Import reads it back: when the target cannot be anchored in the current text and the state
names a revision of that article here whose text holds the passage, the annotation is stored
as an orphan of that revision (as re-anchoring would have left it) instead of being refused.
"""

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from articles.models import Article, ArticleRevision

from . import services
from .models import AnchorStatus, Annotation, Claim

if TYPE_CHECKING:  # w3c.py imports this module to write the state
    from .w3c import ParsedAnnotation

Absolute = Callable[[str], str]
STATE_TYPE = "TimeState"


def revision_iri(absolute: Absolute, slug: str, number: int) -> str:
    return absolute(reverse("api:article-revision", args=[slug, number]))


def needs_state(annotation: Annotation) -> bool:
    """Whether the selector counts in a text other than the article's current one."""
    return (
        annotation.anchor_status == AnchorStatus.ORPHANED
        or annotation.anchor_revision_id != annotation.article.current_revision_id
    )


def revision_state(annotation: Annotation, absolute: Absolute) -> dict:
    revision = annotation.anchor_revision
    return {
        "type": STATE_TYPE,
        "sourceDate": revision.created.isoformat(),
        "cached": revision_iri(absolute, annotation.article.slug, revision.number),
    }


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def stated_revision(data: dict, article: Article) -> ArticleRevision | None:
    """The revision of `article` the annotation's target state names (its `cached` IRI), else
    the one our extension key `revision` numbers; None when neither is here."""
    from .w3c import resolve_iri

    numbers: list[int] = []
    targets = _as_list(data.get("target"))
    target = targets[0] if targets else None
    for state in _as_list(target.get("state") if isinstance(target, dict) else None):
        cached = state.get("cached") if isinstance(state, dict) else state
        for iri in _as_list(cached):
            kwargs = resolve_iri(iri, "api:article-revision")
            if kwargs and kwargs["slug"] == article.slug:
                numbers.append(int(kwargs["number"]))
    number = data.get("revision")
    if not numbers and isinstance(number, int) and not isinstance(number, bool) and number > 0:
        numbers.append(number)
    if not numbers:
        return None
    return ArticleRevision.objects.filter(article=article, number=numbers[0]).first()


def target_keywords(parsed: "ParsedAnnotation") -> dict[str, Any]:
    """The target's selector as annotation_create's (and anchor_target's) keywords; a position
    not given is -1, so that the quote alone places the passage."""
    return {
        "start": parsed.start if parsed.start is not None else -1,
        "end": parsed.end if parsed.end is not None else -1,
        "exact": parsed.exact,
        "prefix": parsed.prefix,
        "suffix": parsed.suffix,
    }


def annotation_create_orphan(
    *,
    user,
    article: Article,
    revision: ArticleRevision,
    parsed: "ParsedAnnotation",
    motivation: str,
    claim: Claim | None,
) -> Annotation:
    """Store an annotation whose passage is in an earlier revision of the article only: made
    on that revision and orphaned there. AnnotationInvalid if that text does not hold it."""
    as_of = copy.copy(article)  # annotation_create counts in the article's current revision
    as_of.current_revision = revision
    result = services.annotation_create(
        user=user,
        article=as_of,
        motivation=motivation,
        **target_keywords(parsed),
        **parsed.said(claim=claim, group=services.group_named(user, parsed.group_slug)),
    )
    annotation = result.annotation
    Annotation.objects.filter(pk=annotation.pk).update(
        anchor_status=AnchorStatus.ORPHANED, anchor_score=0.0
    )
    annotation.anchor_status, annotation.anchor_score = AnchorStatus.ORPHANED, 0.0
    annotation.article = article
    return annotation
