"""Furniture found by what it is: line shapes, position and repetition, in any language.

The fixtures `wire_tass_page.txt`, `ap_furniture_page.txt`, `reuters_page.txt` and
`multilingual/*.txt` are written in the shape of the pages the issue measured (new text, not
copies): furniture above the headline and the lead, captions without credits, a caption
printed twice, embeds, newsletter blocks, a © credit mid-page, related-story lists.
"""

from functools import cache
from pathlib import Path

import pytest

from articles.ingest import BODY_SEPARATOR, Extraction, Kind, extract
from articles.ingest import furniture as f
from articles.ingest.layout import is_widget_label

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def run(name: str) -> Extraction:
    return extract((FIXTURES / name).read_text(encoding="utf-8"))


def kind_of(x: Extraction, prefix: str) -> Kind:
    found = [b for b in x.blocks if b.text.startswith(prefix)]
    assert found, f"no block starts with {prefix!r}"
    return found[0].kind


def paragraphs(x: Extraction) -> list[str]:
    return [b.text for b in x.blocks if b.kind is Kind.PARAGRAPH]


# --- Line shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("<image>data:image/png;base64,iVBORw0KGgo</image>", "caption"),
        ('<div class="ad"></div>', "promo"),
        ("0", "comment"),
        ("177", "comment"),
        ("-", "breadcrumb"),
        ("|||||||||", "breadcrumb"),
        ("___", "breadcrumb"),
        ("#World News", "promo"),
        ("#Kazakhstan #Energy", "promo"),
        ("— Aliya Nurpeisova (@aliya_np) January 22, 2017", "promo"),
        ("Roads under water this morning pic.twitter.com/AbCdEf123", "promo"),
        ("(File)", "caption"),
        ("(Архив)", "caption"),
        ("(أرشيفية)", "caption"),
        ("© Sputnik/ Khaled Al-Khateb", "caption"),
        ("Фото: ТАСС", "caption"),
        ("Fotoğraf: AA", "caption"),
        ("Residents clean a street of Golf Juan. (AP Photo/Lionel Cironneau) Photo: AP", "caption"),
        ("1 Min Read", "promo"),
        ("5 мин чтения", "promo"),
        ("3 dk okuma", "promo"),
        ("7 months ago", "dateline"),
        ("2 saat önce", "dateline"),
        ("5 дней назад", "dateline"),
        ("منذ 3 ساعات", "dateline"),
        ("مشاركة :", "promo"),
        ("Abone Ol", "promo"),
        ("Поделиться", "promo"),
        ("Paylaş", "promo"),
        ("Do you like this content? Consider helping us!", "promo"),
        ("Понравился материал? Помоги сайту!", "promo"),
        ("Back to Main page", "breadcrumb"),
        ("US Edition", "breadcrumb"),
        ("More Info", "breadcrumb"),
        ("Главная", "breadcrumb"),
        ("Etiketler :", "footer"),
        ("Source: AA", "footer"),
        ("Kaynak:AA", "footer"),
        ("المصدر: الجزيرة", "footer"),
        ("Lire aussi : Les critiques de la CNIL contre le projet de loi", "promo"),
    ],
)
def test_line_rules(line, kind):
    found = f.line_rule(line)
    assert found is not None, line
    assert found[0] == kind, found


@pytest.mark.parametrize(
    "line",
    [
        "Officials said the bridge would open by March.",
        "He said he would donate his salary to the hospital fund.",
        "The ministry said in an email that the figures were preliminary.",
        "Kazakhstan and Uzbekistan agree to share water",
        "SPLIT VOTE",
        "Costs and timetable",
        "«Очереди на границе должны стать короче в два раза», - сказал он журналистам.",
        "(source: Farsnews)",
        "© 2017 Reuters. All rights reserved.",
        "2,500 $",
    ],
)
def test_story_lines_and_older_rules_are_left_alone(line):
    """Story sentences, headings, and lines the older rules own are not taken by these."""
    assert f.line_rule(line) is None


def test_widget_labels_are_one_word():
    assert is_widget_label("Map")
    assert is_widget_label("PUBLICITÉ")
    assert not is_widget_label("SPLIT VOTE")
    assert not is_widget_label("Yes.")


def test_menu_rows_and_names():
    assert f.is_menu_row("Newsletter Newsletters Events Podcasts Vidéos Africanews")
    assert not f.is_menu_row("Majority Of Syrian Groups Refused To Attend Talks")
    assert not f.is_menu_row("ŞEHİR GENELİNDE İNCELEMELERE BAŞLANDI")
    assert f.is_name_alone("Farah Mokrani")
    assert not f.is_name_alone("Farah")
    assert not f.is_name_alone("The talks")
    assert f.agency_alone("(Xinhua)") == "Xinhua"
    assert f.agency_alone("(File)") is None


# --- Whole pages -----------------------------------------------------------------------------


