"""Writes to annotations: create, reply, update, delete, hide; notes re-rendered."""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from articles.models import Article

from .. import access
from ..anchoring import selector_for
from ..models import (
    Annotation,
    Claim,
    ClaimStance,
    Colour,
    Group,
    Motivation,
    Visibility,
)
from ..notes import render_note_or_text
from ..notifications import (
    notification_annotation_updated,
    notification_claim_passage,
    notification_reply,
)
from ..rows import annotation_row
from . import pagenotes
from .common import (
    MAX_EXACT_LENGTH,
    MAX_NOTE_LENGTH,
    UNSET,
    AnnotationInvalid,
    CreateResult,
    Unset,
    VersionMismatch,
    audience_for,
    check_choice,
    check_text,
    claim_audience_check,
    claim_for,
    clean_tags,
    identity_fields,
    lock_for_update,
    note_html_of,
    resolve_span,
    stance_for,
)
from .tags import tags_existing, tags_link, tags_named


def annotation_create(
    *,
    user: access.User,
    article: Article,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    prefix: str = "",
    suffix: str = "",
    motivation: str = Motivation.HIGHLIGHTING,
    note: str = "",
    colour: str = Colour.YELLOW,
    visibility: str = Visibility.PUBLIC,
    group: Group | None = None,
    tags: Sequence[str] | None = None,
    claim: Claim | None = None,
    claim_stance: str = ClaimStance.SUPPORTS,
    page_note: bool = False,
    identity: Mapping[str, str] | None = None,
) -> CreateResult:
    """Annotate a passage of the article's current body (claim_stance: whether a passage
    marked with a claim carries it or disputes it), or with page_note the whole article.
    identity: the IRIs a client or a file gave it (import_identity.Identity.fields())."""
    if page_note:  # no passage: pagenotes.py
        return pagenotes.page_note_create(
            user=user,
            article=article,
            motivation=motivation,
            note=note,
            colour=colour,
            visibility=visibility,
            group=group,
            tags=tags,
            claim=claim,
            identity=identity,
        )
    user = access.require_create(user)
    revision = article.current_revision
    if revision is None:
        raise AnnotationInvalid({"target": ["The article has no text to annotate."]})
    check_choice("motivation", motivation, Motivation)
    if motivation == Motivation.REPLYING:
        raise AnnotationInvalid(
            {"motivation": ["Replies are made to an annotation, not a passage."]}
        )
    check_choice("colour", colour, Colour)
    visibility, group = audience_for(user, visibility, group)
    note = check_text("note", note, MAX_NOTE_LENGTH)
    note_html = note_html_of(note)
    if exact is not None:
        check_text("exact", exact, MAX_EXACT_LENGTH)
    tags = clean_tags(tags)
    claim = claim_for(motivation, claim)
    claim_audience_check(claim, group)
    claim_stance = stance_for(claim, claim_stance)
    prefix = check_text("prefix", prefix or "", 1_000)
    suffix = check_text("suffix", suffix or "", 1_000)
    start, end, corrected = resolve_span(
        revision.body, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix
    )
    selector = selector_for(revision.body, start, end)
    existing = tags_existing(tags)  # (read before the write lock is taken)
    # Checked and anchored above; only the writes hold the write lock (on SQLite, the whole
    # database's), so that concurrent writers wait as little as possible.
    with transaction.atomic():
        annotation = annotation_row(
            article=article,
            revision=revision,
            creator=user,
            motivation=motivation,
            colour=colour,
            visibility=visibility,
            group=group,
            selector=selector,
            claim=claim,
            note=note,
            note_html=note_html,
            claim_stance=claim_stance,
            **identity_fields(identity),
        )
        annotation.save(force_insert=True)
        named = tags_named(tags, existing=existing)
        tags_link(annotation, named)
        notification_claim_passage(annotation=annotation)
    return CreateResult(annotation, corrected, [tag.name for tag in named])


@transaction.atomic
def annotation_reply(
    *,
    user: access.User,
    parent: Annotation,
    note: str,
    visibility: str = Visibility.PUBLIC,
    identity: Mapping[str, str] | None = None,
) -> Annotation:
    """Reply to an annotation the user can see; the reply joins its thread (one level deep:
    a reply to a reply is attached to the thread's first annotation). A reply in a group's
    thread is published to that group, whatever `visibility` says."""
    user = access.require_create(user)
    while parent.parent is not None:  # (no query when there is none: parent_id is None)
        parent = parent.parent
    note = check_text("note", note, MAX_NOTE_LENGTH)
    if not note.strip():
        raise AnnotationInvalid({"note": ["A reply needs some text."]})
    note_html = note_html_of(note)
    check_choice("visibility", visibility, Visibility)
    root = lock_for_update(parent)  # the thread may have been deleted since it was read
    group = root.group if root.visibility == Visibility.GROUP else None
    visibility, group = audience_for(user, visibility, group)
    reply = annotation_row(
        article=root.article,
        revision=root.anchor_revision,
        creator=user,
        motivation=Motivation.REPLYING,
        colour=root.colour,
        visibility=visibility,
        group=group,
        parent=root,
        note=note,
        note_html=note_html,
        **identity_fields(identity),
    )
    reply.save(force_insert=True)
    notification_reply(reply=reply)
    return reply


