"""What the markup of a saved page adds as evidence, and bylines printed only in a page's
metadata box: each rule acts on two signals, never on one."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import Kind, extract
from articles.ingest.bylines import boxed_byline
from articles.ingest.records import LineHint
from articles.ingest.rules import is_date_line

STORY = [
    "The council voted on Monday to rename three streets named after colonial officials.",
    "The decision followed years of campaigning by local groups and historians in the city.",
    "Opponents said the change would cost residents money and confuse visitors to the area.",
    "The new names honour activists who resisted colonial rule in the early twentieth century.",
]


def run(lines: list[tuple[str, LineHint | None]]):
    """Extract a page from (line, hint) pairs, one line each, hints keyed by offset."""
    text, hints, offset = "", {}, 0
    for line, hint in lines:
        if hint is not None:
            hints[offset] = hint
        text += line + "\n"
        offset += len(line) + 1
    return extract(text, hints=hints)


MAIN = LineHint(tag="p", main=True)
LEFT_OUT = LineHint(tag="li")


def body(result) -> list[str]:
    return [b.text for b in result.blocks if b.in_body]


def test_a_reader_link_inside_the_story_is_a_promo():
    """ "Revivez le direct … avec vos questions." kept by the extractor, mostly a link and
    speaking to the reader: a promo. A story paragraph that is a link but does not speak to
    the reader stays."""
    promo = "Revivez le direct du vote à l’Assemblée avec vos questions."
    linked = "Le texte a été adopté par 438 voix contre 86 à l’Assemblée nationale."
    link = LineHint(tag="p", main=True, link_density=0.9)
    result = run(
        [("Streets renamed", LineHint(tag="h1", headline=True))]
        + [(STORY[0], MAIN), (promo, link), (linked, link)]
        + [(s, MAIN) for s in STORY[1:]]
    )
    assert promo not in body(result)
    assert linked in body(result)


def test_a_sidebar_label_the_extractor_kept_is_set_aside():
    label = "Loi sur le renseignement"
    aside = LineHint(tag="aside", zones=("aside",), main=True)
    result = run([(s, MAIN) for s in STORY] + [(label, aside)])
    assert label not in body(result)


def test_a_code_block_left_out_inside_the_story_is_no_caption():
    code = "rekt: { list: [ list: [ list: [ ] ] ] }"
    result = run(
        [(s, MAIN) for s in STORY[:2]]
        + [(code, LineHint(tag="pre"))]
        + [(s, MAIN) for s in STORY[2:]]
    )
    kinds = {b.text: b.kind for b in result.blocks}
    assert kinds[code] is not Kind.CAPTION


def test_a_comment_label_in_a_sidebar_never_opens_the_comment_section():
    """An aside's "reader comments" count above the story does not sweep the story away."""
    aside = LineHint(tag="aside", zones=("aside",))
    result = run(
        [("Streets renamed", LineHint(tag="h1", headline=True)), (STORY[0], MAIN)]
        + [("reader comments", aside), ("75 with 51 posters participating", aside)]
        + [(s, MAIN) for s in STORY[1:]]
        + [("code: { a: [ b ] }", LineHint(tag="pre"))]
        + [(s + " Again.", MAIN) for s in STORY[1:]]
    )
    kinds = {b.text: b.kind for b in result.blocks}
    assert kinds["code: { a: [ b ] }"] is not Kind.COMMENT
    assert all(s in body(result) for s in STORY)


def test_a_heading_between_two_parts_of_a_gallery_goes_with_the_gallery():
    box = [(f"Slide {n}: a picture of a street sign with its old name", LEFT_OUT) for n in range(4)]
    heading = ("The first genocide of the 20th century", LineHint(tag="h2", main=True))
    result = run(
        [(s, MAIN) for s in STORY[:2]] + box + [heading] + box + [(s, MAIN) for s in STORY[2:]]
    )
    assert heading[0] not in body(result)


def test_teaser_text_between_links_after_the_story_is_a_promo():
    teaser = "Get a glimpse of the weather events happening around the world by clicking through."
    link = LineHint(tag="a", link_density=1.0)
    result = run(
        [(s, MAIN) for s in STORY]
        + [("Photos: Weather around the world", link), ("August 7, 2013", LEFT_OUT)]
        + [(teaser, LEFT_OUT), ("Keep your phone charged", link)]
    )
    assert teaser not in body(result)


