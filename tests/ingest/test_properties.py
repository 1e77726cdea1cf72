"""Property-based tests of the ingest engine: invariants that hold for any text at all.

These never touch the database: the engine is pure Python.
"""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import (
    BODY_SEPARATOR,
    Decoded,
    IngestError,
    Kind,
    OutletSignature,
    decode,
    extract,
    normalize_for_matching,
    sentence_spans,
)

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OUTLETS = (
    OutletSignature("mehr", "Mehr News Agency", ("Mehr News Agency", "Mehr News", "mehrnews.com")),
    OutletSignature("southfront", "SouthFront", ("SouthFront", "South Front", "southfront.org")),
    OutletSignature("gpa", "GPA", ("(GPA)", "Geopolitics Alert", "geopoliticsalert.com")),
    OutletSignature("presstv", "Press TV", ("Press TV", "PressTV", "presstv.ir")),
    OutletSignature("reuters", "Reuters", ("Reuters",), is_agency=True),
    OutletSignature("afp", "AFP", ("AFP", "Agence France-Presse"), is_agency=True),
    OutletSignature("ap", "Associated Press", ("Associated Press", "AP"), is_agency=True),
)


# --- Strategies ----------------------------------------------------------------------------

WORD = st.text(alphabet=string.ascii_letters + "’'-éüçİı", min_size=1, max_size=12)
CAP_WORD = WORD.map(str.capitalize)

FURNITURE = st.sampled_from(
    [
        "TEHRAN - ",
        "(GPA) Washington – ",
        "LONDON (Reuters) - ",
        "MOSCOW, Jan. 5 (AFP) — ",
        "News \u00a0 / \u00a0 Iran",
        "Home > World > Middle East",
        "(source: Tasnim)",
        "(Photo by AFP)",
        "(By AFP)",
        "This file photo shows a market in the old city. (By AFP)",
        "Attribution 2.0 Generic Flickr: Some Person",
        "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0"
        " International License.",
        "© 2024 Example Media. All rights reserved.",
        "Comments are closed.",
        "Press TV’s website can also be accessed at the following alternate addresses:",
        "www.presstv.ir",
        "SHARE THIS ARTICLE",
        "Support SouthFront",
        "Subscribe",
        "0 $",
        "2,500 $",
        "€ 50",
        "Notify of",
        "Newest Most Voted",
        "Inline Feedbacks",
        "View all comments",
        "Would love your thoughts, please comment.x",
        "3 comments",
        "Reply",
        "Meanwhile, in other news the",
        "U.S. Gen. Smith said",
        "“",
        "”",
        '"',
        "«",
        "»",
        "(",
        ")",
        "…",
        "?!",
        "Mr.",
        "J.",
        "\u00a0",
        "\u202f",
        "\t",
        "\u2028",
        "\x85",
        "\x0b",
        "\x0c",
        "\x1c",
        "\ufeff",
        "ﬁ",
        "Ⅸ",
        "ß",
        "İ",
    ]
)

TOKEN = st.one_of(WORD, CAP_WORD, FURNITURE, st.sampled_from([".", ",", ":", ";", " - ", " – "]))
SPACE = st.sampled_from([" ", " ", " ", "  ", "\u00a0", "\t", " \u00a0 "])


@st.composite
def phrase(draw, min_tokens=0, max_tokens=25):
    tokens = draw(st.lists(TOKEN, min_size=min_tokens, max_size=max_tokens))
    out = ""
    for token in tokens:
        out += token + draw(SPACE)
    return out


@st.composite
def sentence(draw):
    words = draw(st.lists(WORD, min_size=3, max_size=30))
    words[0] = words[0].capitalize()
    end = draw(st.sampled_from([".", ".", "?", "!", ".”", '."', "…", ""]))
    lead = draw(st.sampled_from(["", "", "“", '"', "("]))
    return lead + " ".join(words) + end


@st.composite
def long_line(draw):
    sentences = draw(st.lists(sentence(), min_size=5, max_size=60))
    line = " ".join(sentences)
    while len(line) < 1300:
        line += " " + " ".join(sentences)
    return line + draw(st.sampled_from(["", " (source: Farsnews)", " (source: X) © 2020 Y."]))


LINE = st.one_of(
    phrase(),
    sentence(),
    st.lists(sentence(), min_size=1, max_size=6).map(" ".join),
    FURNITURE,
    st.sampled_from(["", " ", "\t", "\u00a0", " \t \u00a0 ", "\u3000"]),
    long_line(),
    CAP_WORD.map(lambda w: f"{w} {w.upper()}"),
)
NEWLINE = st.sampled_from(["\n", "\n", "\r\n", "\n\n", "\r\n\r\n", "\n\n\n", "\r", "\n \n"])


@st.composite
def news_like(draw):
    lines = draw(st.lists(LINE, min_size=0, max_size=30))
    out = draw(st.sampled_from(["", "", "\ufeff", "\n", " \n", "\t"]))
    for line in lines:
        out += line + draw(NEWLINE)
    if draw(st.booleans()):
        out = out.rstrip("\r\n")
    return out


TEXTS = st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8")), news_like())


# --- extract -------------------------------------------------------------------------------


