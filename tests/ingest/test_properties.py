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
# For the slower checks that run the whole engine twice per example.
LIGHT = settings(SETTINGS, max_examples=80)

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

WORD = st.text(alphabet=string.ascii_letters + "’'-éüçİı", min_size=1, max_size=8)
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
def phrase(draw, min_tokens=0, max_tokens=12):
    tokens = draw(st.lists(TOKEN, min_size=min_tokens, max_size=max_tokens))
    out = ""
    for token in tokens:
        out += token + draw(SPACE)
    return out


@st.composite
def sentence(draw):
    words = draw(st.lists(WORD, min_size=3, max_size=14))
    words[0] = words[0].capitalize()
    end = draw(st.sampled_from([".", ".", "?", "!", ".”", '."', "…", ""]))
    lead = draw(st.sampled_from(["", "", "“", '"', "("]))
    return lead + " ".join(words) + end


@st.composite
def long_line(draw):
    sentences = draw(st.lists(sentence(), min_size=2, max_size=6))
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
    lines = draw(st.lists(LINE, min_size=0, max_size=16))
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


@LIGHT
@given(news_like())
def test_extract_is_deterministic(text):
    assert extract(text, outlets=OUTLETS) == extract(text, outlets=OUTLETS)


@LIGHT
@given(news_like())
def test_extract_without_outlets(text):
    x = extract(text)
    assert x.outlet_key is None
    assert x.credits == [] or all(isinstance(c, str) and c for c in x.credits)


@LIGHT
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
    check_extraction(decoded.text)


@LIGHT
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


@LIGHT
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


@LIGHT
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


@LIGHT
@given(TEXTS, st.data())
def test_sentence_spans_sub_range(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    check_spans(text, start, end)


# --- Generated articles: known furniture around invented text ------------------------------
#
# A page is assembled from pieces whose kind is known by construction (headline, paragraphs,
# subheadings, captions, promos, footers, a comment section), in random order and with random
# line endings and trailing whitespace. The engine must give every piece its kind: the rules
# have to hold for any text, not only for the sentences of the seed files.

VOCAB = (
    "government officials minister talks agreement border railway water harvest election "
    "parliament bank rates inflation market prices week month year city region country "
    "people workers farmers company project plan report statement meeting delegation "
    "president spokesman analysts experts groups forces capital province village road port "
    "cargo grain oil gas trade deal visit decision vote budget tax schools hospital court "
    "judge police rain snow drought heat river dam bridge station airport flight new old "
    "large small early late second third first last several many most other"
).split()
NAMES = "Almaty Tehran Baku Yerevan Bishkek Tashkent Ankara Geneva Moscow Kabul Dushanbe".split()
PEOPLE = "Aigerim Dmitri Sara Omar Leila Ivan Marta Tomasz Yusuf Anna Pavel Chen".split()
SURNAMES = "Sadykova Volkov Lindqvist Haddad Ahmadi Petrenko Kowalski Nowak Demir Ito".split()
AGENCIES = ("AFP", "AP", "Reuters", "IRNA", "Xinhua", "Anadolu")

LOWER_WORD = st.sampled_from(VOCAB)
PROPER = st.sampled_from(NAMES)
PERSON = st.builds(lambda a, b: f"{a} {b}", st.sampled_from(PEOPLE), st.sampled_from(SURNAMES))


@st.composite
def gen_sentence(draw, min_words=6, max_words=22):
    words = draw(
        st.lists(st.one_of(LOWER_WORD, LOWER_WORD, PROPER), min_size=min_words, max_size=max_words)
    )
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if draw(st.booleans()):
        quote = " ".join(draw(st.lists(LOWER_WORD, min_size=3, max_size=8)))
        text += f", “{quote.capitalize()},” {draw(PERSON)} said"
    return text + draw(st.sampled_from([".", ".", ".", "?"]))


# A paragraph of running text. A single short question could honestly be a subheading
# ("What happens next?"), so paragraphs always hold a statement.
GEN_PARAGRAPH = st.lists(gen_sentence(), min_size=1, max_size=4).map(
    lambda sentences: " ".join(sentences)[:-1] + "."
)


@st.composite
def gen_title(draw):
    words = draw(st.lists(st.one_of(LOWER_WORD, PROPER), min_size=4, max_size=11))
    words = [w[0].upper() + w[1:] for w in words]
    if draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 2))
        words[i] = "“" + words[i]
        words[i + 1] = words[i + 1] + "”"
    return " ".join(words)


