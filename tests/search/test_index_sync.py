"""The index follows every write: imports, re-imports, edits and deletes, by any code path."""

import pytest
from django.db import connection

from annotations.models import Annotation
from annotations.search import search
from annotations.services import annotation_delete, annotation_update, claim_create, claim_update
from articles.models import Article, ArticleRevision

from .conftest import annotate, found

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def urls(client, query: str, kind: str = "") -> list[str]:
    return [url for _, url in found(client.get(SEARCH, {"q": query, "kind": kind}))]


def test_reimport_replaces_old_words_with_new(client, make_article):
    """After a changed file is imported again, its old words no longer match and new ones do."""
    article = make_article("talks.txt", "Monsoon talks", "A monsoon hit the hotel.")
    assert urls(client, "monsoon") == [article.get_absolute_url()]
    make_article("talks.txt", "Typhoon talks", "A typhoon hit the hotel.")
    assert urls(client, "monsoon") == []
    assert urls(client, "typhoon") == [article.get_absolute_url()]
    result = client.get(SEARCH, {"q": "typhoon"}).context["results"].results[0]
    assert "<mark>Typhoon</mark> talks" in result.title_html


def test_deleted_annotation_is_gone(client, make_article, alice):
    """After an annotation is deleted it is no longer found."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    assert len(urls(client, "cyclone")) == 1
    annotation_delete(user=alice, annotation=note)
    assert urls(client, "cyclone") == []


def test_edited_note_matches_its_new_words(client, make_article, alice):
    """After a note is edited its new words match and its old ones do not."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    annotation_update(user=alice, annotation=note, expected_version=None, note="Hailstorm alert")
    assert urls(client, "cyclone") == []
    assert urls(client, "hailstorm") == [f"{article.get_absolute_url()}#card-{note.pk}"]


def test_edited_claim_matches_its_new_words(client, alice):
    """After a claim's text and claimant change, search follows (for its creator, the one
    who may see a claim no passage carries)."""
    client.force_login(alice)
    claim = claim_create(user=alice, text="The cyclone delayed the talks", claimant="Lavrov")
    claim_update(user=alice, claim=claim, text="The hailstorm delayed the talks", claimant="Zarif")
    assert urls(client, "cyclone") == []
    assert urls(client, "hailstorm") == [f"/claims/{claim.pk}/"]
    assert urls(client, "zarif") == [f"/claims/{claim.pk}/"]
    assert urls(client, "lavrov") == []


def test_writes_outside_the_services_are_followed_too(client, make_article, alice):
    """Bulk updates and deletes that skip save() and signals still keep the index in sync."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    gone = make_article("gone.txt", "Sandstorm story", "A sandstorm hit the hotel.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    Annotation.objects.filter(pk=note.pk).update(note="Drizzle only")
    assert urls(client, "cyclone") == []
    assert len(urls(client, "drizzle")) == 1
    assert urls(client, "sandstorm") == [gone.get_absolute_url()]
    gone.delete()
    assert urls(client, "sandstorm") == []


def test_changed_revision_body_is_followed(client, make_article):
    """If the current revision's body is ever rewritten in place, search follows it."""
    article = make_article("talks.txt", "Talks", "A monsoon hit the hotel.")
    body = article.current_revision.body.replace("monsoon", "typhoon")
    ArticleRevision.objects.filter(pk=article.current_revision_id).update(body=body)
    assert urls(client, "monsoon") == []
    assert urls(client, "typhoon") == [article.get_absolute_url()]


# What the index must hold for each searched table: on PostgreSQL the stored vectors of
# migration articles/0010; on SQLite the rows of the FTS5 table of 0008 (rowid pk * 4 + kind).
STORED = {
    "articles_article": "setweight(to_tsvector('english', t.title), 'A') || setweight("
    "to_tsvector('english', COALESCE((SELECT body FROM articles_articlerevision "
    "WHERE id = t.current_revision_id), '')), 'B')",
    "annotations_annotation": "setweight(to_tsvector('english', t.note), 'A') || "
    "setweight(to_tsvector('english', t.exact), 'B')",
    "annotations_claim": "setweight(to_tsvector('english', t.text), 'A') || "
    "setweight(to_tsvector('english', t.reviewer_notes), 'B') || "
    "setweight(to_tsvector('english', t.claimant), 'C')",
}
FTS_ROWS = {
    "articles_article": (
        1,
        "t.title",
        "COALESCE((SELECT body FROM articles_articlerevision WHERE id = t.current_revision_id),"
        " '')",
        "''",
    ),
    "annotations_annotation": (2, "t.note", "t.exact", "''"),
    "annotations_claim": (3, "t.text", "t.reviewer_notes", "t.claimant"),
}


def _stale_sql(table: str) -> list[str]:
    """Queries counting the table's rows the index holds wrongly (and, on SQLite, index rows
    whose source row is gone)."""
    if connection.vendor == "postgresql":
        return [
            f"SELECT COUNT(*) FROM {table} t WHERE search_vector IS DISTINCT FROM {STORED[table]}"
        ]
    kind, head, body, who = FTS_ROWS[table]
    return [
        f"SELECT COUNT(*) FROM {table} t LEFT JOIN articles_search s ON s.rowid = t.id * 4 + "
        f"{kind} WHERE s.rowid IS NULL OR s.head IS NOT {head} OR s.body IS NOT {body} "
        f"OR s.who IS NOT {who}",
        f"SELECT COUNT(*) FROM articles_search WHERE rowid % 4 = {kind} "
        f"AND rowid / 4 NOT IN (SELECT id FROM {table})",
    ]


def stale_vectors() -> dict[str, int]:
    """For each searched table, how many rows the index holds differently from their text."""
    with connection.cursor() as cursor:
        stale = {}
        for table in STORED:
            stale[table] = 0
            for sql in _stale_sql(table):
                cursor.execute(sql)
                stale[table] += cursor.fetchone()[0]
        return stale


def test_stored_vectors_follow_every_write(make_article, alice):
    """On PostgreSQL the stored vectors equal their text after imports, new revisions, edits
    and deletes, by the services or by bulk writes."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    other = make_article("other.txt", "Other talks", "Officials said nothing.")
    note = annotate(alice, article, "Officials said", note="Cyclone warning")
    gone = annotate(alice, other, "Officials said", note="Drizzle")
    claim = claim_create(user=alice, text="The cyclone delayed the talks", claimant="Lavrov")
    assert stale_vectors() == dict.fromkeys(STORED, 0)
    make_article("talks.txt", "Typhoon talks", "Officials said a typhoon came.")  # revision 2
    annotation_update(user=alice, annotation=note, expected_version=None, note="Hailstorm")
    annotation_delete(user=alice, annotation=gone)
    claim_update(user=alice, claim=claim, text="The hailstorm delayed the talks", claimant="")
    Article.objects.filter(pk=other.pk).update(title="Renamed in bulk")
    Annotation.objects.filter(pk=note.pk).update(exact="Officials", note="")
    assert search(user=alice, query="typhoon").total == 1
    assert stale_vectors() == dict.fromkeys(STORED, 0)


def test_page_past_the_last_match_still_counts(make_article, alice):
    """Asking for a page after the last match returns no results but the right total."""
    article = make_article("talks.txt", "Talks", "Officials said the talks went on.")
    for n in range(3):
        annotate(alice, article, "Officials said", note=f"Tramontana note {n}")
    results = search(user=alice, query="tramontana", offset=40)
    assert (results.total, results.results) == (3, [])
    results = search(user=alice, query="tramontana", limit=2, offset=2)
    assert results.total == 3
    assert len(results.results) == 1