def check_extraction(text: str) -> None:
    x = extract(text, outlets=OUTLETS)
    blocks = x.blocks

    cursor = 0
    covered = [0] * len(text)
    for block in blocks:
        assert isinstance(block.kind, Kind)
        assert 0 <= block.start < block.end <= len(text), block
        assert block.start >= cursor, f"blocks overlap or are out of order at {block}"
        assert block.text == text[block.start : block.end], block
        assert block.rule, block
        for i in range(block.start, block.end):
            covered[i] += 1
        cursor = block.end

    for i, char in enumerate(text):
        if not char.isspace():
            assert covered[i] == 1, f"character {char!r} at {i} is in {covered[i]} blocks"
        elif covered[i] == 0:
            assert char.isspace()

    outside = "".join(char for i, char in enumerate(text) if covered[i] == 0)
    assert not outside.strip(), outside

    readable = [b for b in blocks if b.in_body]
    for block in blocks:
        if block.in_body:
            assert block.body_start is not None
            assert block.body_end is not None
            assert x.body[block.body_start : block.body_end] == block.text
            assert block.kind.readable
        else:
            assert block.body_start is None
            assert block.body_end is None
    assert x.body == BODY_SEPARATOR.join(b.text for b in readable)
    assert [b.body_start for b in readable] == sorted(b.body_start for b in readable)

    assert x.word_count >= 0
    assert isinstance(x.title, str)
    assert isinstance(x.language, str)
    assert x.outlet_key in {None, *(o.key for o in OUTLETS)}
    if text.strip():
        assert blocks, "a text with visible characters produced no block"
    # At most one title enters the body: the repeat is kept once.
    assert sum(1 for b in readable if b.kind is Kind.TITLE) <= 1


@SETTINGS
@given(TEXTS)
def test_extract_invariants(text):
    check_extraction(text)


@SETTINGS
@given(news_like())
def test_extract_invariants_news_like(text):
    check_extraction(text)


@SETTINGS
@given(news_like())
def test_extract_is_deterministic(text):
    assert extract(text, outlets=OUTLETS) == extract(text, outlets=OUTLETS)


@SETTINGS
@given(news_like())
def test_extract_without_outlets(text):
    x = extract(text)
    assert x.outlet_key is None
    assert x.credits == [] or all(isinstance(c, str) and c for c in x.credits)


@SETTINGS
@given(news_like())
def test_crlf_and_lf_classify_alike(text):
    """Line endings are transport, not content: CRLF files get the kinds LF files get."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    crlf = lf.replace("\n", "\r\n")
    kinds_lf = [(b.kind, b.text) for b in extract(lf, outlets=OUTLETS).blocks]
    kinds_crlf = [(b.kind, b.text) for b in extract(crlf, outlets=OUTLETS).blocks]
    assert kinds_lf == kinds_crlf


# --- decode --------------------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=3000))
def test_decode_returns_or_refuses(data, max_bytes):
    try:
        decoded = decode(data, max_bytes=max_bytes)
    except IngestError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return
    assert isinstance(decoded, Decoded)
    assert decoded.text.strip()
    assert len(data) <= max_bytes


@SETTINGS
@given(TEXTS, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_decode_encoded_text(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", errors="surrogatepass")
    try:
        decoded = decode(data, max_bytes=1_000_000)
    except IngestError:
        return
    assert isinstance(decoded, Decoded)
    if encoding in ("utf-8", "utf-8-sig"):
        assert decoded.text == text.removeprefix("\ufeff") or decoded.text == text


@SETTINGS
@given(news_like())
def test_decode_then_extract(text):
    try:
        decoded = decode(text.encode("utf-8"), max_bytes=1_000_000)
    except IngestError:
        return
    check_extraction(decoded.text)


# --- normalize_for_matching ----------------------------------------------------------------


@SETTINGS
@given(TEXTS)
def test_normalize_offsets(text):
    normalized = normalize_for_matching(text)
    assert len(normalized.offsets) == len(normalized.text)
    assert list(normalized.offsets) == sorted(normalized.offsets)
    assert all(0 <= offset < len(text) for offset in normalized.offsets)
    assert normalized.text == normalized.text.strip()
    assert "  " not in normalized.text
    if normalized.text:
        start, end = normalized.source_span(0, len(normalized.text))
        assert 0 <= start < end <= len(text)


@SETTINGS
@given(TEXTS)
def test_normalize_is_idempotent(text):
    once = normalize_for_matching(text).text
    assert normalize_for_matching(once).text == once


# --- sentence_spans ------------------------------------------------------------------------


def check_spans(text: str, start: int, end: int) -> None:
    spans = sentence_spans(text, start, end)
    cursor = start
    for s, e in spans:
        assert cursor <= s < e <= end, (s, e)
        assert not text[s].isspace(), (s, e)
        assert not text[e - 1].isspace(), (s, e)
        cursor = e
    # Everything visible in the range lies in some sentence.
    inside = set()
    for s, e in spans:
        inside.update(range(s, e))
    for i in range(start, end):
        if not text[i].isspace():
            assert i in inside, f"{text[i]!r} at {i} is in no sentence"


@SETTINGS
@given(TEXTS)
def test_sentence_spans_whole_text(text):
    check_spans(text, 0, len(text))


@SETTINGS
@given(TEXTS, st.data())
def test_sentence_spans_sub_range(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    check_spans(text, start, end)