@st.composite
def gen_subheading(draw):
    words = draw(st.lists(LOWER_WORD, min_size=2, max_size=6))
    text = " ".join(words)
    return draw(st.sampled_from([text.capitalize(), text.upper()]))


@st.composite
def gen_caption(draw):
    agency = draw(st.sampled_from(AGENCIES))
    where = draw(PROPER)
    what = " ".join(draw(st.lists(LOWER_WORD, min_size=2, max_size=8)))
    month = draw(st.sampled_from(["January", "March", "May", "October"]))
    date = f"{month} {draw(st.integers(1, 28))}, {draw(st.integers(2000, 2030))}"
    return draw(
        st.sampled_from(
            [
                f"This photo shows {what} in {where} on {date}. (Photo by {agency})",
                f"This file photo shows {what} in {where}. (By {agency})",
                f"{what.capitalize()} in {where} on {date}. (Photo by {agency})",
                f"An undated handout picture shows {what} near {where}. (Photo via {agency})",
                f"Flickr: {draw(PERSON)}",
                f"Photo: {draw(PERSON)} / CC BY-SA 2.0",
                f"Attribution 2.0 Generic Flickr: {draw(PERSON)}",
            ]
        )
    )


@st.composite
def gen_promo(draw):
    amount = f"{draw(st.integers(0, 99))},{draw(st.integers(100, 999))}"
    return draw(
        st.sampled_from(
            [
                f"{amount} $",
                f"$ {draw(st.integers(1, 500))}",
                f"€{draw(st.integers(1, 500))}",
                f"Support {draw(PROPER)} News",
                f"Subscribe to {draw(PROPER)} Daily",
                "Follow us on Telegram",
                "Share this article",
            ]
        )
    )


@st.composite
def gen_footer(draw):
    outlet = f"{draw(PROPER)} Times"
    return draw(
        st.sampled_from(
            [
                f"All content by {outlet} is licensed under a Creative Commons Attribution 4.0"
                " International License.",
                f"© {draw(st.integers(2000, 2030))} {outlet}. All rights reserved.",
                f"Copyright {draw(st.integers(2000, 2030))} {outlet}",
                f"(source: {draw(st.sampled_from(AGENCIES))})",
                "Comments are closed.",
                f"{outlet}’s website can also be accessed at the following alternate addresses:",
                f"www.{draw(PROPER).lower()}times.com",
            ]
        )
    )


DATELINES = st.sampled_from(
    [
        ("ALMATY - ", "ALMATY -", "ALMATY"),
        ("NEW YORK – ", "NEW YORK –", "NEW YORK"),
        ("(XNA) Bishkek – ", "(XNA) Bishkek –", "Bishkek"),
        ("BEIJING (Xinhua) — ", "BEIJING (Xinhua) —", "BEIJING"),
        ("MOSCOW, Jan. 5 (Sputnik) - ", "MOSCOW, Jan. 5 (Sputnik) -", "MOSCOW"),
        ("TASHKENT: ", "TASHKENT:", "TASHKENT"),
    ]
)


