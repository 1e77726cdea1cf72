"""Writing a revision's blocks and the article fields its extraction decides: what importing
and curation share."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection

from .. import metadata
from ..ingest import Block as IngestBlock
from ..ingest import (
    Extraction,
    Kind,
)
from ..models import Article, ArticleRevision, Block, Outlet

BLOCK_COLUMNS = (  # a block row's columns, in the order block_rows gives them
    "revision",
    "position",
    "kind",
    "rule",
    "text",
    "author",
    "start",
    "end",
    "body_start",
    "body_end",
    "language",
    "direction",
)


# A Block row's values, in the order of BLOCK_COLUMNS.
BlockRow = tuple[int, int, str, str, str, str, int, int, int | None, int | None, str, str]


def block_rows(revision: ArticleRevision, blocks: Sequence[IngestBlock]) -> Iterator[BlockRow]:
    """The values of a revision's Block rows, in the order of BLOCK_COLUMNS."""
    for position, block in enumerate(blocks):
        yield (
            revision.pk,
            position,
            block.kind.value,
            block.rule[:300],
            block.text,
            block.author[:200],
            block.start,
            block.end,
            block.body_start,
            block.body_end,
            block.language[:16],
            block.direction[:3],
        )


def blocks_insert(rows: Iterable[BlockRow]) -> None:
    """Insert Block rows given as tuples of values (see block_rows).

    One prepared INSERT run for every row (COPY on PostgreSQL): a revision has about 27
    blocks, and making a model instance for each and the SQL of a many-row insert
    (`bulk_create`) cost more than all the rest of an import. The rows are exactly those
    `Block.objects.bulk_create` would write (no field of Block has a default or a pre_save
    hook that fills it in).
    """
    quote = connection.ops.quote_name
    # (ignore: get_field may give a reverse relation, without a column; these are Block's own)
    columns = ", ".join(
        quote(Block._meta.get_field(name).column)  # type: ignore[union-attr, arg-type]
        for name in BLOCK_COLUMNS
    )
    table = quote(Block._meta.db_table)
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows; an INSERT for each would be a round of parsing each.
            statement = f"COPY {table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(BLOCK_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def revision_add(
    article: Article, *, blocks: Sequence[IngestBlock], **fields: Any
) -> ArticleRevision:
    """A new revision of the article with its blocks (the caller makes it current)."""
    revision = ArticleRevision.objects.create(article=article, **fields)
    blocks_insert(block_rows(revision, blocks))
    return revision


def revision_number_next(article: Article) -> int:
    """The number the article's next revision takes (1 for its first)."""
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def extraction_apply(article: Article, extraction: Extraction) -> list[str]:
    """The metadata read off the page, except the outlet and what a curator set (see
    articles/metadata.py); returns the names of the fields that changed."""
    changed = metadata.metadata_apply(article, extraction)
    for name, value in (("credits", extraction.credits), ("word_count", extraction.word_count)):
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed.append(name)
    return changed


def metadata_apply(article: Article, extraction: Extraction, outlet: Outlet | None) -> None:
    extraction_apply(article, extraction)
    article.outlet = outlet


# --- Curation -------------------------------------------------------------------------------


def ingest_blocks(revision: ArticleRevision) -> list[IngestBlock]:
    return [
        IngestBlock(
            kind=Kind(block.kind),
            start=block.start,
            end=block.end,
            rule=block.rule,
            text=block.text,
            author=block.author,
            in_body=block.body_start is not None,
            body_start=block.body_start,
            body_end=block.body_end,
            language=block.language,
            direction=block.direction,
        )
        for block in revision.blocks.order_by("position")
    ]
