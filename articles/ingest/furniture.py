"""Furniture found by what it is: line shapes that are never story text, in any language.

Each predicate looks at one line. They lean on general signals (a line that is only markup,
only a number, only hashtags, a handle and a date in a tweet's signature, a short line that is
not a sentence), and on the per-language phrase data of `phrases` only for widget labels whose
wording is all there is to go on. `extract` decides what the position of a line adds.
All patterns are anchored or bounded: linear on any input.
"""

import re

from . import phrases
from .text import CLOSING, line_word_count

# Sentence ends in the scripts the engine reads (Arabic and Urdu question mark, CJK stop, …).
_SENTENCE_END = ".!?…;:,؟۔。！？"
_MAX_PROBE = 400  # characters of a line the shape rules look at

_MARKUP_RE = re.compile(r"^<\s*/?\s*[A-Za-z][\w:-]{0,20}(?:\s[^<>]{0,2000})?>")
_IMAGE_MARKUP_RE = re.compile(r"^<\s*(?:img|image|picture|figure|svg)\b|data:image/", re.IGNORECASE)
_HASHTAG_RE = re.compile(r"^#[^\W\d_]")
_TWEET_SIGNATURE_RE = re.compile(
    r"^[—–-]\s*[^()\n]{1,80}\(\s*@\w{1,30}\s*\)\s*[^()\n]{0,40}$",
)
_EMBED_LINK_RE = re.compile(
    r"\bpic\.twitter\.com/\w+|\b(?:t\.co|youtu\.be|instagram\.com/p)/\w+", re.IGNORECASE
)
_COUNT_RE = re.compile(r"^[\d٠-٩]{1,6}$")
_PUNCTUATION_ONLY_RE = re.compile(r"^[\W_]{1,12}$")
_PAREN_LINE_RE = re.compile(r"^\(\s*([^()]{1,40}?)\s*\)\s*\.?$")
_COPYRIGHT_CREDIT_RE = re.compile(r"^(?:[^\W\d_]{1,15}\s*:\s*)?©\s*[^\W\d_]")
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_RIGHTS_RE = re.compile(
    r"rights|reserved|licen[cs]|права|захищен|защищен|haklar|الحقوق|droits|rechte|derechos",
    re.IGNORECASE,
)
_SECOND_PERSON_RE = re.compile(
    r"(?<![^\W_])(?:you|your|yours|вы|вас|ваш|ваши|ви|вам|тебя|твой|sie|vous|votre|vos|usted"
    r"|tu|tus|te|siz|sizin|senin)(?![^\W_])",
    re.IGNORECASE,
)
_READING_NUMBER_RE = re.compile(r"\d")
_GLUED_CREDIT_RE = re.compile(
    r"(?<=[^\W\d_])[.!?]?(?:Photo|Фото|Foto|Fotoğraf|Image|Credit)\s*:\s*\S[^.!?]{0,60}$"
)


