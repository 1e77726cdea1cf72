"""A person's page (/users/<username>/): what they wrote that the reader may see, and its export.

Everything goes through access.py: anonymous readers see a person's public annotations on
published articles, the person also their private ones, staff also the hidden ones; nobody sees
someone else's private notes. Filters (tag, kind, article) narrow the same set for the page and
for its downloads, so an export is exactly the list the reader is looking at. The page runs a
number of queries that does not grow with the annotations it shows.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from taggit.models import Tag

from . import access
from .exchange import ExportDocument, annotation_collection, annotations_csv
from .export_markdown import KIND_LABELS, PAGE_NOTE, Absolute, annotations_markdown, kind_label
from .models import AnchorStatus, Annotation, Motivation, TaggedAnnotation

PER_PAGE = 25
_FILENAME_UNSAFE = re.compile(r"[^\w.-]+")
FILTERS = ("tag", "kind", "article")
MAX_PARAM_LENGTH = 200
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "jsonld": ("application/ld+json", "jsonld"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


@dataclass(frozen=True, slots=True)
class PersonFilters:
    """The page's filters as sent (?tag=<slug>&kind=<motivation>&article=<slug>), bounded."""

    tag: str = ""
    kind: str = ""
    article: str = ""

    @classmethod
    def parse(cls, params: QueryDict) -> "PersonFilters":
        return cls(**{name: params.get(name, "")[:MAX_PARAM_LENGTH].strip() for name in FILTERS})

    def params(self, **changes: str) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), with some changed."""
        values = {name: getattr(self, name) for name in FILTERS} | changes
        return {name: value for name, value in values.items() if value}

    def query(self, **changes: str) -> str:
        """The filters as a query string ("" or "?tag=...")."""
        params = self.params(**changes)
        return f"?{urlencode(params)}" if params else ""

    @property
    def any(self) -> bool:
        return bool(self.params())


_PAGE_NOTE_Q = Q(parent__isnull=True, start__isnull=True)


def _kind_q(kind: str) -> Q | None:
    """The annotations of a kind: page notes, or a motivation (page notes apart); None for a
    kind there is not."""
    if kind == PAGE_NOTE:
        return _PAGE_NOTE_Q
    if kind in Motivation.values:
        return Q(motivation=kind) & ~_PAGE_NOTE_Q
    return None


def person_get(*, username: str):
    """The user with this exact username; access.NotVisible when there is none."""
    try:
        return get_user_model().objects.get(username=username[:MAX_PARAM_LENGTH])
    except get_user_model().DoesNotExist:
        raise access.NotVisible from None


def _written_by(*, viewer, person) -> QuerySet[Annotation]:
    return access.annotations_visible_to(viewer).filter(creator=person)


def person_annotations(*, viewer, person, filters: PersonFilters) -> QuerySet[Annotation]:
    """The person's annotations the viewer may see, filtered, newest first. A kind that is not
    a motivation matches nothing (an empty list, not every annotation)."""
    annotations = _written_by(viewer=viewer, person=person)
    if filters.tag:
        tagged = TaggedAnnotation.objects.filter(
            content_object=OuterRef("pk"), tag__slug=filters.tag
        )
        annotations = annotations.filter(Exists(tagged))
    if filters.kind:
        kind = _kind_q(filters.kind)
        annotations = annotations.filter(kind) if kind is not None else annotations.none()
    if filters.article:
        annotations = annotations.filter(article__slug=filters.article)
    return annotations.order_by("-created", "-pk")


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """A filter in force, and the address of the same list without it."""

    name: str  # "Tag", "Kind", "Article"
    label: str
    remove_url: str


@dataclass(slots=True)
class PersonItem:
    """One annotation as the person's page shows it, formatted once here."""

    annotation: Annotation
    kind: str
    quote: str
    note_html: str
    tags: list[Tag]
    context_url: str
    in_reply_to: str = ""
    claim_text: str = ""
    orphaned: bool = False
    created_iso: str = ""
    created_label: str = ""

    @classmethod
    def of(cls, annotation: Annotation) -> "PersonItem":
        created = timezone.localtime(annotation.created)
        parent = annotation.parent if annotation.parent_id is not None else None
        return cls(
            annotation=annotation,
            kind=kind_label(annotation),
            quote=annotation.exact,
            # Rendered and sanitised when the note was written (annotations/notes.py).
            note_html=mark_safe(annotation.note_html),
            tags=sorted(annotation.tags.all(), key=lambda t: t.name.lower()),
            context_url=reverse("annotations:annotation-permalink", args=[annotation.pk]),
            in_reply_to=(
                Truncator(parent.exact or parent.note).chars(160) if parent is not None else ""
            ),
            claim_text=annotation.claim.text if annotation.claim_id else "",
            orphaned=annotation.anchor_status == AnchorStatus.ORPHANED,
            created_iso=dateformat.format(created, "c"),
            created_label=dateformat.format(created, "j M Y, H:i"),
        )