def test_wire_page_with_furniture_above_the_headline():
    x = run("wire_tass_page.txt")
    assert (
        x.title == "Kazakhstan and Uzbekistan agree to share water from the Syr Darya this summer"
    )
    assert (x.dateline, x.dateline_agency) == ("ASTANA", "TASS")
    for junk in ("Back to Main page", "International", "-", "7 months ago", "#World News"):
        assert junk not in x.body.split(BODY_SEPARATOR)
    assert len(paragraphs(x)) == 4


def test_ap_page_captions_embeds_and_newsletter():
    x = run("ap_furniture_page.txt")
    assert x.title == "Floods close main highway between two Kazakh cities"
    assert x.authors == ["The Associated Press"]
    assert (x.dateline, x.dateline_agency) == ("ASTANA", "AP")
    body = x.body
    for junk in (
        "US Edition",
        "More Info",
        "This Article is From",
        "Rescue workers carry sandbags",
        "(File)",
        "pic.twitter.com",
        "@aliya_np",
        "Stay on top of the news",
        "your inbox",
        "Unsubscribe",
        "Consider helping us",
        "<image>",
    ):
        assert junk not in body, junk
    assert body.split(BODY_SEPARATOR)[1].startswith("Floods caused by a sudden thaw")
    assert len(paragraphs(x)) == 4
    caption = [b for b in x.blocks if b.text.startswith("Rescue workers")]
    assert [b.kind for b in caption] == [Kind.CAPTION, Kind.CAPTION]


def test_copyright_credit_mid_page_never_opens_the_footer():
    """A © picture credit with story text after it is a caption; the paragraph after it
    (which lost its full stop) stays in the story."""
    x = run("reuters_page.txt")
    assert kind_of(x, "© Maxim Shemetov") is Kind.CAPTION
    assert kind_of(x, "Analysts polled by Reuters") is Kind.PARAGRAPH
    assert x.authors == ["Reuters Staff"]
    assert "1 Min Read" not in x.body
    for related in ("Russia's budget deficit", "Kazakh tenge hits", "Ukraine central bank"):
        assert kind_of(x, related) is Kind.PROMO


def test_copyright_line_at_the_end_is_the_footer():
    x = run("wire_tass_page.txt")
    assert kind_of(x, "© TASS") is Kind.FOOTER


@pytest.mark.parametrize(
    ("name", "title", "authors", "dateline", "junk"),
    [
        (
            "ru_tass_page.txt",
            "Украина и Польша договорились о новом пункте пропуска на границе",
            ["Иван Петров"],
            ("КИЕВ", "ТАСС"),
            ["Главная", "Политика", "Поделиться", "/ТАСС/"],
        ),
        (
            "tr_aa_page.txt",
            "Kazakistan ile Türkiye arasında yeni uçak seferleri başlıyor",
            ["Ayşe Yılmaz"],
            ("ANKARA", "AA"),
            ["Abone Ol", "Dünya", "Paylaş", "Yazar"],
        ),
        (
            "ar_page.txt",
            "كازاخستان تعلن عن خطة جديدة لدعم المزارعين",
            [],
            ("أستانا", "رويترز"),
            ["مشاركة", "الرئيسية", "عربي ودولي"],
        ),
    ],
)
def test_pages_in_other_languages(name, title, authors, dateline, junk):
    x = run(f"multilingual/{name}")
    assert x.title == title
    assert x.authors == authors
    assert (x.dateline, x.dateline_agency) == dateline
    for line in junk:
        assert line not in x.body, line
    assert len(paragraphs(x)) == 3


def test_story_paragraph_printed_twice_stays():
    """A sentence printed twice is not a caption: the story keeps it."""
    lead = "Officials said on Tuesday that the bridge would open next month, ahead of plan."
    quote = "« Le bilan n'est pas encore complet », a encore ajouté le ministre de l'Intérieur."
    x = extract(f"Bridge to open next month\n\n{lead}\n{quote}\n{quote}\n")
    assert quote in x.body


def test_related_list_under_a_read_also_label():
    lead = "Officials said on Tuesday that the bridge would open next month, ahead of plan."
    more = "The project cost about $120 million, the transport department said on Monday."
    text = (
        f"Bridge to open next month\n\n{lead}\n\nRead also\nlist of 3 items\n"
        f"Tunnel works resume in the north\n\n{more}\n"
    )
    x = extract(text)
    assert "list of 3 items" not in x.body
    assert more in x.body


def test_newsletter_block_between_paragraphs():
    """A run of sign-up lines inside the story is set aside as one block."""
    lead = "Officials said on Tuesday that the bridge would open next month, ahead of plan."
    more = "The project cost about $120 million, the transport department said on Monday."
    text = (
        f"Bridge to open next month\n\n{lead}\n\nStay on top of the news from Central Asia\n"
        f"Get our morning briefing in your inbox\nSign up\n\n{more}\n"
    )
    x = extract(text)
    assert x.body.split(BODY_SEPARATOR)[1:] == [lead, more]
    assert kind_of(x, "Stay on top") is Kind.PROMO
