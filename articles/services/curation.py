"""Curators' writes to articles and outlets (the admin): reclassify blocks, extract again,
set status, merge outlets, edit metadata, credit outlets. Each takes the acting user and
checks access.py."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import count
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from .. import access, metadata, selectors
from ..ingest import Block as IngestBlock
from ..ingest import (
    Kind,
    extract,
    reassemble,
)
from ..ingest.html import extract_html
from ..ingest.slugs import slug_text
from ..ingest.text import word_count
from ..models import Article, ArticleRevision, Outlet
from ..revisions import FollowReport, revision_follow
from . import blocks as revision_blocks
from .imports import comparison_enqueue
from .stories import stories_suggest


class CurationInvalid(ValueError):
    """A curator's request that cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class RevisionResult:
    """A revision made by a curator (or None when nothing changed), and what moved."""

    article: Article
    revision: ArticleRevision | None
    reanchor: FollowReport | None
    changes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.revision is None:
            done = "; ".join(self.changes) if self.changes else "nothing changed"
            return f"“{self.article.title}”: {done}."
        text = f"“{self.article.title}”: revision {self.revision.number} made"
        if self.changes:
            text += " (" + "; ".join(self.changes) + ")"
        if self.reanchor is not None and self.reanchor.counts:
            text += f"; annotations: {self.reanchor.summary()}"
        return text + "."


def _curated_revision(
    *,
    user: access.User,
    article: Article,
    blocks: Sequence[IngestBlock],
    body: str,
    note: str,
    **fields: Any,
) -> tuple[ArticleRevision, FollowReport | None]:
    """Add a revision built from the current one's file, make it current and re-anchor."""
    current = _current(article)
    revision = revision_blocks.revision_add(
        article,
        number=revision_blocks.revision_number_next(article),
        raw_bytes=current.raw_bytes,
        sha256=current.sha256,
        encoding=current.encoding,
        raw_text=current.raw_text,
        body=body,
        blocks=blocks,
        source_path=current.source_path,
        curated_by=user,
        change_note=note[:1000],
        **{
            "outlet_rule": current.outlet_rule,
            "warnings": current.warnings,
            # The same file: an HTML page stays one (re-extraction reads its markup again).
            "source_format": current.source_format,
            "source_url": current.source_url,
            **fields,
        },
    )
    article.current_revision = revision
    article.word_count = word_count(body)
    article.save(
        update_fields=["current_revision", "word_count", "title", "title_derived", "updated"]
    )
    return revision, revision_follow(article=article, revision=revision)


def _locked(article: Article) -> Article:
    locked = (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )
    if locked.current_revision is None:
        raise CurationInvalid("This article has no text to change.")
    return locked


def _current(article: Article) -> ArticleRevision:
    """The current revision of an article `_locked` returned (so it has one)."""
    if article.current_revision is None:
        raise CurationInvalid("This article has no text to change.")
    return article.current_revision


def article_reclassify(
    *, user: access.User, article: Article, kinds: Mapping[int, str]
) -> RevisionResult:
    """Give some blocks of the current revision another kind (by position); the body is
    rebuilt as a new revision, the annotations re-anchored and the comparison refreshed."""
    access.require_curator(user)
    with transaction.atomic():
        article = _locked(article)
        current = list(revision_blocks.ingest_blocks(_current(article)))
        wanted: dict[int, Kind] = {}
        for position, value in kinds.items():
            if not isinstance(position, int) or not 0 <= position < len(current):
                raise CurationInvalid(f"There is no block {position} in the current revision.")
            try:
                kind = Kind(value)
            except ValueError:
                raise CurationInvalid(f"“{value}” is not a block kind.") from None
            if kind != current[position].kind:
                wanted[position] = kind
        if not wanted:
            return RevisionResult(article, None, None)
        blocks, body = reassemble(current, wanted)
        if not body.strip():
            raise CurationInvalid("With these kinds the article would have no readable text.")
        changes = [
            f"block {p}: {current[p].kind.label} → {k.label}" for p, k in sorted(wanted.items())
        ]
        title = next((b.text for b in blocks if b.kind is Kind.TITLE and b.in_body), None)
        if title is not None and any(
            current[p].kind is Kind.TITLE or k is Kind.TITLE for p, k in wanted.items()
        ):
            article.title = title[:500]
            article.title_derived = False
        revision, report = _curated_revision(
            user=user, article=article, blocks=blocks, body=body, note="; ".join(changes)
        )
    comparison_enqueue(article_ids=[article.pk], user=user)
    return RevisionResult(article, revision, report, changes)


