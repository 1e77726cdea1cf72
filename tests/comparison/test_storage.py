"""Stored comparison results: written on import, equal to a full recomputation, incremental."""

import io

import pytest
from django.core.management import call_command

from articles.comparison import store as comparison
from articles.comparison.engine import compare
from articles.comparison.store import comparison_refresh, engine_key
from articles.models import (
    Article,
    Attribution,
    ComparedRevision,
    Discrepancy,
    FramingFamily,
    FramingHit,
    FramingTerm,
    PassageLink,
)
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

GUARANTOR = "This will be a test for the Russians as the guarantor"


def stored_links() -> set[tuple]:
    return {
        (
            link.kind,
            link.a_article_id,
            link.a_start,
            link.a_end,
            link.b_article_id,
            link.b_start,
            link.b_end,
        )
        for link in PassageLink.objects.all()
    }


def recomputed_links() -> set[tuple]:
    articles = Article.objects.select_related("current_revision")
    ids = {engine_key(a.pk): a.pk for a in articles}
    result = compare({engine_key(a.pk): a.current_revision.body for a in articles})
    return {
        (
            link.kind,
            ids[link.a_key],
            link.a_start,
            link.a_end,
            ids[link.b_key],
            link.b_start,
            link.b_end,
        )
        for link in result.links
    }


def test_importing_the_seeds_stores_the_links_of_a_full_recomputation(seeds):
    """After the import command every link the engine finds is stored, and nothing else."""
    assert PassageLink.objects.exists()
    assert stored_links() == recomputed_links()
    assert ComparedRevision.objects.count() == 5
    current = set(Article.objects.values_list("current_revision", flat=True))
    assert set(ComparedRevision.objects.values_list("revision", flat=True)) == current


def test_the_shared_quote_of_001_and_004_is_linked_on_its_words(seeds):
    """The Reuters quote carried by 001 and 004 is linked between exactly those spans."""
    a, b = seeds["001"], seeds["004"]
    found = [
        link
        for link in PassageLink.objects.filter(a_article=min(a.pk, b.pk), b_article=max(a.pk, b.pk))
        if GUARANTOR in a.current_revision.body[link.a_start : link.a_end]
        or GUARANTOR in b.current_revision.body[link.b_start : link.b_end]
    ]
    assert found
    link = found[0]
    first = Article.objects.get(pk=link.a_article_id).current_revision.body
    second = Article.objects.get(pk=link.b_article_id).current_revision.body
    assert GUARANTOR in first[link.a_start : link.a_end]
    assert GUARANTOR in second[link.b_start : link.b_end]


def test_discrepancies_framing_and_attributions_are_stored(seeds):
    """The ceasefire dates, per-article framing counts and attributions come from the import."""
    readings = {(d.a_text, d.b_text) for d in Discrepancy.objects.filter(kind="date")}
    assert ("29 December 2016", "December 30, 2016") in readings
    rev_001 = seeds["001"].current_revision
    terms = list(FramingHit.objects.filter(revision=rev_001).values_list("term", flat=True))
    assert terms.count("Assad regime") == 6
    body_000 = seeds["000"].current_revision.body
    hits_000 = list(FramingHit.objects.filter(revision=seeds["000"].current_revision))
    assert hits_000
    for hit in hits_000:
        # "ceasefire regime" in 000 is not the government
        assert body_000[hit.start : hit.end].lower() != "regime"
    assert Attribution.objects.filter(revision=rev_001).exists()


def test_an_unchanged_reimport_rewrites_nothing(seeds):
    """Importing the same files again leaves every stored row as it was."""
    before = set(PassageLink.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("import_articles", "--no-progress", stdout=out)
    assert "comparison up to date" in out.getvalue()
    assert set(PassageLink.objects.values_list("pk", flat=True)) == before


def test_a_revision_replaces_only_the_links_that_involve_its_article(seeds):
    """Revising 004 rewrites its links (on the new revision); links among the others stay."""
    revised = seeds["004"]
    untouched = set(
        PassageLink.objects.exclude(a_article=revised)
        .exclude(b_article=revised)
        .values_list("pk", flat=True)
    )
    data = seed_path("004").read_bytes().replace(b"Mohammad Alloush", b"Mohammed Alloush")
    result = article_import(name=SEED_NAMES["004"], data=data)
    assert result.status == "revised"
    assert (
        set(
            PassageLink.objects.exclude(a_article=revised)
            .exclude(b_article=revised)
            .values_list("pk", flat=True)
        )
        == untouched
    )
    mine = PassageLink.objects.filter(a_article=revised) | PassageLink.objects.filter(
        b_article=revised
    )
    assert mine.exists()
    new = result.revision.pk
    for link in mine:
        side = link.a_revision_id if link.a_article_id == revised.pk else link.b_revision_id
        assert side == new
    assert stored_links() == recomputed_links()


def test_a_new_article_is_compared_with_the_corpus(seeds):
    """A new file that copies a passage of 001 is linked to 001 as soon as it is imported."""
    body = seeds["001"].current_revision.body
    start = body.index(GUARANTOR)
    text = "Copied wire story\n\nAnalysts said on Monday: " + body[start : start + 300] + "\n"
    result = article_import(name="copy.txt", data=text.encode())
    assert (
        PassageLink.objects.filter(b_article=result.article).filter(a_article=seeds["001"]).exists()
        or PassageLink.objects.filter(a_article=result.article, b_article=seeds["001"]).exists()
    )
    assert stored_links() == recomputed_links()


def test_editing_the_lexicon_recounts_framing_without_touching_links(seeds):
    """A term added by a curator is counted on the next refresh; links are not recomputed."""
    links = set(PassageLink.objects.values_list("pk", flat=True))
    family = FramingFamily.objects.get(name="armed groups")
    FramingTerm.objects.create(family=family, phrase="Jaish al-Islam")
    report = comparison_refresh()
    assert report.reframed == 5
    assert report.compared == 0
    assert FramingHit.objects.filter(term="Jaish al-Islam").exists()
    assert set(PassageLink.objects.values_list("pk", flat=True)) == links


def test_a_failed_refresh_leaves_the_stored_results_as_they_were(seeds, monkeypatch):
    """If storing fails half-way, the transaction rolls back and nothing is lost."""
    before = stored_links()
    hits = FramingHit.objects.count()

    insert = comparison._insert

    def broken(model, columns, rows):
        if model is Attribution:  # after the links and discrepancies were written
            raise RuntimeError("disk full")
        insert(model, columns, rows)

    monkeypatch.setattr(comparison, "_insert", broken)
    with pytest.raises(RuntimeError):
        comparison_refresh(article_ids=[seeds["001"].pk])
    assert stored_links() == before
    assert FramingHit.objects.count() == hits
