"""Importing many files at once (`articles_import`): several files to a transaction, the same
rows as one file at a time, and a failing file never half-written."""

import pytest
from django.db import IntegrityError, connection

from articles import services
from articles.ingest import IngestError
from articles.models import Article, ArticleRevision, Block
from articles.services import ImportFile, ImportStatus, articles_import

pytestmark = pytest.mark.django_db

TEXT = (
    "{title}\n\n"
    "DAMASCUS - The ceasefire held for a {n} day on Sunday, officials said.\n\n"
    "Talks are expected to resume next week in the Kazakh capital.\n"
)


def page(title: str, n: int) -> bytes:
    return TEXT.format(title=title, n=n).encode()


def files(*pages: tuple[str, bytes]) -> list[ImportFile]:
    return [ImportFile(name=name, data=data, source_path=f"in/{name}") for name, data in pages]


def rows() -> list[list[tuple]]:
    """Every imported row, with ids replaced by their rank (so two runs compare)."""
    articles = {
        pk: rank
        for rank, pk in enumerate(Article.objects.order_by("pk").values_list("pk", flat=True))
    }
    revisions = {
        pk: rank
        for rank, pk in enumerate(
            ArticleRevision.objects.order_by("pk").values_list("pk", flat=True)
        )
    }
    article_fields = ("source_name", "slug", "title", "outlet_id", "word_count", "status")
    revision_fields = ("number", "sha256", "body", "source_path", "warnings")
    block_fields = ("position", "kind", "rule", "text", "start", "end", "body_start", "body_end")
    return [
        [
            (articles[pk], revisions.get(current), *values)
            for pk, current, *values in Article.objects.order_by("pk").values_list(
                "pk", "current_revision", *article_fields
            )
        ],
        [
            (revisions[pk], articles[article], *values)
            for pk, article, *values in ArticleRevision.objects.order_by("pk").values_list(
                "pk", "article", *revision_fields
            )
        ],
        [
            (revisions[revision], *values)
            for revision, *values in Block.objects.order_by("pk").values_list(
                "revision", *block_fields
            )
        ],
        [
            (articles[pk], revisions.get(current), kind, slug)
            for pk, current, kind, slug in Article.history.order_by("history_id").values_list(
                "id", "current_revision", "history_type", "slug"
            )
        ],
    ]


def wipe() -> None:
    Article.objects.update(current_revision=None)
    Article.objects.all().delete()
    Article.history.all().delete()


def run_all(batch: int, *rounds: list[ImportFile]) -> list:
    """Each round imported in turn; the statuses, slugs and errors it gave."""
    outcome = []
    for round_files in rounds:
        for file, result in articles_import(files=round_files, batch=batch):
            if isinstance(result, IngestError):
                outcome.append((file.name, "error", str(result)))
            else:
                outcome.append((file.name, result.status.value, result.article.slug))
    return outcome


def test_batches_write_the_same_rows_as_one_file_at_a_time():
    """New, unchanged and changed files, a name twice in one run, titles shared by many files
    (more than one probe of numbered slugs) and refused files: the results and the rows are
    those of one transaction per file, whatever the batch size."""
    first = files(
        *((f"same-{i}.txt", page("Ceasefire holds in the north", i)) for i in range(12)),
        ("empty.txt", b""),
        ("other.txt", page("Talks resume in Astana", 1)),
        ("twice.txt", page("A file seen twice", 1)),
        ("twice.txt", page("A file seen twice", 2)),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("x" * 300 + ".txt", page("A name too long", 1)),
    )
    second = files(
        ("same-3.txt", page("Ceasefire holds in the north", 3)),  # unchanged
        ("other.txt", page("Talks resume in Astana", 2)),  # revised
        *((f"late-{i}.txt", page("Ceasefire holds in the north", 20 + i)) for i in range(3)),
        ("twice.txt", page("A file seen twice", 2)),  # unchanged
    )
    one_at_a_time = run_all(1, first, second)
    expected = rows()
    wipe()
    for batch in (3, 100):
        assert run_all(batch, first, second) == one_at_a_time
        assert rows() == expected
        wipe()
    slugs = [slug for name, status, slug in one_at_a_time if name.startswith("same-")]
    assert slugs[:3] == [
        "ceasefire-holds-in-the-north",
        "ceasefire-holds-in-the-north-2",
        "ceasefire-holds-in-the-north-3",
    ]
    assert len(set(slugs[:12])) == 12
    statuses = {(name, status) for name, status, _ in one_at_a_time}
    assert ("twice.txt", "revised") in statuses
    assert ("other.txt", "revised") in statuses
    assert ("same-3.txt", "unchanged") in statuses
    assert sum(status == "error" for _, status, _ in one_at_a_time) == 3


def test_a_batch_costs_a_few_statements_whatever_its_size():
    """Ten new files in one batch: one transaction and a fixed number of statements."""
    from django.test.utils import CaptureQueriesContext

    batch = files(*((f"story-{i}.txt", page(f"Story number {i} today", i)) for i in range(10)))
    with CaptureQueriesContext(connection) as captured:
        results = list(articles_import(files=batch))
    assert [r.status for _, r in results] == [ImportStatus.CREATED] * 10
    statements = [q["sql"] for q in captured.captured_queries]
    assert sum(s.startswith(("BEGIN", "SAVEPOINT")) for s in statements) <= 1
    assert len(statements) <= 10
    assert (
        Block.objects.count()
        == sum(len(r.revision.blocks.all()) for _, r in results)
        == sum(r.revision.blocks.count() for _, r in results)
    )


def test_a_database_error_in_a_batch_keeps_the_files_before_it(monkeypatch):
    """When writing one file of a batch fails, the files before it are imported and yielded,
    the error propagates, and nothing of that file or the ones after it is written."""
    batch = files(*((f"story-{i}.txt", page(f"Story number {i} today", i)) for i in range(6)))
    original = services.blocks.blocks_insert

    def failing(rows):
        rows = list(rows)
        if any("number 3" in row[4] for row in rows):
            raise IntegrityError("simulated failure while writing blocks")
        return original(rows)

    monkeypatch.setattr(services.blocks, "blocks_insert", failing)
    done = []

    def import_all():
        for file, result in articles_import(files=batch, batch=100):
            done.append((file.name, result.status))

    with pytest.raises(IntegrityError):
        import_all()
    assert done == [(f"story-{i}.txt", ImportStatus.CREATED) for i in range(3)]
    assert sorted(Article.objects.values_list("source_name", flat=True)) == [
        "story-0.txt",
        "story-1.txt",
        "story-2.txt",
    ]
    assert ArticleRevision.objects.count() == 3
    assert Article.history.count() == 3
    assert all(a.current_revision.blocks.exists() for a in Article.objects.all())


def test_imported_articles_are_found_by_search_and_show_their_history(admin_client):
    """A batch keeps the search index in sync, and each article's admin history shows its
    import (one record, with the current revision set)."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from annotations.search import search

    pages = files(*((f"s-{i}.txt", page(f"Zanzibarian envoy {i} arrives", i)) for i in range(5)))
    list(articles_import(files=pages))
    assert search(user=AnonymousUser(), query="Zanzibarian").total == 5
    assert search(user=AnonymousUser(), query="Kazakh").total == 5  # words of the body
    article = Article.objects.get(source_name="s-2.txt")
    (record,) = article.history.all()
    assert record.history_type == "+"
    assert record.current_revision_id == article.current_revision_id
    url = reverse("admin:articles_article_history", args=[article.pk])
    assert "Created" in admin_client.get(url).content.decode()