def article_reextract(*, user: access.User, article: Article) -> RevisionResult:
    """Run extraction again on the current revision's file (the rules or outlets may have
    changed); a new revision only when the blocks come out different."""
    access.require_curator(user)
    with transaction.atomic():
        article = _locked(article)
        current = _current(article)
        if current.source_format == "html":  # the markup's hints come from the saved bytes
            extraction = extract_html(
                bytes(current.raw_bytes),
                url=current.source_url or None,
                outlets=selectors.outlet_signatures(),
            ).extraction
        else:
            extraction = extract(current.raw_text, outlets=selectors.outlet_signatures())
        old = [
            (b.kind, b.start, b.end, b.body_start, b.language, b.direction)
            for b in revision_blocks.ingest_blocks(current)
        ]
        new = [
            (b.kind, b.start, b.end, b.body_start, b.language, b.direction)
            for b in extraction.blocks
        ]
        if old == new and extraction.body == current.body:
            # The same blocks, but the date, byline or language may be read better now.
            changed = revision_blocks.extraction_apply(article, extraction)
            if changed:
                article.save(update_fields=[*changed, "updated"])
            return RevisionResult(
                article, None, None, [f"read again: {', '.join(changed)}"] if changed else []
            )
        outlet = (
            Outlet.objects.get(pk=int(extraction.outlet_key)) if extraction.outlet_key else None
        )
        revision_blocks.metadata_apply(article, extraction, outlet or article.outlet)
        article.save()
        revision, report = _curated_revision(
            user=user,
            article=article,
            blocks=extraction.blocks,
            body=extraction.body,
            note="extraction run again",
            outlet_rule=extraction.outlet_rule[:300],
        )
    comparison_enqueue(article_ids=[article.pk], user=user)
    return RevisionResult(article, revision, report, ["extraction run again"])


def articles_set_status(*, user: access.User, articles: Sequence[Article], status: str) -> int:
    """Publish, unpublish (draft) or archive articles; returns how many changed."""
    access.require_curator(user)
    if status not in Article.Status.values:
        raise CurationInvalid(f"“{status}” is not an article status.")
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.status != status:
                article.status = status
                article.save(update_fields=["status", "updated"])  # recorded in the history
                changed += 1
    return changed


def outlets_merge(*, user: access.User, keep: Outlet, others: Sequence[Outlet]) -> int:
    """Fold other outlets into one: their articles, signatures and notes move to it.

    Returns how many articles moved. Agencies and outlets can't be merged into each other.
    """
    access.require_curator(user)
    others = [o for o in others if o.pk != keep.pk]
    if not others:
        raise CurationInvalid("Choose at least one other outlet to merge into the one kept.")
    if any(o.is_agency != keep.is_agency for o in others):
        raise CurationInvalid("An agency and an outlet can’t be merged.")
    with transaction.atomic():
        keep = Outlet.objects.select_for_update().get(pk=keep.pk)
        moved = 0
        for other in others:
            for article in Article.objects.filter(outlet=other):
                article.outlet = keep
                article.save(update_fields=["outlet", "updated"])
                moved += 1
            keep.signatures = list(dict.fromkeys([*keep.signatures, other.name, *other.signatures]))
            for name in ("homepage", "country", "ownership"):
                if not getattr(keep, name) and getattr(other, name):
                    setattr(keep, name, getattr(other, name))
            if other.notes:
                keep.notes = f"{keep.notes}\n\n{other.notes}".strip()
            other.delete()
        keep.save()
    return moved


# --- Metadata and outlets a curator sets ----------------------------------------------------


def _check_metadata(article: Article) -> None:
    if article.published_date is None and (
        article.published_time is not None or article.published_offset is not None
    ):
        raise CurationInvalid("A publication time or zone needs a publication date.")
    if article.published_offset is not None and abs(article.published_offset) > metadata.MAX_OFFSET:
        raise CurationInvalid("A zone is at most 18 hours (1080 minutes) from UTC.")
    if article.direction not in metadata.DIRECTIONS:
        raise CurationInvalid("The direction is “ltr” or “rtl”.")
    if not isinstance(article.authors, list) or not all(
        isinstance(name, str) for name in article.authors
    ):
        raise CurationInvalid('Authors are a list of names, e.g. ["Jane Doe", "Tom Roe"].')


