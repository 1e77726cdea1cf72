"""Writes to tags: check a name, create, rename, delete, merge."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from taggit.models import Tag

from .. import access
from ..models import (
    Annotation,
    Claim,
    TaggedAnnotation,
    TaggedClaim,
)
from .common import AnnotationInvalid, clean_tags


def tag_name_check(*, name: str, tag: Tag | None = None) -> str:
    """The cleaned tag name if no other tag has it (in any case); AnnotationInvalid if not."""
    if not isinstance(name, str) or not name.strip():
        raise AnnotationInvalid({"name": ["A tag needs a name."]})
    try:
        (name,) = clean_tags([name])
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
    base: str = Tag().slugify(name)[:limit]
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


def tags_existing(names: Sequence[str]) -> dict[str, Tag]:
    """The tags that exist with these (cleaned) names, by casefolded name: matched ignoring
    case as taggit is configured to match them. One query; none without names."""
    if not names:
        return {}
    wanted = Q()
    for name in names:
        wanted |= Q(name__iexact=name)
    return {tag.name.casefold(): tag for tag in Tag.objects.filter(wanted)}


def tags_named(names: Sequence[str], *, existing: dict[str, Tag] | None = None) -> list[Tag]:
    """The tags with these (cleaned) names, the missing ones created; `existing`: what
    tags_existing(names) found (read before a write began). One query when every tag exists
    (none when `existing` is given)."""
    found = tags_existing(names) if existing is None else existing
    return [found.get(name.casefold()) or _tag_insert(name) for name in names]


def _tag_insert(name: str) -> Tag:
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=_unique_tag_slug(name, exclude=None))
    except IntegrityError:  # another writer made it meanwhile
        return Tag.objects.get(name__iexact=name)


def _bump_tagged(tag_ids: Sequence[int]) -> int:
    """Bump the version of the annotations carrying these tags, and mark the claims carrying
    them changed (their tags read differently: cached pages key on both)."""
    now = timezone.now()
    Claim.objects.filter(
        pk__in=TaggedClaim.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    ).update(modified=now)
    return Annotation.objects.filter(
        pk__in=TaggedAnnotation.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    ).update(version=F("version") + 1, modified=now)


@transaction.atomic
def tag_create(*, user: access.User, name: str) -> Tag:
    access.require_curator(user)
    name = tag_name_check(name=name)
    return Tag.objects.create(name=name, slug=_unique_tag_slug(name, exclude=None))


@transaction.atomic
def tag_rename(*, user: access.User, tag: Tag, name: str) -> Tag:
    """Rename a tag everywhere it is used; its slug (and so its page's address) follows."""
    access.require_curator(user)
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
def tags_delete(*, user: access.User, tags: Sequence[Tag]) -> int:
    """Delete tags, taking them off every annotation and claim."""
    access.require_curator(user)
    ids = [tag.pk for tag in tags]
    _bump_tagged(ids)
    deleted: int = Tag.objects.filter(pk__in=ids).delete()[1].get(Tag._meta.label, 0)
    return deleted


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
def tags_merge(*, user: access.User, keep: Tag, others: Sequence[Tag]) -> TagMergeReport:
    """Fold tags into one: whatever carried one of the others carries the kept tag instead
    (once), annotation versions are bumped, and the others are deleted."""
    access.require_curator(user)
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
    return clean_tags(list(tags))


def tags_attach(annotation: Annotation, names: Sequence[str]) -> list[Tag]:
    """Tag a new annotation with these names (tags made as needed); the tags, in order."""
    named = tags_named(names)
    tags_link(annotation, named)
    return named


def tags_link(annotation: Annotation, tags: Sequence[Tag]) -> None:
    """Tag a new annotation with these tags (as `tags_named` gave them, read before the
    write began, so that the write holds its lock for the inserts alone)."""
    TaggedAnnotation.objects.bulk_create(
        TaggedAnnotation(tag=tag, content_object=annotation) for tag in tags
    )
