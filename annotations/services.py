"""Writes to annotations and claims. Keyword-only, typed, atomic; access checked in access.py."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleRevision

from . import access, pagenotes
from .anchor_input import TargetAmbiguous, TargetInvalid, anchor_target
from .anchoring import AnchorStatus as Status
from .anchoring import Selector, locate, reanchor_many, selector_for
from .models import (
    AnchorStatus,
    Annotation,
    Claim,
    ClaimStance,
    Colour,
    Motivation,
    TaggedAnnotation,
    TaggedClaim,
    Visibility,
)
from .notes import NoteRefused, render_note, render_note_or_text
from .notifications import (
    notification_annotation_updated,
    notification_claim_passage,
    notification_reply,
)

MAX_TAGS = 50
MAX_TAG_LENGTH = 100
MAX_NOTE_LENGTH = 20_000
MAX_EXACT_LENGTH = 20_000


class AnnotationInvalid(ValueError):
    """Invalid input, with a message per field."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class VersionMismatch(Exception):
    """The record changed since the client read it (HTTP 412)."""


@dataclass(frozen=True, slots=True)
class CreateResult:
    annotation: Annotation
    corrected: bool  # the position was off and was corrected from the quote
    tags: list[str]  # the names of its tags, as stored


def _clean_tags(tags: Sequence[str] | None) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        raise AnnotationInvalid({"tags": ["Give tags as a list of strings."]})
    if len(tags) > MAX_TAGS:
        raise AnnotationInvalid({"tags": [f"At most {MAX_TAGS} tags per record."]})
    cleaned: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise AnnotationInvalid({"tags": ["Each tag must be a string."]})
        tag = " ".join(tag.split())
        if not tag:
            raise AnnotationInvalid({"tags": ["A tag cannot be empty."]})
        if len(tag) > MAX_TAG_LENGTH:
            raise AnnotationInvalid({"tags": [f"A tag has at most {MAX_TAG_LENGTH} characters."]})
        if "\x00" in tag or "," in tag:
            raise AnnotationInvalid({"tags": ["A tag cannot contain commas or NUL characters."]})
        if not any(ch.isalnum() for ch in tag):
            raise AnnotationInvalid({"tags": ["A tag name needs at least one letter or digit."]})
        if tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    return cleaned


def _lock(annotation: Annotation) -> Annotation:
    """The annotation's row, locked until the transaction ends. Another request may have
    deleted it since the caller read it: then it is as if it never existed (404)."""
    try:
        return Annotation.objects.select_for_update(of=("self",)).get(pk=annotation.pk)
    except Annotation.DoesNotExist:
        raise access.NotVisible from None


def _check_text(name: str, value: str, limit: int) -> str:
    if not isinstance(value, str):
        raise AnnotationInvalid({name: ["Must be a string."]})
    if "\x00" in value:
        raise AnnotationInvalid({name: ["Must not contain NUL characters."]})
    if len(value) > limit:
        raise AnnotationInvalid({name: [f"At most {limit:,} characters."]})
    return value


def _note_html(note: str) -> str:
    """The note rendered and sanitised for the page, or a 400 for a note that cannot be."""
    try:
        return render_note(note)
    except NoteRefused as refused:
        raise AnnotationInvalid({"note": [str(refused)]}) from None


def _check_choice(name: str, value: str, choices) -> str:
    if value not in choices.values:
        raise AnnotationInvalid({name: [f"Choose one of: {', '.join(choices.values)}."]})
    return value


def _resolve_span(
    body: str, *, start: int, end: int, exact: str | None, prefix: str = "", suffix: str = ""
) -> tuple[int, int, bool]:
    """Check a selector against the body (anchor_input: the API's and import's one path)."""
    try:
        target = anchor_target(
            body, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix
        )
    except TargetAmbiguous:
        raise  # HTTP 409 with the places (api/errors.py)
    except TargetInvalid as error:
        raise AnnotationInvalid({"target": [str(error)]}) from None
    return target.start, target.end, target.corrected