_KEY_QUOTES = (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"))


def line_key(text: str) -> str:
    """A cheap matching key for spotting a line printed twice: case, curly quotes and spacing
    folded (`text.matching_key` folds more, at many times the cost)."""
    if not text.isascii():
        for curly, straight in _KEY_QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return " ".join(text.casefold().split())


def probe(text: str) -> str:
    """The part of a line the shape rules look at (bounded, so no rule can run long)."""
    return text[:_MAX_PROBE]


def ends_sentence(text: str) -> bool:
    """True when a line ends like a sentence in any of the scripts read."""
    stripped = text.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_story_shaped(text: str) -> bool:
    """A line of running story text: ends like a sentence and has at least five words."""
    return ends_sentence(text) and line_word_count(text) >= 5


def is_markup(text: str) -> str | None:
    """A line that is HTML/XML markup ("<image>data:…</image>"); the rule name, or None."""
    stripped = text.strip()
    if not stripped.startswith("<") or not stripped.endswith(">"):
        return None
    if not _MARKUP_RE.match(stripped):
        return None
    if _IMAGE_MARKUP_RE.search(stripped[:200]):
        return "caption: image markup"
    return "promo: markup left in the text"


def is_hashtag_line(text: str) -> bool:
    """ "#World News", "#Kazakhstan #Energy": topic tags, not text."""
    stripped = text.strip()
    if not _HASHTAG_RE.match(stripped):
        return False
    return line_word_count(stripped) <= 6 and not ends_sentence(stripped)


def is_tweet_signature(text: str) -> bool:
    """The signature under an embedded tweet: "— Name (@handle) January 23, 2017"."""
    return bool(_TWEET_SIGNATURE_RE.match(probe(text).strip()))


def has_embed_link(text: str) -> bool:
    """A line carrying an embed's short link (pic.twitter.com/…, t.co/…)."""
    return len(text) <= 600 and bool(_EMBED_LINK_RE.search(text))


def is_bare_count(text: str) -> bool:
    """A number alone on a line: a comment or share counter."""
    return bool(_COUNT_RE.match(text.strip()))


def is_punctuation_only(text: str) -> bool:
    """ "-", "|", "• •": separators with no letters or digits."""
    return bool(_PUNCTUATION_ONLY_RE.match(text.strip()))


def is_file_marker(text: str) -> bool:
    """ "(File)", "(File photo)", "(Архив)", "(أرشيفية)": a picture marker on its own."""
    match = _PAREN_LINE_RE.match(text.strip())
    return bool(match and phrases.whole_line("file_markers").match(match.group(1)))


_AGENCY_PHOTO_RE = re.compile(
    r"^[^\W\d_][\w.&'’-]{0,30}(?:\s[^\W\d_][\w.&'’-]{0,30}){0,2}\s"
    r"(?:photo|photos|image|images|foto|фото)\s?/\s?[^\W\d_]",
    re.IGNORECASE,
)


def is_agency_photo_credit(text: str) -> bool:
    """ "AP Photo/Evan Vucci", "AFP Photo/Uncredited": a wire's picture credit, short and no
    sentence."""
    stripped = text.strip()
    if line_word_count(stripped) > 8 or ends_sentence(stripped):
        return False
    return bool(_AGENCY_PHOTO_RE.match(stripped))


def is_copyright_credit(text: str) -> bool:
    """A picture credit with a copyright sign ("© Sputnik/ Name", "Photo: © Reuters"), as
    opposed to the page's own copyright notice (a year, "all rights reserved")."""
    stripped = probe(text).strip()
    if line_word_count(stripped) > 8 or not _COPYRIGHT_CREDIT_RE.match(stripped):
        return False
    if _RIGHTS_RE.search(stripped):
        return False
    return "/" in stripped or not _YEAR_RE.search(stripped)


def is_credit_label(text: str) -> bool:
    """ "Photo: Reuters", "Фото: ТАСС", "Fotoğraf: AA": a credit label and a short name."""
    stripped = probe(text).strip()
    if line_word_count(stripped) > 10 or ends_sentence(stripped.rstrip(".")):
        return False
    match = phrases.starts_with("credit_labels").match(stripped)
    return match is not None and stripped[match.end() :].lstrip().startswith(":")


def glued_credit(text: str) -> bool:
    """A caption with its credit glued on: "…in Kyiv on Monday.Photo: Reuters"."""
    return bool(_GLUED_CREDIT_RE.search(probe(text[-120:])))


def is_reading_time(text: str) -> bool:
    """ "1 Min Read", "5 мин чтения", "3 dk okuma": how long the story takes to read."""
    stripped = text.strip()
    if line_word_count(stripped) > 6 or not _READING_NUMBER_RE.search(stripped):
        return False
    return bool(phrases.anywhere("reading_time").search(stripped))


def is_share_label(text: str) -> bool:
    """Share and follow widget labels in any listed language ("مشاركة :", "Abone Ol")."""
    stripped = text.strip()
    if line_word_count(stripped) > 6 or len(stripped) > 60:
        return False
    if phrases.whole_line("share_labels").match(stripped):
        return True
    match = phrases.starts_with("share_labels").match(stripped)
    if not match:
        return False
    rest = stripped[match.end() :].lstrip()
    return rest.startswith((":", "|")) and not ends_sentence(rest.rstrip(":| "))


def is_navigation(text: str) -> bool:
    """A navigation label ("Back to Main page", "Главная", "Ana Sayfa"): a short line that is
    a listed label, or opens with a listed label of two words or more."""
    stripped = text.strip()
    if line_word_count(stripped) > 5 or ends_sentence(stripped.rstrip(":")):
        return False
    if phrases.whole_line("navigation").match(stripped):
        return True
    match = phrases.starts_with("navigation").match(stripped)
    return match is not None and " " in match.group(0).strip()


def is_relative_time(text: str) -> bool:
    """ "7 months ago", "2 saat önce", "5 дней назад", "منذ 3 ساعات"."""
    stripped = text.strip()
    return len(stripped) <= 40 and bool(phrases.relative_time().match(stripped))


def is_support_appeal(text: str) -> bool:
    """A short appeal for support: "Do you like this content? Consider helping us!"."""
    stripped = text.strip()
    if line_word_count(stripped) > 16:
        return False
    # Story sentences quote such words too; an appeal speaks to the reader or exclaims.
    spoken = not ends_sentence(stripped) or addresses_reader(stripped) or stripped[-1:] == "!"
    return spoken and bool(phrases.anywhere("support_phrases").search(stripped))


def has_newsletter_words(text: str) -> bool:
    """A short line about newsletters, e-mail sign-ups or unsubscribing."""
    if line_word_count(text) > 60:
        return False
    return bool(phrases.anywhere("newsletter_words").search(probe(text)))


def addresses_reader(text: str) -> bool:
    """A line speaking to the reader ("you", "your", "вы", "siz")."""
    return bool(_SECOND_PERSON_RE.search(probe(text)))


SHORT_LINE_WORDS = 16  # widget labels, counts and credits are never longer than this


def _long_line_rule(text: str) -> tuple[str, str] | None:
    """The rules a line of more than sixteen words can still match."""
    if text.lstrip()[:1] in "—–-" and is_tweet_signature(text):
        return "promo", "promo: embedded tweet (its signature line)"
    if "/" in text and has_embed_link(text):
        return "promo", "promo: embedded post (a short embed link)"
    if ends_with_credit(text):
        return "caption", "caption: picture credit (© or a credit label)"
    if is_related_link(text):
        return "promo", "promo: a link to another story under a “read also” label"
    if is_source_line(text):
        return "footer", "footer: a source line"
    if is_contributor_note(text):
        return "footer", RULE_CONTRIBUTORS
    return None


def line_rule(text: str) -> tuple[str, str] | None:
    """(kind name, rule) for a line that is furniture by its own shape, else None.

    Tried after the older rules of `rules`; kind names are `Kind` values. A long line goes
    through the few rules that can match one (most story lines are long), a short one
    through all of them.
    """
    if (markup := is_markup(text)) is not None:
        return markup.split(":", 1)[0], markup
    if "{" in text and is_style_rule(text):
        return "promo", "promo: a style-sheet rule left in the text"
    if line_word_count(text) > SHORT_LINE_WORDS:
        return _long_line_rule(text)
    if is_bare_count(text):
        return "comment", "comment: a bare count (comments or shares)"
    if is_punctuation_only(text):
        return "breadcrumb", "breadcrumb: punctuation only"
    if is_hashtag_line(text):
        return "promo", "promo: topic hashtags"
    if is_tweet_signature(text):
        return "promo", "promo: embedded tweet (its signature line)"
    if "/" in text and has_embed_link(text):
        return "promo", "promo: embedded post (a short embed link)"
    if is_file_marker(text):
        return "caption", "caption: a file-picture marker"
    if (
        is_copyright_credit(text)
        or is_credit_label(text)
        or ends_with_credit(text)
        or is_agency_photo_credit(text)
    ):
        return "caption", "caption: picture credit (© or a credit label)"
    if is_related_link(text):
        return "promo", "promo: a link to another story under a “read also” label"
    if is_tag_label(text):
        return "footer", "footer: the label over the story's tags"
    if is_source_line(text):
        return "footer", "footer: a source line"
    if is_reading_time(text):
        return "promo", "promo: reading-time label"
    if is_relative_time(text):
        return "dateline", "dateline: a relative time (when the page was read)"
    if is_share_label(text):
        return "promo", "promo: share or follow widget label"
    if is_support_appeal(text):
        return "promo", "promo: an appeal for support"
    if is_navigation(text):
        return "breadcrumb", "breadcrumb: a navigation label"
    if is_contributor_note(text):
        return "footer", RULE_CONTRIBUTORS
    return None


RULE_CONTRIBUTORS = "footer: a note naming who contributed to the report"
MAX_CONTRIBUTOR_WORDS = 60
# ".alrai-widget{margin-top: 20px; max-width:250px}", "#box, .x { color: red; }": a selector
# (a class, an id or an at-rule first) and a block of declarations.
_DECLARATION = r"\s*[\w-]{1,40}\s*:[^{};]{0,200}"
_STYLE_RULE_RE = re.compile(
    r"^[.#@][\w#.:\s,>~+()\[\]=\"'-]{0,200}\{"
    rf"{_DECLARATION}(?:;{_DECLARATION}){{0,30}};?\s*\}}$"
)


def is_style_rule(text: str) -> bool:
    """A line of CSS left in the page text: a selector and its declarations."""
    stripped = text.strip()
    return len(stripped) <= 600 and bool(_STYLE_RULE_RE.match(stripped))


def is_contributor_note(text: str) -> bool:
    """ "Associated Press writers … contributed to this report.": who else reported it."""
    if line_word_count(text) > MAX_CONTRIBUTOR_WORDS:
        return False
    return bool(phrases.anywhere("contributor_notes").search(probe(text)))


_ENDING_CREDIT_RE = re.compile(
    r"(?:^|[\s.)\]|])(?:Photo|Photos|Image|Credit|Фото|Foto|Fotoğraf|صورة|Bild)\s*:\s*"
    r"[^.!?:()]{1,60}$"
)
_BULLET_RE = re.compile(r"^(?:[-–—•*·▪►»]\s*)+")
_TITLE_WORD_RE = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*$")


def ends_with_credit(text: str) -> bool:
    """A caption that ends with a credit label and a name ("… Photo: The Associated Press")."""
    tail = text[-120:]
    return not ends_sentence(tail) and bool(_ENDING_CREDIT_RE.search(tail))


def without_bullet(text: str) -> str:
    """A list item's text without its leading bullet ("- ", "• ")."""
    return _BULLET_RE.sub("", text.strip(), count=1)


def is_related_link(text: str) -> bool:
    """ "Lire aussi : <headline>", "Читайте также: <headline>": a link to another story."""
    stripped = probe(text).strip()
    match = phrases.starts_with("related_labels").match(stripped)
    if not match or not stripped[match.end() :].lstrip().startswith(":"):
        return False
    return line_word_count(stripped) <= 30


def is_related_label(text: str) -> bool:
    """ "Read also", "Читайте также", "إقرأ أيضاً:": a label over links to other stories."""
    stripped = text.strip()
    return len(stripped) <= 60 and bool(phrases.whole_line("related_labels").match(stripped))


def _titled_word(word: str) -> bool:
    return bool(_TITLE_WORD_RE.match(word)) and word[:1].isupper() and not word.isupper()


def is_menu_row(text: str) -> bool:
    """A row of menu items: four or more capitalised words, none a function word in any
    listed language ("Newsletter Newsletters Events Podcasts Vidéos")."""
    tokens = text.split()
    if len(tokens) < 4 or ends_sentence(text):
        return False
    if not all(_titled_word(t) for t in tokens):
        return False
    stop = phrases.function_words()
    return not any(t.casefold() in stop for t in tokens)


def is_name_alone(text: str) -> bool:
    """Two or three capitalised words and nothing else ("Farah Mokrani", "Duvar English"):
    a name standing in the author slot."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 3 or not all(_titled_word(t) for t in tokens):
        return False
    stop = phrases.function_words()
    return not any(t.casefold() in stop for t in tokens)


def agency_alone(text: str) -> str | None:
    """ "(Xinhua)": a name of one to three capitalised words in parentheses, alone on a line;
    the name, or None ("(File)" and other picture markers are not names)."""
    match = _PAREN_LINE_RE.match(text.strip())
    if not match:
        return None
    name = match.group(1).strip()
    words = name.split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return None
    if phrases.whole_line("file_markers").match(name):
        return None
    return name


def is_tag_label(text: str) -> bool:
    """ "Tags:", "Etiketler :", "Теги:": the label over the story's tags."""
    stripped = text.strip()
    if len(stripped) > 40:
        return False
    match = phrases.starts_with("tag_labels").match(stripped)
    return match is not None and stripped[match.end() :].strip() in ("", ":")


def is_source_line(text: str) -> bool:
    """ "Source: AA", "Kaynak:AA", "المصدر: الجزيرة": a source note that is not a sentence."""
    stripped = probe(text).strip()
    match = phrases.starts_with("source_labels").match(stripped)
    if not match or not stripped[match.end() :].lstrip().startswith(":"):
        return False
    return not is_story_shaped(stripped) or line_word_count(stripped) <= 6