def test_a_story_paragraph_right_after_the_extractors_last_line_stays():
    late = "The council will meet again next month to decide on a fourth street in the district."
    link = LineHint(tag="a", link_density=1.0)
    result = run([(s, MAIN) for s in STORY] + [(late, LEFT_OUT), ("Related stories", link)])
    assert late in body(result)


# --- bylines only in the metadata box -------------------------------------------------------


def test_a_bare_label_and_a_name_beside_the_date_is_the_byline():
    found = boxed_byline(["Date 19.01.2020", "Author Ben Knight", "Keywords Berlin"], is_date_line)
    assert found is not None
    assert found.authors == ("Ben Knight",)


def test_a_bare_label_and_a_name_without_a_date_is_not():
    assert boxed_byline(["Author Ben Knight", "Keywords Berlin"], is_date_line) is None


def test_a_byline_in_a_row_of_metadata_with_the_date():
    row = (
        "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | "
        "Par Martin Untersinger (avec Damien Leloup et Morgane Tual)"
    )
    found = boxed_byline([row], is_date_line)
    assert found is not None
    assert found.authors == ("Martin Untersinger", "Damien Leloup", "Morgane Tual")


def test_a_row_without_a_date_gives_no_byline():
    assert boxed_byline(["Home | World | Par Martin Untersinger"], is_date_line) is None


def test_boxed_byline_in_a_text_page():
    """The engine falls back on the box only when no byline stands where bylines stand."""
    text = "\n".join(["Streets renamed", *STORY, "Date 19.01.2020", "Author Ben Knight"]) + "\n"
    assert extract(text).authors == ["Ben Knight"]


ROW_PIECES = st.sampled_from(
    [
        " | ",
        " • ",
        "|",
        "Par ",
        "Author ",
        "By ",
        "Ben ",
        "Knight",
        "04.05.2015 ",
        "à 13h36",
        "(",
        ")",
        "avec ",
        " ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(ROW_PIECES, max_size=300).map("".join), max_size=4))
def test_boxed_byline_never_crashes_and_names_only_what_it_read(lines):
    """Any rows, however long: the byline found (if any) is text of one of the lines."""
    found = boxed_byline(lines, is_date_line)
    if found is not None:
        assert any(found.text in line for line in lines)
        assert all(author for author in found.authors)


def test_a_label_glued_to_a_credit_gives_the_byline():
    found = boxed_byline(["Обложка © скриншот из видеоАвтор: Маргарита Ромашек"], is_date_line)
    assert found is not None
    assert found.authors == ("Маргарита Ромашек",)


def test_a_glued_capital_without_a_label_gives_none():
    assert (
        boxed_byline(["Обложка © скриншот из видеоТелеграм канала Маргарита"], is_date_line) is None
    )


def test_an_uncased_name_under_the_date_is_the_byline():
    text = "\n".join(
        [
            "الدفاع المدني يتمكن من السيطرة على حريق كبير على طريق جرش",
            "2021-07-03 16:55",
            "رنا السيلاوي",
            "تمكنت كوادر الدفاع المدني من التعامل مع حريق كبير شب مساء اليوم على طريق جرش.",
            "وقال مصدر امني ان كوادر الاطفاء تعاملت مع الحريق الذي امتد الى مساحات واسعة.",
        ]
    )
    assert extract(text).authors == ["رنا السيلاوي"]


def test_an_uncased_short_line_under_a_label_is_no_byline():
    """Not in the author slot (a section label above it, no title or date): no byline."""
    text = "\n".join(
        [
            "أخبار",
            "رنا السيلاوي",
            "تمكنت كوادر الدفاع المدني من التعامل مع حريق كبير شب مساء اليوم على طريق جرش.",
        ]
    )
    assert extract(text).authors == []


def test_a_byline_left_out_inside_the_story_is_no_caption():
    """ "By LYNNE O'DONNELL", left out by the extractor between the story's lines, is the
    byline the text rules read, not a caption."""
    result = run(
        [("Father of gunman known for videos", LineHint(tag="h1", headline=True))]
        + [(STORY[0], MAIN), ("By LYNNE O'DONNELL", LEFT_OUT)]
        + [(s, MAIN) for s in STORY[1:]]
    )
    assert result.authors == ["LYNNE O'DONNELL"]


def test_a_wire_photo_credit_is_a_caption():
    from articles.ingest import furniture

    assert furniture.is_agency_photo_credit("AP Photo/Uncredited")
    assert furniture.is_agency_photo_credit("AFP Photo / Evan Vucci")
    assert not furniture.is_agency_photo_credit("The photo/video was shared by the ministry.")
