"""The line-level rules: what a single line of a page looks like.

Each predicate looks at one line (or sentence) of text and answers yes or no; `extract` decides
the order they are tried in and what the position of a line in the file adds. Rules describe
shapes of page furniture in general (licence wording, photo-credit parentheticals, widget
labels), never sentences of particular files.
"""

import re
from typing import NotRequired, TypedDict

from . import dates
from .text import CLOSING, TERMINAL, line_word_count
from .text import ends_sentence as ends_sentence  # re-exported: read as rules.ends_sentence

MAX_HEADING_WORDS = 20

# Rule names other code recognises blocks by.
RULE_COMMENT_WIDGET = "comment: comment-widget label"
RULE_COMMENT_AUTHOR = "comment: author name above a comment"
MAX_SUBHEADING_WORDS = 14

_CURRENCY = r"[$€£¥₽]"
_AMOUNT_RE = re.compile(
    rf"^\s*(?:{_CURRENCY}\s?\d[\d,.\s]*|\d[\d,.\s]*\s?{_CURRENCY}|\d[\d,.]*\s?(?:USD|EUR|GBP))\s*$"
)
_SUPPORT_RE = re.compile(
    r"^(?:support|donate(?:\s+to)?|become\s+a\s+(?:patron|member|supporter)|subscribe(?:\s+to)?"
    r"|sign\s+up\s+for|follow\s+us(?:\s+on)?|join\s+us(?:\s+on)?|download\s+our\s+app)\b",
    re.IGNORECASE,
)
_SHARE_RE = re.compile(
    r"^(?:share(?:\s+(?:this|the)\s+(?:article|story|post|page))?(?:\s+on\s+\w+)?"
    r"|tweet|print(?:\s+this)?|e-?mail(?:\s+this)?|facebook|twitter|whatsapp|telegram"
    r"|share\s*:)\s*$",
    re.IGNORECASE,
)
_LICENCE_RE = re.compile(
    r"(?:licen[cs]ed\s+under|creative\s+commons\b.*\blicen[cs]e|all\s+rights\s+reserved"
    r"|©|\(c\)\s*\d{4}|copyright\s+(?:©\s*)?\d{4}|may\s+not\s+be\s+(?:re)?published"
    r"|reproduction\s+(?:is\s+)?(?:prohibited|forbidden))",
    re.IGNORECASE,
)
_LICENCE_NAME_RE = re.compile(
    r"\b(?:Attribution(?:-(?:NonCommercial|ShareAlike|NoDerivs|NoDerivatives))*\s+\d\.\d"
    r"|CC[ -]BY(?:-[A-Z]{2})*(?:\s+\d\.\d)?|Public\s+Domain)\b"
)
_CREDIT_LABEL_RE = re.compile(
    r"\b(?:Flickr|Getty\s+Images|Shutterstock|Wikimedia(?:\s+Commons)?|Photo\s+credit"
    r"|Image\s+credit|Photo|Image|Picture|Credit|Illustration)\s*:",
    re.IGNORECASE,
)
_PHOTO_CREDIT_TAIL_RE = re.compile(
    r"(?:\(\s*(?:(?:file\s+)?(?:photo(?:graph)?|image|picture|pic)\s*)?"
    r"(?:by|via|credit:?|courtesy(?:\s+of)?|©)\s+[^()]{1,60}\)"
    r"|\(\s*(?:photo(?:graph)?|image|picture|file\s+photo)\s*:\s*[^()]{1,60}\)"
    r"|\(\s*[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?\s+(?:file\s+)?photo\s*\)"
    r"|\bGetty\s+Images)\s*\.?\s*$",
    re.IGNORECASE,
)
# "... March 3, 2024. REUTERS/Ali Khara": an agency in capitals, a slash, the photographer.
_AGENCY_SLASH_CREDIT_RE = re.compile(
    r"(?:^|[.!?”\"]\s+)[A-Z]{2,}(?:/[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})+\s*$"
)
_PHOTO_LEAD_RE = re.compile(
    r"^(?:this|the|a|an)\s+(?:undated\s+|handout\s+|file\s+)*(?:photo(?:graph)?|picture|image"
    r"|screen\s*(?:shot|grab)|video\s+grab)\s+(?:shows|taken|provided|released|made)\b",
    re.IGNORECASE,
)
_SOURCE_NOTE_RE = re.compile(
    r"^\(\s*(?:source|sources|via|with\s+(?:files|reporting)\s+from)\s*:?\s*(?P<name>[^()]{1,60})\)\s*\.?$",
    re.IGNORECASE,
)
_CLOSING_CREDIT_RE = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b"
    r"|^(?:tags|topics|filed\s+under|categories)\s*:",
    re.IGNORECASE,
)
_COMMENTS_CLOSED_RE = re.compile(
    r"^(?:comments\s+(?:are\s+)?closed|comments\s+are\s+disabled|commenting\s+(?:is\s+)?closed)"
    r"\b.*$",
    re.IGNORECASE,
)
_ALTERNATE_ADDRESS_RE = re.compile(
    r"\b(?:alternate|alternative|mirror)\s+(?:address|addresses|domains?|sites?|links?)\b"
    r"|\bcan\s+also\s+be\s+(?:accessed|reached|found)\s+at\b",
    re.IGNORECASE,
)
_URL_LINE_RE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.IGNORECASE)
_BREADCRUMB_SEPARATORS = ("/", ">", "»", "›", "|", "→")
_COMMENT_WIDGET_RE = re.compile(
    r"^(?:notify\s+of|newest\s+most\s+voted|oldest\s+newest\s+most\s+voted|inline\s+feedbacks"
    r"|view\s+all\s+comments|load\s+more\s+comments|\d+\s+comments?|leave\s+a\s+(?:reply|comment)"
    r"|post\s+a\s+comment|add\s+a\s+comment|join\s+the\s+discussion|reader\s+comments"
    r"|would\s+love\s+your\s+thoughts,?\s+please\s+comment\.?x?|subscribe\s+to\s+comments"
    r"|login\s+to\s+comment|show\s+comments|comments?\s*\(\d+\)|reply|report)\s*$",
    re.IGNORECASE,
)
# The labels that open a comment section (a subset of the widget lines).
_COMMENT_SECTION_START_RE = re.compile(
    r"^(?:notify\s+of|\d+\s+comments?|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment"
    r"|add\s+a\s+comment|join\s+the\s+discussion|reader\s+comments|view\s+all\s+comments"
    r"|comments?\s*\(\d+\))\s*$",
    re.IGNORECASE,
)
_CONTINUATION_RE = re.compile(
    r"^(?:meanwhile|in\s+other\s+news|elsewhere|separately)\b",
    re.IGNORECASE,
)
_AGENCY_TAG = r"[A-Z][\w&.-]{1,15}(?:\s[A-Z][\w&.-]+){0,2}"
_DATELINE_RE = re.compile(
    rf"^(?P<agency>\(\s*(?P<agency_name>{_AGENCY_TAG})\s*\)\s*)?"
    r"(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})"
    r"(?:\s*,\s*(?P<region>[A-Z][a-z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}))?"
    r"(?:\s*,\s*(?P<date>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})"
    r"(?:\s*,?\s*\d{4})?))?"
    r"(?:\s*,\s*(?P<agency_comma>[A-Z]{2,10}))?"
    rf"(?:\s*\(\s*(?P<agency_after>{_AGENCY_TAG})\s*\))?"
    r"\s*(?:[-–—]{1,2}|:)\s+(?=\S)"
)