@st.composite
def gen_article(draw):
    """(text, expected blocks as (kind, text, author), dateline place)."""
    lines: list[tuple[str, int]] = []  # (line, blank lines before it)
    expected: list[tuple[Kind, str, str]] = []

    def put(kind, text, gap=1, author=""):
        lines.append((text, gap))
        expected.append((kind, text, author))

    if draw(st.booleans()):
        put(Kind.BREADCRUMB, f"News / {draw(PROPER)}", gap=0)
    for _ in range(draw(st.integers(0, 3))):
        put(Kind.PROMO, f"{draw(st.integers(1, 999))} $", gap=0)
    title = draw(gen_title()) if draw(st.booleans()) else ""
    if title:
        put(Kind.TITLE, title)
        if draw(st.booleans()):
            put(Kind.PROMO, f"Support {draw(PROPER)} News")
            put(Kind.TITLE, title.replace("“", '"').replace("”", '"'))
    if draw(st.booleans()):
        put(Kind.CAPTION, draw(gen_caption()))

    place = ""
    first = draw(GEN_PARAGRAPH)
    if draw(st.booleans()):
        prefix, block_text, place = draw(DATELINES)
        lines.append((prefix + first, 1))
        expected.append((Kind.DATELINE, block_text, ""))
        expected.append((Kind.PARAGRAPH, first, ""))
    else:
        put(Kind.PARAGRAPH, first)

    for _ in range(draw(st.integers(0, 8))):
        choice = draw(st.sampled_from(["p", "p", "p", "h", "c", "promo"]))
        if choice == "h":
            put(Kind.HEADING, draw(gen_subheading()))
            put(Kind.PARAGRAPH, draw(GEN_PARAGRAPH))
        elif choice == "c":
            put(Kind.CAPTION, draw(gen_caption()))
        elif choice == "promo":
            put(Kind.PROMO, draw(gen_promo()))
        else:
            put(Kind.PARAGRAPH, draw(GEN_PARAGRAPH))

    for footer in draw(st.lists(gen_footer(), max_size=3)):
        put(Kind.FOOTER, footer, gap=draw(st.integers(1, 2)))

    if draw(st.booleans()):
        put(Kind.COMMENT, "Notify of", gap=2)
        for widget in ("Newest Most Voted", "Inline Feedbacks", "View all comments"):
            if draw(st.booleans()):
                put(Kind.COMMENT, widget, gap=0)
        gap = 0
        for _ in range(draw(st.integers(0, 4))):
            author = draw(PERSON) if draw(st.booleans()) else ""
            if author:
                put(Kind.COMMENT, author, gap=gap, author=author)
                gap = 1
            for paragraph in draw(st.lists(gen_sentence(3, 15), min_size=1, max_size=3)):
                put(Kind.COMMENT, paragraph, gap=gap, author=author)
                gap = 1
            if draw(st.booleans()):
                put(Kind.COMMENT, "Reply", gap=1)
            gap = 2
        if draw(st.booleans()):
            put(Kind.COMMENT, "Would love your thoughts, please comment.x", gap=1)

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    trailing = st.sampled_from(["", "", "", " ", "\t", "\u00a0", "  "])
    text = ""
    pieces: list[tuple[int, int, Kind, str, str]] = []  # start, end, kind, text, author
    expected_iter = iter(expected)
    for index, (line, gap) in enumerate(lines):
        if index:
            text += newline * (gap + 1)
        kind, piece, author = next(expected_iter)
        if kind is Kind.DATELINE:
            _, paragraph, _ = next(expected_iter)
            pieces.append((len(text), len(text) + len(piece), kind, piece, ""))
            offset = len(text) + len(line) - len(paragraph)
            pieces.append((offset, offset + len(paragraph), Kind.PARAGRAPH, paragraph, ""))
        else:
            pieces.append((len(text), len(text) + len(line), kind, line, author))
        text += line + draw(trailing)
    return text, pieces, place


@settings(SETTINGS, max_examples=150)
@given(gen_article())
def test_generated_articles_get_the_kinds_they_were_built_with(article):
    """Each piece gets its kind; footer pieces may be split into several footer blocks."""
    text, pieces, place = article
    x = extract(text, outlets=OUTLETS)
    covered = set()
    for block in x.blocks:
        inside = [p for p in pieces if p[0] <= block.start and block.end <= p[1]]
        assert inside, f"block {block.text!r} ({block.kind}) straddles pieces"
        start, _, kind, piece, author = inside[0]
        covered.add(start)
        assert (block.kind, block.author) == (kind, author), (
            f"{piece!r}: expected {kind} (author {author!r}), got {block.kind}"
            f" (author {block.author!r}) by rule {block.rule!r}"
        )
    assert covered == {p[0] for p in pieces}
    readable = [p[3] for p in pieces if p[2] in (Kind.PARAGRAPH, Kind.HEADING)]
    titles = [p[3] for p in pieces if p[2] is Kind.TITLE][:1]
    assert x.body == BODY_SEPARATOR.join(titles + readable)
    assert x.dateline == place
    check_extraction(text)
