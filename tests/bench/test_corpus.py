"""bench.corpus: valid rows written in bulk, the rows the services write, pages that render,
determinism, no collisions, and its command line."""

import hashlib
import io
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Claim, Motivation, TaggedAnnotation, Visibility
from annotations.services import annotation_create, annotation_reply
from articles.ingest import BODY_SEPARATOR, extract
from articles.models import Article, PassageLink
from bench.corpus.__main__ import main
from bench.corpus.annotate import annotate_articles
from bench.corpus.generate import CorpusRefused, corpus_generate
from bench.corpus.stories import Synthesizer, default_styles, render

pytestmark = pytest.mark.django_db

SMALL = {"articles": 30, "annotations": 400, "users": 6}


def generate(**options) -> str:
    out = io.StringIO()
    corpus_generate(**{"compare": False, **options}, out=out)
    return out.getvalue()


def generated(seed: int):
    return Article.objects.filter(source_name__startswith=f"synthetic-s{seed}-")


def snapshot(seed: int) -> tuple[list, list]:
    """What a run wrote, without row ids."""
    articles = [
        (a.source_name, a.slug, a.title, a.outlet.slug, r.body, r.sha256, r.raw_text)
        for a in generated(seed).select_related("outlet", "current_revision").order_by("pk")
        for r in [a.current_revision]
    ]
    annotations = [
        (
            a.article.source_name,
            a.creator.username,
            a.motivation,
            a.start,
            a.end,
            a.note,
            a.colour,
            a.visibility,
            a.claim.text if a.claim else None,
            (a.parent.start, a.parent.note) if a.parent else None,
            sorted(t.name for t in a.tags.all()),
        )
        for a in Annotation.objects.select_related("article", "creator", "claim", "parent")
        .prefetch_related("tags")
        .order_by("pk")
    ]
    return articles, annotations


def columns(annotation: Annotation) -> dict:
    """The row's values but its id and times."""
    return {
        field.attname: getattr(annotation, field.attname)
        for field in Annotation._meta.concrete_fields
        if field.attname not in ("id", "created", "modified")
    }


def test_every_row_respects_the_model_and_the_counts_are_printed():
    """Articles, revisions, blocks and annotations are consistent with each other."""
    out = generate(**SMALL, seed=3)
    assert "30 articles, 30 revisions" in out
    assert "400 annotations" in out
    articles = list(generated(3).select_related("current_revision"))
    assert len(articles) == 30
    for article in articles:
        revision = article.current_revision
        assert revision is not None
        assert revision.number == 1
        assert bytes(revision.raw_bytes).decode("utf-8") == revision.raw_text
        assert revision.sha256 == hashlib.sha256(bytes(revision.raw_bytes)).hexdigest()
        blocks = list(revision.blocks.order_by("position"))
        assert [b.position for b in blocks] == list(range(len(blocks)))
        readable = [b for b in blocks if b.body_start is not None]
        assert BODY_SEPARATOR.join(b.text for b in readable) == revision.body
        for block in blocks:
            assert revision.raw_text[block.start : block.end] == block.text
            if block.body_start is not None:
                assert revision.body[block.body_start : block.body_end] == block.text
        assert readable[0].kind == "title"
        assert readable[0].text == article.title
        assert article.outlet is not None
        assert article.word_count > 0
    assert Annotation.objects.count() == 400
    motivations = set(Annotation.objects.values_list("motivation", flat=True))
    assert {"highlighting", "commenting", "tagging", "assessing", "replying"} <= motivations
    for annotation in Annotation.objects.select_related("anchor_revision", "parent"):
        assert annotation.revision_id == annotation.anchor_revision_id
        assert (annotation.claim_id is not None) == (annotation.motivation == "assessing")
        if annotation.parent_id is not None:
            assert annotation.motivation == Motivation.REPLYING
            assert annotation.parent.parent_id is None
            assert annotation.parent.visibility == Visibility.PUBLIC
            assert annotation.start is None
            assert annotation.exact == ""
            continue
        body = annotation.anchor_revision.body
        start, end = annotation.start, annotation.end
        assert body[start:end] == annotation.exact != ""
        assert annotation.prefix == body[max(0, start - 32) : start]
        assert annotation.suffix == body[end : end + 32]
    assert Annotation.objects.filter(visibility=Visibility.PRIVATE).exists()
    assert TaggedAnnotation.objects.exists()
    assert not get_user_model().objects.get(username="reader-s3-0000").has_usable_password()


def test_generated_annotations_are_the_rows_the_services_write():
    """A generated passage (with a note, with a claim) and a reply hold exactly what
    annotation_create and annotation_reply write for the same input."""
    generate(articles=8, annotations=400, users=3, seed=5)
    generated_rows = Annotation.objects.select_related("article", "creator", "claim", "parent")
    samples = [
        generated_rows.filter(motivation=motivation).order_by("pk").first()
        for motivation in (Motivation.COMMENTING, Motivation.ASSESSING, Motivation.REPLYING)
    ]
    for sample in samples:
        if sample.parent is None:
            same = ("start", "end", "exact", "motivation", "note", "colour", "visibility", "claim")
            made = annotation_create(
                user=sample.creator,
                article=sample.article,
                **{name: getattr(sample, name) for name in same},
            ).annotation
        else:
            made = annotation_reply(
                user=sample.creator,
                parent=sample.parent,
                note=sample.note,
                visibility=sample.visibility,
            )
        made.refresh_from_db()
        assert columns(made) == columns(sample)