def is_donation_amount(line: str) -> bool:
    return bool(_AMOUNT_RE.match(line))


def is_support_prompt(line: str) -> bool:
    return line_word_count(line) <= 6 and not ends_sentence(line) and bool(_SUPPORT_RE.match(line))


_LINK_PROMO_RE = re.compile(
    r"^(?:read\s+more|related(?:\s+(?:story|stories|article|articles|news))?|also\s+read"
    r"|see\s+also|recommended|more\s+on\s+this|watch|listen)\s*:",
    re.IGNORECASE,
)


def is_link_promo(line: str) -> bool:
    """A link to another story: "Read more: ...", "Related: ...", "See also: ..."."""
    return line_word_count(line) <= 25 and bool(_LINK_PROMO_RE.match(line.strip()))


def is_share_prompt(line: str) -> bool:
    return bool(_SHARE_RE.match(line.strip()))


def is_licence_line(text: str) -> bool:
    """Licence and copyright statements ("... is licensed under a Creative Commons ...")."""
    return bool(_LICENCE_RE.search(text))


def is_credit_line(text: str) -> bool:
    """A picture credit: a licence name or a credit label in a line that is not a sentence."""
    if ends_sentence(text) or line_word_count(text) > 16:
        return False
    return bool(_LICENCE_NAME_RE.search(text) or _CREDIT_LABEL_RE.search(text))