def _claim_for(motivation: str, claim: Claim | None) -> Claim | None:
    if motivation == Motivation.ASSESSING and claim is None:
        raise AnnotationInvalid({"claim": ["An assessing annotation must point at a claim."]})
    if motivation != Motivation.ASSESSING and claim is not None:
        raise AnnotationInvalid({"claim": ["Only an assessing annotation points at a claim."]})
    return claim


def _stance_for(claim: Claim | None, stance: str) -> str:
    """A passage disputes a claim only if it is marked with one."""
    _check_choice("claim_stance", stance, ClaimStance)
    if stance == ClaimStance.DISPUTES and claim is None:
        raise AnnotationInvalid(
            {"claim_stance": ["Only a passage marked with a claim disputes it."]}
        )
    return stance


def annotation_create(
    *,
    user,
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
            tags=tags,
            claim=claim,
            identity=identity,
        )
    access.require_create(user)
    revision = article.current_revision
    if revision is None:
        raise AnnotationInvalid({"target": ["The article has no text to annotate."]})
    _check_choice("motivation", motivation, Motivation)
    if motivation == Motivation.REPLYING:
        raise AnnotationInvalid(
            {"motivation": ["Replies are made to an annotation, not a passage."]}
        )
    _check_choice("colour", colour, Colour)
    _check_choice("visibility", visibility, Visibility)
    note = _check_text("note", note, MAX_NOTE_LENGTH)
    note_html = _note_html(note)
    if exact is not None:
        _check_text("exact", exact, MAX_EXACT_LENGTH)
    tags = _clean_tags(tags)
    claim = _claim_for(motivation, claim)
    claim_stance = _stance_for(claim, claim_stance)
    prefix = _check_text("prefix", prefix or "", 1_000)
    suffix = _check_text("suffix", suffix or "", 1_000)
    start, end, corrected = _resolve_span(
        revision.body, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix
    )
    selector = selector_for(revision.body, start, end)
    # Checked and anchored above; only the writes hold the write lock (on SQLite, the whole
    # database's), so that concurrent writers wait as little as possible.
    with transaction.atomic():
        annotation = Annotation.objects.create(
            article=article,
            revision=revision,
            anchor_revision=revision,
            creator=user,
            motivation=motivation,
            claim=claim,
            claim_stance=claim_stance,
            exact=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            start=start,
            end=end,
            note=note,
            note_html=note_html,
            colour=colour,
            visibility=visibility,
            **identity_fields(identity),
        )
        named = _tags_named(tags)
        TaggedAnnotation.objects.bulk_create(
            TaggedAnnotation(tag=tag, content_object=annotation) for tag in named
        )
        notification_claim_passage(annotation=annotation)
    return CreateResult(annotation, corrected, [tag.name for tag in named])


@transaction.atomic
def annotation_reply(
    *,
    user,
    parent: Annotation,
    note: str,
    visibility: str = Visibility.PUBLIC,
    identity: Mapping[str, str] | None = None,
) -> Annotation:
    """Reply to an annotation the user can see; the reply joins its thread (one level deep:
    a reply to a reply is attached to the thread's first annotation)."""
    access.require_create(user)
    while parent.parent_id is not None:
        parent = parent.parent
    note = _check_text("note", note, MAX_NOTE_LENGTH)
    if not note.strip():
        raise AnnotationInvalid({"note": ["A reply needs some text."]})
    note_html = _note_html(note)
    _check_choice("visibility", visibility, Visibility)
    root = _lock(parent)  # the thread may have been deleted since it was read
    reply = Annotation.objects.create(
        article=root.article,
        revision=root.anchor_revision,
        anchor_revision=root.anchor_revision,
        creator=user,
        motivation=Motivation.REPLYING,
        parent=root,
        note=note,
        note_html=note_html,
        visibility=visibility,
        colour=root.colour,
        **identity_fields(identity),
    )
    notification_reply(reply=reply)
    return reply