def test_claims_are_followed_across_the_copies_of_a_story():
    """Some claim is carried by passages of two or more articles (wire copies)."""
    generate(articles=60, annotations=2000, users=4)
    articles_of = defaultdict(set)
    for claim, article in Annotation.objects.filter(claim__isnull=False).values_list(
        "claim", "article"
    ):
        articles_of[claim].add(article)
    assert Claim.objects.count() == len(articles_of)
    assert any(len(articles) > 1 for articles in articles_of.values())


def test_wire_copies_are_linked_and_the_pages_render(client):
    """The comparison links the copies of a story; list, article and compare pages answer."""
    generate(**SMALL, seed=4, compare=True)
    assert PassageLink.objects.exists()
    response = client.get("/")
    assert response.status_code == 200
    assert "synthetic-s4-" not in response.content.decode()  # titles, not file names
    link = PassageLink.objects.select_related("a_article", "b_article").first()
    first, second = link.a_article, link.b_article
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    assert first.title in response.content.decode()
    response = client.get(f"/compare/?articles={first.slug},{second.slug}")
    assert response.status_code == 200
    html = response.content.decode()
    assert first.title in html
    assert second.title in html


def test_the_article_page_costs_the_same_queries_with_many_annotations(client):
    """Reading a generated article takes as many queries with 200 annotations as with 2."""
    generate(articles=4, annotations=0, users=3)
    few, many = list(generated(1).order_by("pk")[:2])
    users = list(get_user_model().objects.values_list("pk", flat=True))
    annotate_articles([few], 2, users=users, seed=1)
    annotate_articles([many], 200, users=users, seed=2)
    counts = []
    for article in (few, many):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_annotating_existing_articles_can_make_only_public_passage_annotations():
    """annotate_articles with no private share and no replies: exactly `count` public ones."""
    generate(articles=3, annotations=0, users=2)
    article = generated(1).first()
    users = list(get_user_model().objects.values_list("pk", flat=True))
    made = annotate_articles([article], 150, users=users, private_share=0, replies=False)
    assert made["annotations"] == 150
    annotations = Annotation.objects.filter(article=article)
    assert annotations.filter(visibility="public", parent__isnull=True).count() == 150


def test_the_same_seed_writes_the_same_corpus():
    """Two runs with one seed write the same articles and annotations."""
    generate(**SMALL, seed=9)
    first = snapshot(9)
    Annotation.objects.all().delete()
    Claim.objects.all().delete()
    generated(9).delete()
    generate(**SMALL, seed=9)
    assert snapshot(9) == first
    other = Synthesizer(10, default_styles())
    assert render(next(other.articles(1))).body != first[0][0][4]


def test_a_second_run_refuses_to_collide_unless_appending():
    """The same seed again is refused; append adds new articles under new names."""
    generate(articles=5, annotations=20, users=2)
    with pytest.raises(CorpusRefused, match="--append"):
        generate(articles=5, annotations=20, users=2)
    assert generated(1).count() == 5
    before = set(generated(1).values_list("source_name", flat=True))
    generate(articles=5, annotations=20, users=2, append=True)
    after = set(generated(1).values_list("source_name", flat=True))
    assert len(after) == 10
    assert before < after
    assert get_user_model().objects.filter(username__startswith="reader-s1-").count() == 2
    generate(articles=2, annotations=0, users=0, seed=2)
    assert generated(2).count() == 2


def test_bad_sizes_are_refused():
    """Negative sizes, or annotations with no articles or no readers, are errors."""
    for sizes in (
        {"articles": -1, "annotations": 0, "users": 0},
        {"articles": 0, "annotations": 5, "users": 1},
        {"articles": 2, "annotations": 5, "users": 0},
    ):
        with pytest.raises(CorpusRefused):
            generate(**sizes)
    assert not Article.objects.exists()


def test_the_command_line_prints_each_step_and_refuses_with_a_message(capsys):
    """python -m bench.corpus writes the corpus and says so; a refusal exits with the reason."""
    main(["--articles", "3", "--annotations", "20", "--users", "2", "--no-compare"])
    out = capsys.readouterr().out
    assert "3 articles, 3 revisions" in out
    assert "20 annotations" in out
    assert "comparison" not in out
    assert generated(1).count() == 3
    with pytest.raises(SystemExit) as exited:
        main(["--articles", "3", "--annotations", "0", "--users", "0", "--no-compare"])
    assert "use --append" in str(exited.value.code)
    assert generated(1).count() == 3


def test_generated_files_read_back_as_the_same_blocks():
    """The importer splits a generated file into the blocks and body the generator wrote."""
    for article in Synthesizer(12, default_styles()).articles(40):
        rendered = render(article)
        extraction = extract(rendered.raw_text)
        assert extraction.body == rendered.body
        assert [(b.kind.value, b.start, b.end) for b in extraction.blocks] == [
            (b.kind.value, b.start, b.end) for b in rendered.blocks
        ]