@transaction.atomic
def annotation_update(
    *,
    user: access.User,
    annotation: Annotation,
    expected_version: int | None,
    note: str | Unset = UNSET,
    colour: str | Unset = UNSET,
    visibility: str | Unset = UNSET,
    group: Group | Unset | None = UNSET,
    motivation: str | Unset = UNSET,
    tags: Sequence[str] | Unset | None = UNSET,
    claim: Claim | Unset | None = UNSET,
    claim_stance: str | Unset = UNSET,
) -> Annotation:
    """Change what the creator said of a passage; the passage itself does not change. A
    passage given another claim (or none) carries it unless claim_stance says otherwise."""
    access.require_change(user, annotation)
    if note is not UNSET:  # rendered before the row is locked
        note = check_text("note", note, MAX_NOTE_LENGTH)
        note_html = note_html_of(note)
    locked = lock_for_update(annotation)
    if expected_version is not None and locked.version != expected_version:
        raise VersionMismatch
    changed: list[str] = []
    if note is not UNSET:
        locked.note, locked.note_html = note, note_html
        changed += ["note", "note_html"]
    if colour is not UNSET:
        locked.colour = check_choice("colour", colour, Colour)
        changed.append("colour")
    if visibility is not UNSET or group is not UNSET:
        in_group = locked.group_id is not None or group not in (UNSET, None)
        if locked.parent_id is not None and in_group:
            raise AnnotationInvalid({"visibility": ["A reply is published to its thread's group."]})
        new_visibility = locked.visibility if visibility is UNSET else visibility
        new_group = locked.group if group is UNSET else group
        if visibility is not UNSET and visibility != Visibility.GROUP and group is UNSET:
            new_group = None  # published elsewhere: out of its group
        locked.visibility, locked.group = audience_for(user, new_visibility, new_group)
        changed += ["visibility", "group"]
    if locked.parent_id is None:
        new_motivation = locked.motivation if motivation is UNSET else motivation
        check_choice("motivation", new_motivation, Motivation)
        if new_motivation == Motivation.REPLYING:
            raise AnnotationInvalid({"motivation": ["Only replies have the replying motivation."]})
        if locked.is_page_note:
            pagenotes.page_note_motivation_check(new_motivation)
        new_claim = claim_for(new_motivation, locked.claim if claim is UNSET else claim)
        if claim_stance is UNSET:
            same = new_claim is not None and new_claim.pk == locked.claim_id
            claim_stance = locked.claim_stance if same else ClaimStance.SUPPORTS
        locked.claim_stance = stance_for(new_claim, claim_stance)
        claim_audience_check(new_claim, locked.group)
        locked.claim = new_claim
        locked.motivation = new_motivation
        changed += ["motivation", "claim", "claim_stance"]
    new_tags = None if tags is UNSET else clean_tags(tags)
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "version", "modified"])
    if new_tags is not None:
        locked.tags.set(new_tags)
    locked.refresh_from_db()
    notification_annotation_updated(annotation=locked, before=annotation)
    return locked


@transaction.atomic
def annotation_delete(
    *, user: access.User, annotation: Annotation, expected_version: int | None = None
) -> None:
    """Delete an annotation and its replies."""
    access.require_change(user, annotation)
    locked = lock_for_update(annotation)
    if expected_version is not None and locked.version != expected_version:
        raise VersionMismatch
    locked.delete()


@transaction.atomic
def annotation_set_hidden(*, user: access.User, annotation: Annotation, hidden: bool) -> Annotation:
    """Moderation: hide an annotation from everyone but its creator and its moderators (staff,
    or a group's owner and moderators), or unhide it."""
    user = access.require_moderate(user, annotation)
    annotation = lock_for_update(annotation)
    annotation.is_hidden = hidden
    annotation.hidden_by = user if hidden else None
    annotation.hidden_at = timezone.now() if hidden else None
    annotation.version = F("version") + 1
    annotation.save(update_fields=["is_hidden", "hidden_by", "hidden_at", "version", "modified"])
    annotation.refresh_from_db()
    return annotation


def annotations_render_notes(*, annotations: QuerySet[Annotation] | None = None) -> int:
    """Render the stored HTML of notes again from their Markdown, e.g. after a restore (HTML
    in a backup file is input, never trusted); a note the renderer now refuses is kept as
    escaped text. Returns how many rows changed."""
    rows = Annotation.objects.all() if annotations is None else annotations
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for at in range(0, len(pks), 500):
        batch = []
        for annotation in Annotation.objects.filter(pk__in=pks[at : at + 500]).only(
            "pk", "note", "note_html"
        ):
            html = render_note_or_text(annotation.note)
            if html != annotation.note_html:
                annotation.note_html = html
                batch.append(annotation)
        with transaction.atomic():
            changed += Annotation.objects.bulk_update(batch, ["note_html"])
    return changed