_UNSET = object()

IDENTITY_FIELDS = ("foreign_id", "foreign_creator", "canonical")


def identity_fields(identity: Mapping[str, str] | None) -> dict[str, str]:
    """The identity columns a new annotation is written with (unique per creator: a clash is
    an IntegrityError, raised inside the write's own transaction)."""
    fields = dict(identity or {})
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not identity fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def annotation_update(
    *,
    user,
    annotation: Annotation,
    expected_version: int | None,
    note=_UNSET,
    colour=_UNSET,
    visibility=_UNSET,
    motivation=_UNSET,
    tags=_UNSET,
    claim=_UNSET,
    claim_stance=_UNSET,
) -> Annotation:
    """Change what the creator said of a passage; the passage itself does not change. A
    passage given another claim (or none) carries it unless claim_stance says otherwise."""
    access.require_change(user, annotation)
    if note is not _UNSET:  # rendered before the row is locked
        note = _check_text("note", note, MAX_NOTE_LENGTH)
        note_html = _note_html(note)
    locked = _lock(annotation)
    if expected_version is not None and locked.version != expected_version:
        raise VersionMismatch
    changed: list[str] = []
    if note is not _UNSET:
        locked.note, locked.note_html = note, note_html
        changed += ["note", "note_html"]
    if colour is not _UNSET:
        locked.colour = _check_choice("colour", colour, Colour)
        changed.append("colour")
    if visibility is not _UNSET:
        locked.visibility = _check_choice("visibility", visibility, Visibility)
        changed.append("visibility")
    if locked.parent_id is None:
        new_motivation = locked.motivation if motivation is _UNSET else motivation
        _check_choice("motivation", new_motivation, Motivation)
        if new_motivation == Motivation.REPLYING:
            raise AnnotationInvalid({"motivation": ["Only replies have the replying motivation."]})
        if locked.is_page_note:
            pagenotes.page_note_motivation_check(new_motivation)
        new_claim = _claim_for(new_motivation, locked.claim if claim is _UNSET else claim)
        if claim_stance is _UNSET:
            same = new_claim is not None and new_claim.pk == locked.claim_id
            claim_stance = locked.claim_stance if same else ClaimStance.SUPPORTS
        locked.claim_stance = _stance_for(new_claim, claim_stance)
        locked.claim = new_claim
        locked.motivation = new_motivation
        changed += ["motivation", "claim", "claim_stance"]
    new_tags = None if tags is _UNSET else _clean_tags(tags)
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "version", "modified"])
    if new_tags is not None:
        locked.tags.set(new_tags)
    locked.refresh_from_db()
    notification_annotation_updated(annotation=locked, before=annotation)
    return locked


@transaction.atomic
def annotation_delete(*, user, annotation: Annotation, expected_version: int | None = None) -> None:
    """Delete an annotation and its replies."""
    access.require_change(user, annotation)
    locked = _lock(annotation)
    if expected_version is not None and locked.version != expected_version:
        raise VersionMismatch
    locked.delete()


@transaction.atomic
def annotation_set_hidden(*, user, annotation: Annotation, hidden: bool) -> Annotation:
    """Moderation: hide an annotation from everyone but staff and its creator, or unhide it."""
    access.require_moderate(user)
    annotation = _lock(annotation)
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


@dataclass(slots=True)
class ReanchorReport:
    revision: ArticleRevision
    counts: Counter = field(default_factory=Counter)
    orphaned: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.counts[s]} {s}" for s in AnchorStatus.values if self.counts[s]]
        return ", ".join(parts) or "no annotations"


_ANCHOR_FIELDS = [
    "anchor_status",
    "anchor_score",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "anchor_revision",
]


def _selector_of(annotation: Annotation) -> Selector:
    return Selector(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
    )