def article_metadata_edit(
    *, user: access.User, article: Article, values: Mapping[str, object]
) -> list[str]:
    """Set an article's metadata as a curator: each piece whose value changes gets the rule
    "curator: set by <user>", so that running extraction again keeps it. The instance is
    saved whole (the admin's form may carry other changes). Returns the fields that changed.

    Raises CurationInvalid for a field that is not metadata or a value the article can't take.
    """
    access.require_curator(user)
    unknown = sorted(set(values) - metadata.FIELDS)
    if unknown:
        raise CurationInvalid(f"Not metadata: {', '.join(unknown)}.")
    if "authors" in values and values["authors"] is None:  # an emptied field in a form
        values = {**values, "authors": []}
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        for name, value in values.items():
            setattr(article, name, value)
        _check_metadata(article)
        for rule in dict.fromkeys(metadata.RULE_OF[name] for name in changed):
            setattr(article, rule, metadata.curator_rule(user.get_username()))
        article.save()
        if "published_date" in changed:  # stories weigh the day
            stories_suggest(article_ids=[article.pk])
    return changed


def article_metadata_release(*, user: access.User, article: Article) -> list[str]:
    """Let extraction decide again the pieces of metadata a curator set (their rules are
    cleared; the next extraction run or import reads them off the page). Returns the rules."""
    access.require_curator(user)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        released = [rule for rule in metadata.GROUPS if metadata.is_curated(getattr(article, rule))]
        for rule in released:
            setattr(article, rule, "")
        if released:
            article.save(update_fields=[*released, "updated"])
    return released


def article_metadata_reread(*, user: access.User, article: Article) -> RevisionResult:
    """Let extraction decide again the metadata a curator set, and run it again at once, in
    one transaction: when extraction cannot run (no text), the curator's values stay theirs."""
    access.require_curator(user)
    with transaction.atomic():
        released = article_metadata_release(user=user, article=article)
        result = article_reextract(user=user, article=article)
    if not released:
        return result
    return replace(result, changes=[f"released {', '.join(released)}", *result.changes])


def article_outlet_attach(*, user: access.User, article: Article, outlet: Outlet) -> None:
    """Credit an article to an outlet a curator chose; its suggested outlet name, if any,
    becomes one of the outlet's signatures (so its next pages are recognised) and is cleared."""
    access.require_curator(user)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
        name = article.outlet_suggestion.strip()
        known = {s.casefold() for s in outlet.signatures if isinstance(s, str)}
        if name and name.casefold() not in known:  # outlets are recognised by signatures
            outlet.signatures = [*outlet.signatures, name]
            outlet.save(update_fields=["signatures", "updated"])
        article.outlet = outlet
        article.outlet_suggestion = ""
        article.outlet_suggestion_rule = (
            f"{metadata.CURATOR_PREFIX} credited to {outlet.name} by {user.get_username()}"[:300]
        )
        article.save(
            update_fields=["outlet", "outlet_suggestion", "outlet_suggestion_rule", "updated"]
        )


def articles_outlet_attach(
    *, user: access.User, articles: Sequence[Article], outlet: Outlet
) -> int:
    """Credit several articles to one outlet, all of them or (on an error) none; returns how
    many were credited."""
    access.require_curator(user)
    with transaction.atomic():
        for article in articles:
            article_outlet_attach(user=user, article=article, outlet=outlet)
    return len(articles)


def article_outlet_from_suggestion(*, user: access.User, article: Article) -> tuple[Outlet, bool]:
    """Credit an article to the outlet its page names itself by: the outlet of that name
    (ignoring case), or a new one made from the suggestion, with a readable slug in any script
    ("ТАСС" → "tass"). Returns it and whether it is new. Raises CurationInvalid, with nothing
    written, when the article has no suggestion."""
    access.require_curator(user)
    with transaction.atomic():
        article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
        name = " ".join(article.outlet_suggestion.split())[:200]
        if not name:
            raise CurationInvalid(f"“{article.title}” has no suggested outlet.")
        outlet = Outlet.objects.filter(name__iexact=name).first()
        created = outlet is None
        if outlet is None:
            base = slugify(slug_text(name))[:90].rstrip("-") or "outlet"
            taken = set(Outlet.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            slug = next(s for n in count(1) if (s := _slug_numbered(base, n)) not in taken)
            outlet = Outlet.objects.create(
                name=name,
                slug=slug,
                notes=f"Suggested by the page of “{article.title}” "
                f"({article.outlet_suggestion_rule or 'no rule'}); "
                f"confirmed by {user.get_username()}.",
            )
        article_outlet_attach(user=user, article=article, outlet=outlet)
    return outlet, created


def _slug_numbered(base: str, n: int) -> str:
    return base if n == 1 else f"{base}-{n}"
