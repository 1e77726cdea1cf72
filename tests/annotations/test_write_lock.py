"""A new annotation holds the write lock (on SQLite the whole database's, on PostgreSQL the
site's activity row) for its inserts alone: what it reads is read before the write begins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import TaggedAnnotation

pytestmark = pytest.mark.django_db


def _first(queries: list[str], *needles: str) -> int:
    return next(n for n, sql in enumerate(queries) if all(needle in sql for needle in needles))


@pytest.mark.parametrize("tags", [["ceasefire", "Guarantors"], ["ceasefire", "a new one"]])
def test_tags_are_read_before_the_annotation_is_written(seeds, alice, tags):
    """The tags an annotation names are looked up before its insert; once it is written, no
    existing tag is read again (only a new one is made, with the annotation, in its write);
    the annotation carries them all."""
    services.annotation_create(
        user=alice, article=seeds["000"], start=0, end=5, tags=["ceasefire", "guarantors"]
    )
    with CaptureQueriesContext(connection) as ctx:
        made = services.annotation_create(
            user=alice, article=seeds["000"], start=10, end=20, tags=tags
        ).annotation
    queries = [q["sql"] for q in ctx.captured_queries]
    written = _first(queries, "INSERT INTO", "annotations_annotation")
    assert _first(queries, "SELECT", "taggit_tag") < written
    read_after = [sql for sql in queries[written:] if "SELECT" in sql and "taggit_tag" in sql]
    new = [t for t in tags if t.casefold() not in ("ceasefire", "guarantors")]
    assert len(read_after) == len(new)  # (a new tag's unique slug is looked for)
    carried = TaggedAnnotation.objects.filter(content_object=made)
    assert sorted(t.tag.name.casefold() for t in carried) == sorted(t.casefold() for t in tags)