def _apply_anchor(annotation: Annotation, anchor, revision: ArticleRevision) -> bool:
    """Record where the anchoring engine put an annotation on the revision's body.

    Returns False when it was orphaned: it then keeps its old selector and revision.
    """
    annotation.anchor_status = anchor.status.value
    annotation.anchor_score = max(0.0, min(1.0, float(anchor.score)))
    if anchor.status is Status.ORPHANED or anchor.start is None:
        return False
    new = selector_for(revision.body, anchor.start, anchor.end)
    annotation.start, annotation.end = anchor.start, anchor.end
    annotation.exact, annotation.prefix, annotation.suffix = new.exact, new.prefix, new.suffix
    annotation.anchor_revision = revision
    return True


@transaction.atomic
def annotations_reanchor(*, article: Article, revision: ArticleRevision) -> ReanchorReport:
    """Re-attach every passage annotation of the article to the given revision's body."""
    report = ReanchorReport(revision=revision)
    pagenotes.page_notes_follow(article=article, revision=revision)  # as they are, never orphaned
    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=article, parent__isnull=True, start__isnull=False)
        .exclude(anchor_revision=revision)
        .select_related("anchor_revision")
    )
    by_revision: dict[int, list[Annotation]] = {}
    for annotation in annotations:
        by_revision.setdefault(annotation.anchor_revision_id, []).append(annotation)
    changed: list[Annotation] = []
    for group in by_revision.values():
        old_body = group[0].anchor_revision.body
        selectors = [
            Selector(exact=a.exact, prefix=a.prefix, suffix=a.suffix, start=a.start, end=a.end)
            for a in group
        ]
        for annotation, anchor in zip(
            group, reanchor_many(old_body, revision.body, selectors), strict=True
        ):
            report.counts[anchor.status.value] += 1
            if not _apply_anchor(annotation, anchor, revision):
                report.orphaned.append(annotation.pk)
            elif anchor.status is not Status.ANCHORED:
                report.moved.append(annotation.pk)
            annotation.version += 1
            changed.append(annotation)
    Annotation.objects.bulk_update(
        changed,
        [
            "anchor_status",
            "anchor_score",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "anchor_revision",
            "version",
        ],
        batch_size=500,
    )
    # Replies follow their thread's passage.
    for annotation in changed:
        if annotation.anchor_revision_id == revision.pk:
            Annotation.objects.filter(parent=annotation).update(anchor_revision=revision)
    return report


# --- Claims -------------------------------------------------------------------------------


def _claim_fields(text, claimant, kind, rating, reviewer_notes) -> dict:
    fields: dict = {}
    if text is not _UNSET:
        text = _check_text("text", text, 5_000).strip()
        if not text:
            raise AnnotationInvalid({"text": ["A claim needs its statement."]})
        fields["text"] = text
    if claimant is not _UNSET:
        fields["claimant"] = _check_text("claimant", claimant, 300).strip()
    if kind is not _UNSET:
        fields["kind"] = _check_choice("kind", kind, Claim.Kind)
    if rating is not _UNSET:
        fields["rating"] = _check_choice("rating", rating, Claim.Rating)
    if reviewer_notes is not _UNSET:
        fields["reviewer_notes"] = _check_text("reviewer_notes", reviewer_notes, MAX_NOTE_LENGTH)
    return fields


@transaction.atomic
def claim_create(
    *,
    user,
    text: str,
    claimant: str = "",
    kind: str = Claim.Kind.FACTUAL,
    rating: str = Claim.Rating.UNRATED,
    reviewer_notes: str = "",
    tags: Sequence[str] | None = None,
) -> Claim:
    access.require_create(user)
    fields = _claim_fields(text, claimant, kind, rating, reviewer_notes)
    tags = _clean_tags(tags)
    claim = Claim(created_by=user, **fields)
    if claim.rating != Claim.Rating.UNRATED:
        claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    claim.save()
    if tags:
        claim.tags.set(tags)
    return claim