@dataclass(slots=True)
class PersonPage:
    person: Any
    filters: PersonFilters
    page: Page
    items: list[PersonItem]
    total: int  # everything of theirs the viewer may see, before filters
    tags: list[Choice]
    kinds: list[Choice]
    articles: list[Choice]
    own: bool = False  # the viewer is the person
    active: list[ActiveFilter] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)  # format -> address
    tag_link: str = ""  # this list's address filtered by a tag, but for the tag's slug
    prev_url: str = ""
    next_url: str = ""


def _choices(*, viewer, person) -> tuple[list[Choice], list[Choice], list[Choice]]:
    """What the filters offer: the person's tags, kinds and articles the viewer may see, each
    with how many annotations it would list (three queries)."""
    written = _written_by(viewer=viewer, person=person)
    tag_rows = (
        TaggedAnnotation.objects.filter(content_object__in=written.values("pk"))
        .values("tag__slug", "tag__name")
        .annotate(n=Count("content_object", distinct=True))
        .order_by(Lower("tag__name"), "tag__slug")
    )
    kind = Case(
        When(_PAGE_NOTE_Q, then=Value(PAGE_NOTE)),
        default=F("motivation"),
        output_field=CharField(),
    )
    kind_rows = written.annotate(kind=kind).values("kind").annotate(n=Count("pk")).order_by("kind")
    article_rows = (
        written.values("article__slug", "article__title")
        .annotate(n=Count("pk"))
        .order_by(Lower("article__title"), "article__slug")
    )
    tags = [Choice(r["tag__slug"], r["tag__name"], r["n"]) for r in tag_rows]
    kinds = [Choice(r["kind"], KIND_LABELS.get(r["kind"], r["kind"]), r["n"]) for r in kind_rows]
    articles = [Choice(r["article__slug"], r["article__title"], r["n"]) for r in article_rows]
    return tags, kinds, articles


def _active(
    filters: PersonFilters, base: str, choices: dict[str, list[Choice]]
) -> list[ActiveFilter]:
    active = []
    for name in FILTERS:
        value = getattr(filters, name)
        if not value:
            continue
        label = next((c.label for c in choices[name] if c.value == value), value)
        active.append(ActiveFilter(name.capitalize(), label, base + filters.query(**{name: ""})))
    return active


def person_page(*, viewer, person, filters: PersonFilters, page_number: int) -> PersonPage:
    """Everything the person's page shows, for this viewer and these filters."""
    records = (
        person_annotations(viewer=viewer, person=person, filters=filters)
        .select_related("article", "creator", "claim", "parent")
        .prefetch_related("tags")
    )
    page = Paginator(records, PER_PAGE).get_page(page_number)
    tags, kinds, articles = _choices(viewer=viewer, person=person)
    base = reverse("annotations:user-detail", args=[person.get_username()])
    export = reverse("annotations:user-export", args=[person.get_username()])
    others = filters.params(tag="")
    return PersonPage(
        person=person,
        own=viewer is not None and viewer.is_authenticated and viewer.pk == person.pk,
        filters=filters,
        page=page,
        items=[PersonItem.of(a) for a in page.object_list],
        total=sum(k.count for k in kinds),
        tags=tags,
        kinds=kinds,
        articles=articles,
        active=_active(filters, base, {"tag": tags, "kind": kinds, "article": articles}),
        tag_link=f"{base}?{urlencode(others) + '&' if others else ''}tag=",
        prev_url=(
            base + filters.query(page=str(page.previous_page_number()))
            if page.has_previous()
            else ""
        ),
        next_url=(
            base + filters.query(page=str(page.next_page_number())) if page.has_next() else ""
        ),
        exports={
            fmt: f"{export}?{urlencode(filters.params() | {'format': fmt})}"
            for fmt in EXPORT_FORMATS
        },
    )


def _describe(filters: PersonFilters) -> str:
    parts = [f"{name} “{getattr(filters, name)}”" for name in FILTERS if getattr(filters, name)]
    return "Filtered by " + ", ".join(parts) + "." if parts else ""


def person_export(
    *,
    viewer,
    person,
    filters: PersonFilters,
    fmt: str,
    absolute: Absolute,
    collection_id: str,
) -> ExportDocument:
    """The person's annotations the viewer may see, filtered as on the page, as a file:
    W3C JSON-LD, CSV or Markdown. ValueError for another format."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Choose one of: {', '.join(EXPORT_FORMATS)}.")
    annotations = person_annotations(viewer=viewer, person=person, filters=filters)
    username = person.get_username()
    title = f"Annotations by {username}"
    if fmt == "jsonld":
        data = annotation_collection(
            annotations=annotations, absolute=absolute, label=title, collection_id=collection_id
        )
        content = json.dumps(data, ensure_ascii=False, indent=2)
    elif fmt == "csv":
        content = annotations_csv(annotations=annotations)
    else:
        content = annotations_markdown(
            annotations=annotations, absolute=absolute, title=title, summary=_describe(filters)
        )
    parts = ["astana-annotations", username, *filters.params().values(), f"{timezone.now():%Y%m%d}"]
    stem = "-".join(filter(None, (_FILENAME_UNSAFE.sub("-", p).strip("-.")[:60] for p in parts)))
    content_type, extension = EXPORT_FORMATS[fmt]
    return ExportDocument(content, content_type, f"{stem}.{extension}")