def is_photo_caption(text: str) -> bool:
    """A caption: "This photo shows ..." or a line ending in a picture credit, such as
    "(Photo by AFP)", "(By AFP)", "(Photo: AFP)", "(AFP Photo)" or "REUTERS/Name"."""
    return bool(
        _PHOTO_LEAD_RE.match(text)
        or _PHOTO_CREDIT_TAIL_RE.search(text)
        or _AGENCY_SLASH_CREDIT_RE.search(text)
    )


def source_note(text: str) -> str | None:
    """The name in a source note such as "(source: Farsnews)", else None."""
    match = _SOURCE_NOTE_RE.match(text.strip())
    return match.group("name").strip() if match else None


def is_comments_closed(text: str) -> bool:
    return bool(_COMMENTS_CLOSED_RE.match(text.strip()))


def is_alternate_address(text: str) -> bool:
    return bool(_ALTERNATE_ADDRESS_RE.search(text))


def is_url_line(text: str) -> bool:
    stripped = text.strip()
    return " " not in stripped and "." in stripped and bool(_URL_LINE_RE.match(stripped))


def is_footer_sentence(text: str) -> str | None:
    """The footer rule a sentence matches, or None."""
    if source_note(text) is not None:
        return "source note in parentheses"
    if is_licence_line(text):
        return "licence or copyright wording"
    if _CLOSING_CREDIT_RE.match(text.strip()):
        return "reporting credits or tags closing the story"
    if is_comments_closed(text):
        return "comment widget closed notice"
    if is_alternate_address(text):
        return "alternate web addresses of the site"
    if is_url_line(text):
        return "a bare web address"
    return None


_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin|el|la|le))*"
_BYLINE_RE = re.compile(
    rf"^(?:(?:written|posted|published|updated)\s+(?:on\s+)?[^\n]{{0,40}}?\s+)?by\s+{_NAME}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|–—-]\s*[^\n]{{0,40}})?$",
    re.IGNORECASE,
)


def is_byline(text: str) -> bool:
    """ "By Jane Holloway and Tom Ashdown", "Posted on 14 May 2024 by Aigerim Sadykova"."""
    stripped = text.strip()
    return (
        line_word_count(stripped) <= 16
        and not ends_sentence(stripped)
        and bool(_BYLINE_RE.match(stripped))
    )


def is_date_line(text: str) -> bool:
    """A line that is only a date, time or relative date, with its labels and weekday, in any
    supported language: "January 5, 2024", "Updated: 23.01.2017 14:05", "7 months ago"."""
    return dates.is_date_line(text)