@transaction.atomic
def claim_update(
    *,
    user,
    claim: Claim,
    text=_UNSET,
    claimant=_UNSET,
    kind=_UNSET,
    rating=_UNSET,
    reviewer_notes=_UNSET,
    tags=_UNSET,
) -> Claim:
    access.require_change_claim(user, claim)
    fields = _claim_fields(text, claimant, kind, rating, reviewer_notes)
    new_tags = None if tags is _UNSET else _clean_tags(tags)
    if "rating" in fields and fields["rating"] != claim.rating:
        fields["reviewed_by"], fields["reviewed_at"] = user, timezone.now()
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=[*fields, "modified"])
    if new_tags is not None:
        claim.tags.set(new_tags)
    return claim


@transaction.atomic
def claim_delete(*, user, claim: Claim) -> None:
    access.require_delete_claim(user, claim)
    if claim.annotations.exists():
        raise AnnotationInvalid(
            {"claim": ["Passages still carry this claim; remove their assessments first."]}
        )
    claim.delete()


# --- Curation (the admin) -----------------------------------------------------------------


def _require_curator(user) -> None:
    """Curation is moderation: the staff rule of access.py, with a message that says so."""
    if not access.can_moderate(user):
        raise access.AccessDenied("Only curators (staff) can do this.")


@transaction.atomic
def annotations_set_hidden(*, user, annotations: Sequence[Annotation], hidden: bool) -> int:
    """Hide or unhide several annotations (see annotation_set_hidden); returns how many
    changed. Those already in the wanted state are left alone."""
    access.require_moderate(user)
    changed = 0
    for annotation in Annotation.objects.select_for_update().filter(
        pk__in=[a.pk for a in annotations], is_hidden=not hidden
    ):
        annotation_set_hidden(user=user, annotation=annotation, hidden=hidden)
        changed += 1
    return changed


@dataclass(slots=True)
class CurationReanchorReport:
    """What re-anchoring selected annotations on their article's current text did."""

    counts: Counter = field(default_factory=Counter)  # AnchorStatus value -> annotations
    changed: list[int] = field(default_factory=list)  # annotations whose record changed
    skipped: int = 0  # replies (they follow their thread) and articles without text

    LABELS = {
        AnchorStatus.ANCHORED: "stayed",
        AnchorStatus.MOVED: "moved",
        AnchorStatus.FUZZY: "went fuzzy",
        AnchorStatus.ORPHANED: "orphaned",
    }

    def summary(self) -> str:
        parts = [f"{self.counts[status.value]} {label}" for status, label in self.LABELS.items()]
        if self.counts[AnchorStatus.AMBIGUOUS.value]:  # undecidable between copies
            parts.append(f"{self.counts[AnchorStatus.AMBIGUOUS.value]} ambiguous")
        text = f"Re-anchored {self.counts.total()} annotation(s): {', '.join(parts)}"
        if self.skipped:
            text += f"; {self.skipped} skipped (replies follow their thread)"
        return text + "."


@transaction.atomic
def annotations_reanchor_current(
    *, user, annotations: Sequence[Annotation]
) -> CurationReanchorReport:
    """Anchor the given passage annotations again on their article's current revision.

    An annotation made on an older revision is carried over with the diff (`reanchor_many`);
    one already on the current revision is checked where it stands (`locate`). Orphans keep
    their old selector and revision. Versions are bumped only where the record changed.
    """
    _require_curator(user)
    report = CurationReanchorReport()
    locked = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(pk__in=[a.pk for a in annotations])
        .select_related("article__current_revision", "anchor_revision")
        .order_by("pk")
    )
    groups: dict[tuple[int, int], list[Annotation]] = {}
    for annotation in locked:
        current = annotation.article.current_revision
        if annotation.parent_id is not None or annotation.is_page_note or current is None:
            report.skipped += 1
            continue
        groups.setdefault((annotation.anchor_revision_id, current.pk), []).append(annotation)
    for (old_id, current_id), group in groups.items():
        current = group[0].article.current_revision
        selectors = [_selector_of(a) for a in group]
        if old_id == current_id:
            anchors = [locate(current.body, selector) for selector in selectors]
        else:
            anchors = reanchor_many(group[0].anchor_revision.body, current.body, selectors)
        for annotation, anchor in zip(group, anchors, strict=True):
            before = [getattr(annotation, name) for name in _ANCHOR_FIELDS]
            placed = _apply_anchor(annotation, anchor, current)
            report.counts[anchor.status.value] += 1
            if [getattr(annotation, name) for name in _ANCHOR_FIELDS] == before:
                continue
            annotation.version += 1
            annotation.save(update_fields=[*_ANCHOR_FIELDS, "version", "modified"])
            report.changed.append(annotation.pk)
            if placed:
                Annotation.objects.filter(parent=annotation).update(anchor_revision=current)
    return report


