"""Page notes: annotations of a whole article, made without selecting any words.

A page note is a top-level annotation with no span (start and end null, no quote). It comments
on, tags or asks a question about the article; it never highlights (there is nothing to
highlight) and never assesses (a claim is carried by a passage). The database holds the rule
(`annotation_span_valid`); these services say so first, with a message per field. Re-anchoring
leaves page notes where they are: they follow their article to its new text, never orphaned.
"""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import F

from articles.models import Article, ArticleRevision

from .. import access
from ..models import (
    PAGE_NOTE_MOTIVATIONS,
    AnchorStatus,
    Annotation,
    Claim,
    Colour,
    Group,
    Motivation,
    Visibility,
)
from .common import (
    MAX_NOTE_LENGTH,
    AnnotationInvalid,
    CreateResult,
    audience_for,
    check_choice,
    check_text,
    clean_tags,
    identity_fields,
    note_html_of,
)
from .tags import tags_attach

ALLOWED = ", ".join(PAGE_NOTE_MOTIVATIONS)


def page_note_motivation_check(motivation: str) -> str:
    """The motivation if a page note may have it; AnnotationInvalid otherwise."""
    check_choice("motivation", motivation, Motivation)
    if motivation not in PAGE_NOTE_MOTIVATIONS:
        raise AnnotationInvalid(
            {"motivation": [f"A page note is about the whole article: choose one of {ALLOWED}."]}
        )
    return motivation


def page_note_create(
    *,
    user: access.User,
    article: Article,
    motivation: str = Motivation.COMMENTING,
    note: str = "",
    colour: str = Colour.YELLOW,
    visibility: str = Visibility.PUBLIC,
    group: Group | None = None,
    tags: Sequence[str] | None = None,
    claim: Claim | None = None,
    identity: Mapping[str, str] | None = None,
) -> CreateResult:
    """Annotate the article as a whole: a note, tags or a question with no passage."""
    user = access.require_create(user)
    revision = article.current_revision
    invalid = AnnotationInvalid
    if revision is None:
        raise invalid({"target": ["The article has no text to annotate."]})
    if claim is not None or motivation == Motivation.ASSESSING:
        raise invalid({"claim": ["A claim is marked on a passage, not on a whole article."]})
    if motivation == Motivation.HIGHLIGHTING:  # nothing to highlight: a note says more
        motivation = Motivation.COMMENTING
    page_note_motivation_check(motivation)
    check_choice("colour", colour, Colour)
    visibility, group = audience_for(user, visibility, group)
    note = check_text("note", note, MAX_NOTE_LENGTH)
    tags = clean_tags(tags)
    if not note.strip() and not tags:
        raise invalid(
            {
                "target": [
                    "Select a passage with a TextQuoteSelector; or, to annotate the whole "
                    "article (a page note), give a note or a tag."
                ]
            }
        )
    note_html = note_html_of(note)
    with transaction.atomic():
        annotation = Annotation.objects.create(
            article=article,
            revision=revision,
            anchor_revision=revision,
            creator=user,
            motivation=motivation,
            note=note,
            note_html=note_html,
            colour=colour,
            visibility=visibility,
            group=group,
            **identity_fields(identity),
        )
        named = tags_attach(annotation, tags)
    return CreateResult(annotation, False, [tag.name for tag in named])


def page_notes_follow(*, article: Article, revision: ArticleRevision) -> list[int]:
    """Carry the article's page notes (and their replies) to its new revision, as they are:
    no anchoring, never orphaned. Returns the ids of the page notes moved."""
    notes = list(
        Annotation.objects.page_notes()
        .filter(article=article)
        .exclude(anchor_revision=revision)
        .values_list("pk", flat=True)
    )
    if notes:
        Annotation.objects.filter(pk__in=notes).update(
            anchor_revision=revision,
            anchor_status=AnchorStatus.ANCHORED,
            anchor_score=1.0,
            version=F("version") + 1,
        )
        Annotation.objects.filter(parent__in=notes).update(anchor_revision=revision)
    return notes
