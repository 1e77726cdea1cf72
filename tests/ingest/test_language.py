"""Languages and text direction: per article, and per block where a block differs.

The sentences are written for these tests; each pair of languages that share a script is
told apart on a long text and on a short one.
"""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import extract
from articles.ingest.language import (
    ARTICLE_SAMPLE,
    DATA_FILE,
    detect,
    detect_language,
    direction,
    languages,
    scripts,
    stoplist,
    stopword_density,
)
from articles.ingest.metadata import detect_language as old_detect_language

UK_LONG = (
    "Уряд України ухвалив рішення про будівництво нового мосту через Дніпро. За словами "
    "міністра, роботи почнуться навесні, і вже наступного року по мосту зможуть їздити "
    "вантажівки. Місцеві мешканці кажуть, що чекали на це рішення багато років, адже "
    "поромна переправа часто не працює взимку."
)
RU_LONG = (
    "Правительство России приняло решение о строительстве нового моста через Волгу. По "
    "словам министра, работы начнутся весной, и уже в следующем году по мосту смогут "
    "ездить грузовики. Местные жители говорят, что ждали этого решения много лет, ведь "
    "паромная переправа часто не работает зимой."
)
AR_LONG = (
    "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لبناء جسر فوق النهر. وقال الوزير إن العمل "
    "سيبدأ في الربيع وإن الشاحنات ستتمكن من عبور الجسر في العام المقبل."
)
FA_LONG = (
    "دولت روز سه‌شنبه از طرح تازه‌ای برای ساخت پل روی رودخانه خبر داد. وزیر گفت که کار "
    "در بهار آغاز می‌شود و کامیون‌ها سال آینده می‌توانند از این پل عبور کنند."
)
UR_LONG = (
    "حکومت نے منگل کے روز دریا پر ایک نیا پل بنانے کا اعلان کیا۔ وزیر نے کہا کہ کام "
    "بہار میں شروع ہوگا اور اگلے سال ٹرک اس پل سے گزر سکیں گے۔"
)
TR_LONG = (
    "Hükümet salı günü nehir üzerinde yeni bir köprü inşa edileceğini açıkladı. Bakan, "
    "çalışmaların ilkbaharda başlayacağını ve kamyonların gelecek yıl köprüyü "
    "kullanabileceğini söyledi."
)
EN_LONG = (
    "The government announced on Tuesday that a new bridge would be built over the river. "
    "The minister said the work would begin in the spring and that lorries could use the "
    "bridge next year."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (UK_LONG, "uk"),
        (RU_LONG, "ru"),
        ("Зеленський підписав закон про мову", "uk"),
        ("Путин подписал закон о языке", "ru"),
        ("Київ", "uk"),
        (AR_LONG, "ar"),
        (FA_LONG, "fa"),
        (UR_LONG, "ur"),
        ("قال الوزير إن العمل سيبدأ", "ar"),
        ("وزیر گفت که کار آغاز می‌شود", "fa"),
        (TR_LONG, "tr"),
        (EN_LONG, "en"),
        ("Cumhurbaşkanı açıklama yaptı", "tr"),
        ("Share this article", "en"),
        ("Ο υπουργός είπε ότι η γέφυρα θα χτιστεί", "el"),
        ("השר אמר שהגשר ייבנה בשנה הבאה", "he"),
        (
            "Министърът каза, че мостът ще бъде построен догодина и че това е важно за региона.",
            "bg",
        ),
        ("Министар је рекао да ће мост бити изграђен следеће године и да је то важно.", "sr"),
        ("Қазақстан үкіметі сейсенбі күні өзен арқылы жаңа көпір салынатынын жариялады.", "kk"),
        ("De regering heeft dinsdag aangekondigd dat er een nieuwe brug wordt gebouwd.", "nl"),
        ("Rząd ogłosił we wtorek, że nad rzeką zostanie zbudowany nowy most.", "pl"),
        ("Il governo ha annunciato martedì che sarà costruito un nuovo ponte sul fiume.", "it"),
        ("O governo anunciou na terça-feira que será construída uma nova ponte sobre o rio.", "pt"),
        ("Die Regierung hat am Dienstag angekündigt, dass eine neue Brücke gebaut wird.", "de"),
        ("El gobierno anunció el martes que se construirá un nuevo puente sobre el río.", "es"),
        ("政府周二宣布将在河上建造一座新桥。", "zh"),
        ("政府は火曜日、川に新しい橋を架けると発表した。", "ja"),
        ("정부는 화요일 강에 새 다리를 건설한다고 발표했다.", "ko"),
        ("सरकार ने मंगलवार को घोषणा की कि नदी पर एक नया पुल बनाया जाएगा।", "hi"),
    ],
)
def test_language_of_text(text, code):
    """Script first, then function words and marker letters, name the language."""
    assert detect_language(text) == code


