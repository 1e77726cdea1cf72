"""What a careful reader would say of each seed file, checked through the import command."""

import hashlib

import pytest

from articles.models import Article, Block
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db


def blocks_of(article: Article, kind: str | None = None) -> list[Block]:
    qs = article.current_revision.blocks.order_by("position")
    return list(qs.filter(kind=kind) if kind else qs)


def texts(article: Article, kind: str) -> list[str]:
    return [b.text for b in blocks_of(article, kind)]


def kind_of_line(article: Article, startswith: str) -> str:
    matches = [b for b in blocks_of(article) if b.text.startswith(startswith)]
    assert len(matches) == 1, f"expected one block starting {startswith!r}, got {matches}"
    return matches[0].kind


def test_raw_bytes_are_kept_verbatim_with_their_hash(seeds):
    """Every revision stores the file's bytes exactly, with their sha256."""
    for key, article in seeds.items():
        data = seed_path(key).read_bytes()
        revision = article.current_revision
        assert bytes(revision.raw_bytes) == data
        assert revision.sha256 == hashlib.sha256(data).hexdigest()
        assert revision.raw_text == data.decode("utf-8")


def test_blocks_cover_the_raw_text_and_the_body_is_rebuilt_from_them(seeds):
    """Blocks are ordered spans of the raw text; the body is exactly the readable blocks."""
    for article in seeds.values():
        revision = article.current_revision
        cursor = 0
        readable = []
        for block in blocks_of(article):
            assert block.start >= cursor
            assert revision.raw_text[block.start : block.end] == block.text
            assert revision.raw_text[cursor : block.start].strip() == ""
            cursor = block.end
            if block.body_start is not None:
                assert revision.body[block.body_start : block.body_end] == block.text
                readable.append(block.text)
        assert revision.raw_text[cursor:].strip() == ""
        assert revision.body == "\n\n".join(readable)
        assert all(b.rule for b in blocks_of(article))


def test_000_mehr_single_line(seeds):
    """000: Mehr, credit Farsnews, dateline TEHRAN, derived title, footer split off one line."""
    article = seeds["000"]
    assert article.outlet.name == "Mehr News Agency"
    assert "Farsnews" in article.credits
    assert article.dateline == "TEHRAN"
    assert article.title_derived is True
    assert article.title.startswith("Middle East expert Danny Makki")
    body = article.current_revision.body
    assert body.rstrip().endswith("he concluded.")
    assert "TEHRAN" not in body
    footer = texts(article, "footer")
    assert "(source: Farsnews)" in footer
    assert any(t.startswith("All Content by Mehr News Agency is licensed") for t in footer)
    assert "Creative Commons" not in body
    assert "\n" not in article.current_revision.raw_text.strip()  # it really is one line
    assert len(blocks_of(article, "paragraph")) > 1  # cut into readable paragraphs


def test_001_title_once_headings_and_unknown_outlet(seeds):
    """001: the repeated title is kept once, two headings, no outlet named."""
    article = seeds["001"]
    assert article.title == "Syria Crisis: Rebels to take part in Astana’s peace talks"
    assert article.title_derived is False
    body = article.current_revision.body
    assert body.startswith(article.title + "\n\n")
    assert body.count("Rebels to take part in Astana") == 1
    assert texts(article, "heading") == [
        "Freezing of the participation",
        "Taking part in Astana’s peace talks",
    ]
    assert article.outlet is None
    assert "AFP" in article.credits
    assert body.endswith("more than 12 million have lost their homes.")


def test_002_southfront_promo_caption_and_comments(seeds):
    """002: SouthFront; donation and support lines are promo; comments are kept apart."""
    article = seeds["002"]
    assert article.outlet.name == "SouthFront"
    promo = texts(article, "promo")
    assert {"0 $", "2,500 $", "5,000 $", "100 $"} <= set(promo)
    assert promo.count("Support SouthFront") == 2
    assert kind_of_line(article, "This file photo shows") == "caption"
    paragraphs = texts(article, "paragraph")
    assert paragraphs[0].startswith("Majority of so-called")
    assert paragraphs[-1].endswith("playing roles of observers.")
    comments = blocks_of(article, "comment")
    assert comments[0].text == "Notify of"
    authors = {b.author for b in comments if b.author}
    assert authors == {"Kim Jong", "Douglas Houck"}
    body = article.current_revision.body
    for comment in comments:
        assert comment.text not in body
    assert "Headchopping" not in body
    raw = article.current_revision.raw_text
    notify = raw.index("Notify of")
    assert all(b.kind == "comment" for b in blocks_of(article) if b.start >= notify)
    assert body.count("Refused To Attend Astana Talks") == 1


def test_003_gpa_dateline_credit_and_footer(seeds):
    """003: GPA, dateline Astana, a Flickr credit caption, licence and closed-comments footer."""
    article = seeds["003"]
    assert article.outlet.name == "GPA"
    assert article.dateline == "Astana"
    assert (
        kind_of_line(article, "Attribution-NonCommercial 2.0 Generic Flickr: Christiaan Triebert")
        == "caption"
    )
    assert kind_of_line(article, "All of our work unless otherwise noted is licensed") == "footer"
    assert kind_of_line(article, "Comments are closed.") == "footer"
    body = article.current_revision.body
    assert "Flickr" not in body
    assert body.endswith("may be finally approaching.")


def test_004_press_tv_breadcrumb_captions_secondary_story_footer(seeds):
    """004: Press TV; breadcrumb, title, two captions, a secondary story, footer lines."""
    article = seeds["004"]
    assert article.outlet.name == "Press TV"
    assert kind_of_line(article, "News") == "breadcrumb"
    assert article.title == "Syrian militant groups to participate in Kazakhstan peace talks"
    captions = texts(article, "caption")
    assert len(captions) == 2
    assert all("(Photo by" in c for c in captions)
    secondary = blocks_of(article, "secondary")
    assert secondary[0].text == "Dozens dead as Syrian army fight off Daesh in Dayr al-Zawr"
    assert secondary[0].body_start is None
    assert any(b.text.startswith("Meanwhile, the so-called") for b in secondary)
    body = article.current_revision.body
    assert "Daesh" not in body
    assert body.endswith("on February 8.")
    for line in (
        "Press TV’s website can also be accessed",
        "www.presstv.ir",
        "SHARE THIS ARTICLE",
        "Press TV News Roku",
    ):
        assert kind_of_line(article, line) == "footer", line


def test_typography_is_stored_unchanged(seeds):
    """Curly quotes, non-breaking spaces and dashes stay as they are in the stored text."""
    body_001 = seeds["001"].current_revision.body
    assert "\u00a0" in body_001
    assert "“" in body_001
    assert "–" in body_001
    assert "’" in seeds["001"].title


def test_word_count_and_language(seeds):
    """Word counts are those of the body; the language is English."""
    for article in seeds.values():
        assert article.language == "en"
        assert article.word_count == len(article.current_revision.body.split()) or (
            abs(article.word_count - len(article.current_revision.body.split()))
            < article.word_count * 0.05
        )
        assert article.word_count > 100
