"""What every annotation write shares: limits, errors and the checks of its fields."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, TypedDict, Unpack, cast

from django.db.models import TextChoices

from .. import access
from ..anchor_input import TargetAmbiguous, TargetFields, TargetInvalid, anchor_target
from ..models import (
    Annotation,
    Claim,
    ClaimStance,
    Group,
    Motivation,
    Visibility,
)
from ..notes import NoteRefused, render_note

MAX_TAGS = 50
MAX_TAG_LENGTH = 100
MAX_NOTE_LENGTH = 20_000
MAX_EXACT_LENGTH = 20_000


class Unset(Enum):
    """The type of UNSET: an argument not given, where None is a value."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


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


def clean_tags(tags: Sequence[str] | None) -> list[str]:
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


def lock_for_update(annotation: Annotation) -> Annotation:
    """The annotation's row, locked until the transaction ends. Another request may have
    deleted it since the caller read it: then it is as if it never existed (404)."""
    try:
        return Annotation.objects.select_for_update(of=("self",)).get(pk=annotation.pk)
    except Annotation.DoesNotExist:
        raise access.NotVisible from None


def check_text(name: str, value: str, limit: int) -> str:
    if not isinstance(value, str):
        raise AnnotationInvalid({name: ["Must be a string."]})
    if "\x00" in value:
        raise AnnotationInvalid({name: ["Must not contain NUL characters."]})
    if len(value) > limit:
        raise AnnotationInvalid({name: [f"At most {limit:,} characters."]})
    return value


def note_html_of(note: str) -> str:
    """The note rendered and sanitised for the page, or a 400 for a note that cannot be."""
    try:
        return render_note(note)
    except NoteRefused as refused:
        raise AnnotationInvalid({"note": [str(refused)]}) from None


def check_choice(name: str, value: str, choices: type[TextChoices]) -> str:
    if value not in choices.values:
        raise AnnotationInvalid({name: [f"Choose one of: {', '.join(choices.values)}."]})
    return value


def audience_for(
    user: access.User | None, visibility: str, group: Group | None
) -> tuple[str, Group | None]:
    """Who a new or changed annotation is published to: (visibility, group). Giving a group
    publishes to it; visibility "group" needs one. Only the group's members may publish there."""
    if group is not None:
        visibility = Visibility.GROUP
    check_choice("visibility", visibility, Visibility)
    if visibility == Visibility.GROUP and group is None:
        raise AnnotationInvalid({"group": ["Say which group to publish to."]})
    if not access.can_publish_to(user, group):
        raise AnnotationInvalid({"group": ["You are not a member of this group."]})
    return visibility, group


def group_named(user: access.User | None, slug: str | None) -> Group | None:
    """The group a record names to publish to (None when it names none); AnnotationInvalid
    unless the user is one of its members (a group is not revealed to others)."""
    if not slug:
        return None
    try:
        return access.group_get_for_member(user=user, slug=slug)
    except access.NotVisible:
        raise AnnotationInvalid(
            {"group": [f"“{slug}” is not a group you are a member of."]}
        ) from None


def claim_audience_check(claim: Claim | None, group: Group | None) -> None:
    """A group's claim is carried only by annotations published to that group (anywhere else
    its text would reach readers who may not see it)."""
    grouped = claim is not None and claim.group_id is not None
    if grouped and (group is None or group.pk != claim.group_id):  # type: ignore[union-attr]
        raise AnnotationInvalid(
            {"claim": ["This claim belongs to a group: mark it in that group only."]}
        )


def resolve_span(body: str, **target: Unpack[TargetFields]) -> tuple[int, int, bool]:
    """Check a selector against the body (anchor_input: the API's and import's one path)."""
    try:
        found = anchor_target(body, **target)
    except TargetAmbiguous:
        raise  # HTTP 409 with the places (api/errors.py)
    except TargetInvalid as error:
        raise AnnotationInvalid({"target": [str(error)]}) from None
    return found.start, found.end, found.corrected


def claim_for(motivation: str, claim: Claim | None) -> Claim | None:
    if motivation == Motivation.ASSESSING and claim is None:
        raise AnnotationInvalid({"claim": ["An assessing annotation must point at a claim."]})
    if motivation != Motivation.ASSESSING and claim is not None:
        raise AnnotationInvalid({"claim": ["Only an assessing annotation points at a claim."]})
    return claim


def stance_for(claim: Claim | None, stance: str) -> str:
    """A passage disputes a claim only if it is marked with one."""
    check_choice("claim_stance", stance, ClaimStance)
    if stance == ClaimStance.DISPUTES and claim is None:
        raise AnnotationInvalid(
            {"claim_stance": ["Only a passage marked with a claim disputes it."]}
        )
    return stance


IDENTITY_FIELDS = ("foreign_id", "foreign_creator", "canonical")


class IdentityFields(TypedDict, total=False):
    """The identity columns of an annotation a client or a file gave (IDENTITY_FIELDS)."""

    foreign_id: str
    foreign_creator: str
    canonical: str


def identity_fields(identity: Mapping[str, str] | None) -> IdentityFields:
    """The identity columns a new annotation is written with (unique per creator: a clash is
    an IntegrityError, raised inside the write's own transaction)."""
    fields = dict(identity or {})
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not identity fields: {sorted(unknown)}")
    return cast(IdentityFields, fields)  # (its keys checked just above)
