"""Decoding saved pages, the class/id word data, and properties of the HTML engine on any input."""

import contextlib
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import IngestError, Kind
from articles.ingest.decode import declared_charset, decode_html
from articles.ingest.html import extract_html
from articles.ingest.html_hints import _CLASS_KINDS
from articles.ingest.html_text import attribute_words, class_words, parse_page, render_page

LIMIT = 10_000_000
STORY = "Жители долины покинули свои дома ночью, и спасатели прибыли на лодках. " * 6


def russian_page(declaration: str = "") -> str:
    return (
        f"<html><head>{declaration}</head><body><h1>Наводнение в долине</h1>"
        f"<p>{STORY}</p><p>{STORY}</p></body></html>"
    )


def test_declared_charset_is_used():
    """A <meta charset> page in Windows-1251 reads as Windows-1251, with no warning."""
    data = russian_page('<meta charset="windows-1251">').encode("cp1251")
    decoded = decode_html(data, max_bytes=LIMIT)
    assert decoded.encoding == "cp1251"
    assert "Наводнение в долине" in decoded.text
    assert decoded.warnings == []


def test_http_equiv_charset_is_used():
    """<meta http-equiv content="text/html; charset=…"> declares the charset too."""
    declaration = '<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">'
    data = russian_page(declaration).encode("koi8-r")
    assert declared_charset(data) == "koi8-r"
    assert "Наводнение" in decode_html(data, max_bytes=LIMIT).text


def test_a_wrong_declaration_is_overruled_by_utf8_with_a_warning():
    """A page declaring Windows-1251 whose bytes are UTF-8 is read as UTF-8, and says so."""
    data = russian_page('<meta charset="windows-1251">').encode("utf-8")
    decoded = decode_html(data, max_bytes=LIMIT)
    assert decoded.encoding == "utf-8"
    assert "Наводнение в долине" in decoded.text
    assert "declares cp1251" in decoded.warnings[0]


def test_an_undeclared_legacy_encoding_is_guessed_with_a_warning():
    """No declaration and not UTF-8: charset-normalizer's guess, with a warning."""
    decoded = decode_html(russian_page().encode("cp1251"), max_bytes=LIMIT)
    assert "Наводнение в долине" in decoded.text
    assert "read as" in decoded.warnings[0]


def test_mixed_encodings_are_repaired_and_reported():
    """UTF-8 with stray Windows-1252 quotes: the quotes are read as such, with a warning."""
    data = (
        russian_page('<meta charset="utf-8">')
        .encode("utf-8")
        .replace("долине".encode(), "долине ".encode() + b"\x93quoted\x94", 1)
    )
    decoded = decode_html(data, max_bytes=LIMIT)
    assert "долине “quoted”" in decoded.text
    assert "mixed encodings: 2 byte(s)" in decoded.warnings[-1]
    result = extract_html(data)
    assert any("mixed encodings" in w for w in result.warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(encoding):
    """A UTF-16 or UTF-8 byte-order mark is obeyed (UTF-16 is not taken for binary)."""
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-8-sig": b""}[encoding]
    data = bom + russian_page().encode(encoding)
    decoded = decode_html(data, max_bytes=LIMIT)
    assert decoded.text.startswith("<html>")
    assert decoded.warnings == []


def test_bytes_no_encoding_fits_are_refused():
    """A UTF-16 byte-order mark over bytes that are not UTF-16: a clear error."""
    with pytest.raises(IngestError, match="not valid utf-16"):
        decode_html(b"\xff\xfe<\x00h\x00\x00\xd8", max_bytes=LIMIT)


# --- Class and id words (data) -----------------------------------------------------------------


def test_every_class_word_names_a_kind_the_hints_know():
    """Each entry of data/html_class_words.json maps to a block kind html_hints acts on."""
    path = Path(__file__).parents[2] / "articles/ingest/data/html_class_words.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    for kind, words in table.items():
        if kind.startswith("_"):
            continue
        assert kind in _CLASS_KINDS, kind
        assert isinstance(_CLASS_KINDS[kind], Kind)
        assert words, kind
        assert all(w == w.lower() and attribute_words(w) == [w] for w in words), kind
    assert class_words()["related"] == "promo"
    assert class_words()["byline"] == "dateline"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("article-body share_tools", ["article", "body", "share", "tools"]),
        ("relatedStories", ["related", "stories"]),
        ("  ", []),
    ],
)
def test_attribute_words_split_at_punctuation_and_camel_case(value, words):
    """Class and id values are split into lower-case words."""
    assert attribute_words(value) == words


# --- Properties ----------------------------------------------------------------------------------

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TAGS = st.sampled_from(
    ["p", "div", "nav", "footer", "aside", "h1", "h2", "li", "a", "span", "figure", "br", "b"]
)
WORDS = st.text(alphabet=string.ascii_letters + " .,<>&;'\"éж،", min_size=0, max_size=40)


@st.composite
def html_documents(draw) -> str:
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        klass = draw(st.sampled_from(["", "share", "related", "article-body", "x"]))
        parts.append(f'<{tag} class="{klass}">{draw(WORDS)}')
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


@PROPERTY
@given(html_documents())
def test_any_page_gives_an_extraction_or_a_clear_error(document):
    """Arbitrary markup never crashes the engine; blocks are spans of the page text."""
    try:
        result = extract_html(document.encode("utf-8"))
    except IngestError as exc:
        error = str(exc)
    else:
        error = ""
    assert "\n" not in error
    if error:
        return
    for block in result.extraction.blocks:
        assert result.page_text[block.start : block.end] == block.text


@PROPERTY
@given(st.integers(1, 20_000), st.sampled_from(["div", "b", "a", "li"]))
def test_deeply_nested_markup_is_read_without_recursion(depth, tag):
    """Thousands of nested elements are walked with a stack, never recursion."""
    document = f"<html><body>{f'<{tag}>' * depth}deep text{f'</{tag}>' * depth}</body></html>"
    page = render_page(parse_page(document))
    assert page.text in ("deep text", "")  # libxml2 may cut an absurdly deep tree


@PROPERTY
@given(
    st.sampled_from(['<meta charset="', "<!--", "<?xml encoding='", 'class="', "<a "]),
    st.integers(1_000, 60_000),
)
def test_long_adversarial_markup_is_handled(fragment, repeat):
    """Long runs of unclosed declarations, comments and attributes: a result or a refusal."""
    data = ("<html><body><p>" + fragment * repeat).encode("utf-8")
    assert declared_charset(data) is None or isinstance(declared_charset(data), str)
    with contextlib.suppress(IngestError):
        extract_html(data)