@transaction.atomic
def annotation_reattach(*, user, annotation: Annotation, start: int, end: int) -> Annotation:
    """Attach a passage annotation by hand to body[start:end] of its article's current text.

    For orphans and annotations left on an older revision (or anchored wrongly): the quote
    and its context are taken from the current body, and the anchoring is marked certain.
    """
    _require_curator(user)
    locked = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("article__current_revision")
        .get(pk=annotation.pk)
    )
    if locked.parent_id is not None:
        raise AnnotationInvalid(
            {"target": ["A reply follows its thread; re-attach the thread's first annotation."]}
        )
    revision = locked.article.current_revision
    if revision is None:
        raise AnnotationInvalid({"target": ["The article has no text to attach to."]})
    length = len(revision.body)
    errors: dict[str, list[str]] = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = ["Give a whole number."]
    if not errors:
        if not 0 <= start < length:
            errors["start"] = [
                f"The start must be between 0 and {length - 1} (the body has {length} characters)."
            ]
        if end > length:
            errors["end"] = [f"The end must be at most {length} (the end of the body)."]
        elif end <= start:
            errors["end"] = ["The end must come after the start."]
    if errors:
        raise AnnotationInvalid(errors)
    selector = selector_for(revision.body, start, end)
    locked.start, locked.end = start, end
    locked.exact, locked.prefix, locked.suffix = selector.exact, selector.prefix, selector.suffix
    locked.anchor_revision = revision
    locked.anchor_status = AnchorStatus.ANCHORED
    locked.anchor_score = 1.0
    locked.version += 1
    locked.save(update_fields=[*_ANCHOR_FIELDS, "version", "modified"])
    Annotation.objects.filter(parent=locked).update(anchor_revision=revision)
    return locked