def is_breadcrumb(text: str) -> bool:
    """Navigation such as "News / Syria" or "Home > World > Middle East"."""
    normalised = " ".join(text.split())
    for separator in _BREADCRUMB_SEPARATORS:
        parts = [part.strip() for part in normalised.split(f" {separator} ")]
        if len(parts) < 2 or len(parts) > 6:
            continue
        if all(part and line_word_count(part) <= 3 and not ends_sentence(part) for part in parts):
            return True
    return False


def is_comment_widget(text: str) -> bool:
    return bool(_COMMENT_WIDGET_RE.match(text.strip()))


def starts_comment_section(text: str) -> bool:
    return bool(_COMMENT_SECTION_START_RE.match(text.strip()))


def opens_another_story(text: str) -> bool:
    """A paragraph that opens with "Meanwhile", "In other news" and the like."""
    return bool(_CONTINUATION_RE.match(text.strip()))


def looks_like_heading(text: str, *, max_words: int = MAX_HEADING_WORDS) -> bool:
    """A short line that does not end a sentence and starts like a title."""
    stripped = text.strip()
    if not stripped or "\n" in stripped:
        return False
    count = line_word_count(stripped)
    if count == 0 or count > max_words:
        return False
    if ends_sentence(stripped):
        # A short question or exclamation can head a story ("What happens next?").
        core = stripped.rstrip(CLOSING)
        # A headline trailing off ("Istanbul shaken once more...") is not a sentence either.
        trail = 3 if core.endswith("...") else 1
        if not (core.endswith(("?", "!", "...", "…")) and 3 <= count <= MAX_SUBHEADING_WORDS):
            return False
        if any(mark in core[:-trail] for mark in ".?!…"):
            return False
    first = stripped.lstrip("\"'“‘«([")[:1]
    # Scripts without capitals (Arabic, Hebrew, CJK…) start headings with any letter.
    uncased = first.isalpha() and first.upper() == first.lower()
    return first.isupper() or first.isdigit() or uncased


def looks_like_person_name(text: str) -> bool:
    """A comment author line: one to four capitalised words, nothing else."""
    stripped = text.strip()
    tokens = stripped.split()
    if not 1 <= len(tokens) <= 4 or ends_sentence(stripped):
        return False
    return all(re.fullmatch(r"[A-Z][\w'’.-]*", token) or token.isdigit() for token in tokens)


def looks_like_handle(text: str) -> bool:
    """A commenter's handle in any case: one to three words, no sentence punctuation."""
    stripped = text.strip()
    tokens = stripped.split()
    if not 1 <= len(tokens) <= 3 or ends_sentence(stripped) or is_comment_widget(stripped):
        return False
    return all(re.fullmatch(r"[\w'’.@-]+", token) for token in tokens)


class Dateline(TypedDict):
    """A dateline opening a paragraph, as `dateline` and `datelines.find_dateline` find it."""

    end: int  # where the dateline (without its trailing space) ends in the text
    place: str
    agency: str | None
    date: str | None
    region: NotRequired[str | None]  # the classic form's ", Calif." after the place
    rule: NotRequired[str]  # the rule, when not the classic form's


def dateline(text: str) -> Dateline | None:
    """A dateline opening a paragraph: "TEHRAN - ", "(GPA) Astana – ", "LONDON (Reuters) - ".

    The place must be in capitals, or come with an agency in parentheses, so that an ordinary
    sentence such as "Putin said: ..." is not taken for one.
    """
    match = _DATELINE_RE.match(text)
    if not match:
        return None
    place = match.group("place")
    agency = (
        match.group("agency_name") or match.group("agency_after") or match.group("agency_comma")
    )
    letters = [char for char in place if char.isalpha()]
    shouting = len(letters) >= 3 and all(char.isupper() for char in letters)
    if not (shouting or agency):
        return None
    if line_word_count(place) > 3:
        return None
    end = match.end()
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return {
        "end": end,
        "place": place,
        "agency": agency,
        "date": match.group("date"),
        "region": match.group("region"),
    }


def closing_strip(text: str) -> str:
    return text.rstrip().rstrip(CLOSING).rstrip(TERMINAL)