def test_ukrainian_is_not_russian_even_when_mostly_shared_words():
    """A Ukrainian text with Russian-looking words is still Ukrainian, and the reverse."""
    assert detect(UK_LONG).code == "uk"
    assert detect(RU_LONG).code == "ru"
    assert "uk" in detect(UK_LONG).rule
    assert "Cyrillic" in detect(UK_LONG).rule


@pytest.mark.parametrize("text", ["", "2017 — 15:30", "Abone Ol", "US Edition", "пам"])
def test_unsure_is_und(text):
    """Too little evidence gives "und", never a guess."""
    assert detect_language(text) == "und"


@pytest.mark.parametrize(
    ("code", "way"), [("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("he", "rtl"), ("en", "ltr")]
)
def test_direction(code, way):
    """Arabic, Persian, Urdu and Hebrew run right to left."""
    assert direction(code) == way
    assert direction("und") == "ltr"


def test_stopword_density_separates_text_from_furniture():
    """Story sentences are dense in function words; widget labels and names are not."""
    assert stopword_density(EN_LONG, "en") > 0.3
    assert stopword_density("Share on Facebook Twitter WhatsApp", "en") < 0.25
    assert stopword_density(UK_LONG, "uk") > stopword_density(UK_LONG, "ru")
    assert stopword_density("", "en") == 0.0
    assert stopword_density(EN_LONG, "und") == stopword_density(EN_LONG, "en")


def test_old_import_path_still_works():
    """detect_language is still importable from metadata, where it used to live."""
    assert old_detect_language is detect_language


# --- Whole pages ------------------------------------------------------------------------

ARABIC_PAGE = f"""خطة جديدة لبناء جسر فوق النهر

{AR_LONG}

"We will build it in a year, and it will carry the heaviest lorries," the minister told reporters.

وأضاف الوزير أن الجسر سيخدم آلاف السكان في المنطقة وأن تكلفته ستبلغ مليون دولار.

Reuters
"""


def test_arabic_page_is_rtl_with_an_english_quote_marked_ltr():
    """The page is Arabic and right to left; an English paragraph inside says so itself."""
    x = extract(ARABIC_PAGE)
    assert (x.language, x.direction) == ("ar", "rtl")
    quote = next(b for b in x.blocks if b.text.startswith('"We will'))
    assert (quote.language, quote.direction) == ("en", "ltr")
    arabic = [b for b in x.blocks if b.text.startswith(("خطة", "أعلنت", "وأضاف"))]
    assert arabic
    assert all((b.language, b.direction) == ("", "") for b in arabic)
    latin_name = next(b for b in x.blocks if b.text == "Reuters")
    assert latin_name.direction == "ltr"  # another script, whatever its language


def test_ukrainian_page_with_a_russian_quote():
    """A Russian paragraph quoted in a Ukrainian article is marked Russian; short lines in
    the article's script take the article's language."""
    more = (
        "Депутати міської ради підтримали проєкт одноголосно. Вони також попросили уряд "
        "передбачити в бюджеті кошти на ремонт доріг, які ведуть до нового мосту."
    )
    page = f"Новий міст через Дніпро\n\n{UK_LONG}\n\n{RU_LONG}\n\n{more}\n\nПоділитися\n"
    x = extract(page)
    assert x.language == "uk"
    russian = next(b for b in x.blocks if b.text.startswith("Правительство"))
    assert russian.language == "ru"
    assert russian.direction == ""
    share = next(b for b in x.blocks if b.text == "Поділитися")
    assert share.language == ""


def test_english_names_in_a_byline_do_not_switch_language():
    """A line of names that happen to be in another language's word list stays English."""
    names = "Reporting by Tom Holloway, Tom Ashdown and Tom Baker"
    page = f"Bridge to open next year\n\n{names}\n\n{EN_LONG}\n"
    x = extract(page)
    assert all(b.language == "" for b in x.blocks)


def test_french_page_with_an_english_quote():
    """Same script, other language: a long enough English sentence is marked on a French page."""
    fr = (
        "Le gouvernement a annoncé mardi la construction d'un nouveau pont sur le fleuve. "
        "Selon le ministre, les travaux commenceront au printemps et les camions pourront "
        "l'utiliser dès l'année prochaine."
    )
    quote = '"We will not change our policy, and the talks will go on," the minister said.'
    x = extract(f"Un nouveau pont\n\n{fr}\n\n{quote}\n\n{fr}\n")
    assert x.language == "fr"
    assert next(b for b in x.blocks if b.text == quote).language == "en"


def test_language_rule_says_what_decided():
    """The rule names the script and the evidence."""
    x = extract(f"Bridge\n\n{EN_LONG}\n")
    assert x.language_rule.startswith("Latin script")
    assert "en " in x.language_rule


# --- Data -------------------------------------------------------------------------------


def test_every_language_is_in_exactly_one_script_and_has_its_data():
    """Each language of the data file belongs to one script, and its stoplist loads."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    listed = [code for s in data["scripts"].values() for code in s["languages"]]
    assert sorted(listed) == sorted(data["languages"])
    assert len(set(listed)) == len(listed)
    for code, entry in data["languages"].items():
        if entry["stoplist"]:
            assert len(stoplist(code)) > 50, code


@pytest.mark.parametrize("code", sorted(json.loads(DATA_FILE.read_text())["languages"]))
def test_marker_letters_belong_to_their_script(code):
    """A language's marker letters are letters of its script."""
    script = languages()[code]["script"]
    chars = re.compile(f"[{json.loads(DATA_FILE.read_text())['scripts'][script]['chars']}]")
    for letter in languages()[code]["markers"]:
        assert letter.isalpha() or letter in "¿¡", (code, letter)
        assert chars.match(letter) or letter in "¿¡", (code, letter)


def test_scripts_have_a_direction():
    """Every script is ltr or rtl."""
    assert {s.direction for s in scripts().values()} == {"ltr", "rtl"}


# --- Properties -------------------------------------------------------------------------

CODES = set(languages()) | {"und"}
MIXED = st.text(
    alphabet=st.sampled_from(
        list("abcxyz éşğıАБВіїыэ ابةپچیےשלוםαβγ中文かな한국 .,!?\n\"'«»-—0123456789")
    ),
    max_size=3000,
)


@settings(deadline=None, max_examples=150)
@given(MIXED)
def test_any_text_gives_a_known_code(text):
    """Whatever the text, the language is a known code or "und", the direction ltr or rtl."""
    found = detect(text)
    assert found.code in CODES
    assert found.direction in ("ltr", "rtl")
    assert 0.0 <= stopword_density(text, found.code) <= 1.0


@settings(deadline=None, max_examples=25)
@given(MIXED.filter(lambda t: len(t) > 10), st.integers(min_value=50, max_value=400))
def test_work_is_bounded_on_long_input(text, repeat):
    """Only a bounded prefix is judged: a text and the same text with a huge tail agree, so
    detection cannot grow with the input."""
    long_text = (text * (ARTICLE_SAMPLE // len(text) + 1))[:ARTICLE_SAMPLE]
    assert detect(long_text) == detect(long_text + text * repeat * 100)


@settings(deadline=None, max_examples=30)
@given(MIXED)
def test_any_page_gets_valid_block_languages(text):
    """Every block's language is "" or a known code, its direction "", ltr or rtl."""
    x = extract(text)
    for block in x.blocks:
        assert block.language in CODES | {""}
        assert block.direction in ("", "ltr", "rtl")