@transaction.atomic
def annotations_retag(
    *,
    user,
    annotations: Sequence[Annotation],
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> int:
    """Add tags to and remove tags from every given annotation (case-insensitively).

    Returns how many annotations changed; their versions are bumped.
    """
    _require_curator(user)
    add, remove = _clean_tags(list(add)), _clean_tags(list(remove))
    if not add and not remove:
        raise AnnotationInvalid({"add": ["Give tags to add or tags to remove."]})
    both = sorted({t.casefold() for t in add} & {t.casefold() for t in remove})
    if both:
        raise AnnotationInvalid(
            {"remove": [f"A tag cannot be added and removed at once: {', '.join(both)}."]}
        )
    changed = 0
    for annotation in (
        Annotation.objects.select_for_update()
        .filter(pk__in=[a.pk for a in annotations])
        .prefetch_related("tags")
        .order_by("pk")
    ):
        current = {tag.name.casefold(): tag for tag in annotation.tags.all()}
        dropped = [current[name.casefold()] for name in remove if name.casefold() in current]
        added = [name for name in add if name.casefold() not in current]
        if not dropped and not added:
            continue
        if len(current) - len(dropped) + len(added) > MAX_TAGS:
            raise AnnotationInvalid(
                {"add": [f"Annotation {annotation.pk} would have more than {MAX_TAGS} tags."]}
            )
        if dropped:
            annotation.tags.remove(*dropped)
        if added:
            annotation.tags.add(*added)
        annotation.version += 1
        annotation.save(update_fields=["version", "modified"])
        changed += 1
    return changed


@dataclass(frozen=True, slots=True)
class ClaimMergeReport:
    keep: Claim
    moved: int  # annotations that now carry the kept claim
    deleted: int  # claims merged into it and deleted

    def summary(self) -> str:
        return (
            f"Merged {self.deleted} claim(s) into “{self.keep}”; "
            f"{self.moved} passage(s) moved to it."
        )


@transaction.atomic
def claims_merge(*, user, keep: Claim, others: Sequence[Claim]) -> ClaimMergeReport:
    """Fold duplicate claims into one: their passages move to it (versions bumped), their
    tags are added to its tags, their reviewer notes appended to its notes; then they are
    deleted (their history keeps what they were)."""
    _require_curator(user)
    other_ids = sorted({c.pk for c in others} - {keep.pk})
    if not other_ids:
        raise AnnotationInvalid({"keep": ["Choose at least one other claim to merge."]})
    keep = Claim.objects.select_for_update().get(pk=keep.pk)
    merged = list(
        Claim.objects.select_for_update()
        .filter(pk__in=other_ids)
        .prefetch_related("tags")
        .order_by("pk")
    )
    if len(merged) != len(other_ids):
        raise AnnotationInvalid({"keep": ["Some of the claims to merge no longer exist."]})
    moved = 0
    for annotation in Annotation.objects.select_for_update().filter(claim__in=other_ids):
        annotation.claim = keep
        annotation.version += 1
        annotation.save(update_fields=["claim", "version", "modified"])
        moved += 1
    tags = {tag.pk: tag for claim in merged for tag in claim.tags.all()}
    if tags:
        keep.tags.add(*tags.values())
    notes = [keep.reviewer_notes.strip()] if keep.reviewer_notes.strip() else []
    for claim in merged:
        if claim.reviewer_notes.strip() and claim.reviewer_notes.strip() not in notes:
            notes.append(claim.reviewer_notes.strip())
    keep.reviewer_notes = "\n\n".join(notes)
    keep.save(update_fields=["reviewer_notes", "modified"])
    for claim in merged:
        claim.delete()
    return ClaimMergeReport(keep=keep, moved=moved, deleted=len(merged))


def tag_name_check(*, name: str, tag: Tag | None = None) -> str:
    """The cleaned tag name if no other tag has it (in any case); AnnotationInvalid if not."""
    if not isinstance(name, str) or not name.strip():
        raise AnnotationInvalid({"name": ["A tag needs a name."]})
    try:
        (name,) = _clean_tags([name])
    except AnnotationInvalid as exc:
        raise AnnotationInvalid({"name": exc.errors["tags"]}) from None
    others = Tag.objects.filter(name__iexact=name)
    if tag is not None and tag.pk is not None:
        others = others.exclude(pk=tag.pk)
    if clash := others.first():
        raise AnnotationInvalid(
            {"name": [f"The tag “{clash.name}” exists already; merge the two tags instead."]}
        )
    if not Tag().slugify(name):
        raise AnnotationInvalid({"name": ["A tag name needs at least one letter or digit."]})
    return name


def _unique_tag_slug(name: str, *, exclude: int | None) -> str:
    limit = Tag._meta.get_field("slug").max_length
    base = Tag().slugify(name)[:limit]
    taken = set(
        Tag.objects.filter(slug__startswith=base[: limit - 8])
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 0
    while slug in taken:
        n += 1
        suffix = f"_{n}"
        slug = base[: limit - len(suffix)] + suffix
    return slug


def _tags_named(names: Sequence[str]) -> list[Tag]:
    """The tags with these (cleaned) names, matched ignoring case as taggit is configured to
    match them, the missing ones created. Two queries when every tag exists."""
    if not names:
        return []
    wanted = Q()
    for name in names:
        wanted |= Q(name__iexact=name)
    found = {tag.name.casefold(): tag for tag in Tag.objects.filter(wanted)}
    return [found.get(name.casefold()) or _tag_insert(name) for name in names]


def _tag_insert(name: str) -> Tag:
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=_unique_tag_slug(name, exclude=None))
    except IntegrityError:  # another writer made it meanwhile
        return Tag.objects.get(name__iexact=name)


def _bump_tagged(tag_ids: Sequence[int]) -> int:
    """Bump the version of the annotations carrying these tags (their tags read differently)."""
    return Annotation.objects.filter(
        pk__in=TaggedAnnotation.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    ).update(version=F("version") + 1, modified=timezone.now())


@transaction.atomic
def tag_create(*, user, name: str) -> Tag:
    _require_curator(user)
    name = tag_name_check(name=name)
    return Tag.objects.create(name=name, slug=_unique_tag_slug(name, exclude=None))


@transaction.atomic
def tag_rename(*, user, tag: Tag, name: str) -> Tag:
    """Rename a tag everywhere it is used; its slug (and so its page's address) follows."""
    _require_curator(user)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    name = tag_name_check(name=name, tag=tag)
    if name == tag.name:
        return tag
    tag.name = name
    tag.slug = _unique_tag_slug(name, exclude=tag.pk)
    tag.save(update_fields=["name", "slug"])
    _bump_tagged([tag.pk])
    return tag


@transaction.atomic
def tags_delete(*, user, tags: Sequence[Tag]) -> int:
    """Delete tags, taking them off every annotation and claim."""
    _require_curator(user)
    ids = [tag.pk for tag in tags]
    _bump_tagged(ids)
    return Tag.objects.filter(pk__in=ids).delete()[1].get(Tag._meta.label, 0)


@dataclass(frozen=True, slots=True)
class TagMergeReport:
    keep: Tag
    annotations: int  # annotations retagged
    claims: int  # claims retagged
    deleted: int  # tags merged into the kept one and deleted

    def summary(self) -> str:
        return (
            f"Merged {self.deleted} tag(s) into “{self.keep.name}”: "
            f"{self.annotations} annotation(s) and {self.claims} claim(s) retagged."
        )


@transaction.atomic
def tags_merge(*, user, keep: Tag, others: Sequence[Tag]) -> TagMergeReport:
    """Fold tags into one: whatever carried one of the others carries the kept tag instead
    (once), annotation versions are bumped, and the others are deleted."""
    _require_curator(user)
    other_ids = sorted({t.pk for t in others} - {keep.pk})
    if not other_ids:
        raise AnnotationInvalid({"keep": ["Choose at least one other tag to merge."]})
    keep = Tag.objects.select_for_update().get(pk=keep.pk)
    if Tag.objects.filter(pk__in=other_ids).count() != len(other_ids):
        raise AnnotationInvalid({"keep": ["Some of the tags to merge no longer exist."]})
    retagged: dict[type, int] = {}
    for through in (TaggedAnnotation, TaggedClaim):
        rows = through.objects.filter(tag_id__in=other_ids)
        carriers = set(rows.values_list("content_object_id", flat=True))
        has_keep = set(
            through.objects.filter(tag=keep, content_object_id__in=carriers).values_list(
                "content_object_id", flat=True
            )
        )
        rows.delete()
        through.objects.bulk_create(
            [through(tag=keep, content_object_id=pk) for pk in sorted(carriers - has_keep)]
        )
        retagged[through] = len(carriers)
        if through is TaggedAnnotation and carriers:
            Annotation.objects.filter(pk__in=carriers).update(
                version=F("version") + 1, modified=timezone.now()
            )
    deleted = Tag.objects.filter(pk__in=other_ids).delete()[1].get(Tag._meta.label, 0)
    return TagMergeReport(
        keep=keep,
        annotations=retagged[TaggedAnnotation],
        claims=retagged[TaggedClaim],
        deleted=deleted,
    )


def tag_names_check(tags: Sequence[str]) -> list[str]:
    """The tags cleaned as every service cleans them (for forms); AnnotationInvalid if bad."""
    return _clean_tags(list(tags))
