"""Datelines in any script: where (and through which agency) a story was filed.

`rules.dateline` reads the classic Latin-capitals forms ("LONDON (Reuters) - ", "(GPA) Astana – ");
`find_dateline` tries it first and then the forms it misses:
"ASTANA, January 24. /TASS/. ", "КИЕВ, 3 февраля /ТАСС/. ", "МОСКВА (Рейтер) - ",
"ASTANA. KAZINFORM - ", "أستانا (رويترز) - ", and a titled place and a colon ("Astana: ").
An ordinary sentence is never cut: the place must be in capitals, or come with an agency or a
date, or (for the colon form) be one or two capitalised words that are not a label.
Only the first 200 characters are read, and the pattern is anchored: linear on any input.
"""

import re

from . import phrases, rules
from .text import STOPWORDS

RULE_CLASSIC = "dateline: place in capitals or after an agency tag, then a dash"
RULE_WIRE = "dateline: place (any script) with a date or an agency tag"
RULE_COLON = "dateline: a capitalised place and a colon"
RULE_ALONE = "dateline: place and agency alone on a line above the story"
_PROBE = 200
MAX_STATE_ABBREVIATION = 7  # "Calif.", "Mass.", "N.Y.": part of a US dateline's place
_WORD = r"[^\W\d_][\w'’.-]{0,30}"
_PLACE = rf"{_WORD}(?: {_WORD}){{0,2}}"
_TAG = r"[^\W\d_][\w&.-]{0,20}(?: [^\W\d_][\w&.-]{0,20}){0,2}"
_DATE = (
    r"(?:\d{1,2}\.?\s[^\W\d_]{3,12}\.?|[^\W\d_]{3,12}\.?\s\d{1,2}(?:st|nd|rd|th)?)"
    r"(?:,?\s\d{4}(?:\s?(?:г|р|yıl)\.?)?)?"
)
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:\s?,\s?(?P<region>{_PLACE}))?"
    rf"(?:\s?[,.]\s?(?P<date>{_DATE}))?"
    r"\s?[.,]?\s?"
    rf"(?:/\s?(?P<slash>{_TAG})\s?/\.?(?:\s?(?P<slash_sep>[-–—]{{1,2}}))?"
    rf"|(?:\(\s?(?P<paren>{_TAG})\s?\)|(?P<caps>[A-ZА-ЯІЇЄҐ][A-ZА-ЯІЇЄҐ.&-]{{1,20}}))?"
    r"\s?(?P<sep>[-–—ـ]{1,2}|:))\s"
)


def _cased(word: str) -> bool:
    return word[:1].upper() != word[:1].lower()


def _shouting(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 3 and all(char.isupper() for char in letters)


def _titled(place: str) -> bool:
    words = place.split()
    return all(_cased(w) and w[:1].isupper() for w in words) and (
        words[0].casefold() not in STOPWORDS
    )


_QUOTES_OPENING = "\"'“‘«„‹"


def _colon_place(text: str, place: str, after: int) -> bool:
    """ "Astana: …" opens with a place, "President Tokayev: …" or "Tokayev: “…”" with a
    speaker. The colon form alone is weak evidence, so it needs more: one or two words that
    are not a label nor a person's title, and after the colon a new sentence (a capital in a
    cased script, never a quotation or a word in lower case, which a speaker's words are)."""
    words = place.split()
    if len(words) > 2 or phrases.whole_line("not_a_place").match(place):
        return False
    if phrases.starts_with("person_titles").match(place):
        return False
    rest = text[after : after + 2].lstrip()
    if not rest:
        return True  # the place alone on its line
    first = rest[0]
    if first in _QUOTES_OPENING:
        return False
    return not (_cased(first) and first.islower())


def _extra_dateline(text: str) -> rules.Dateline | None:
    match = _DATELINE_RE.match(text[:_PROBE])
    if not match:
        return None
    place = match.group("place")
    agency = match.group("slash") or match.group("paren") or match.group("caps")
    sep = match.group("sep")
    if match.group("caps") and not _shouting(match.group("caps")):
        return None
    if not sep and not match.group("slash"):
        return None
    cased = _cased(place)
    if cased and not (_shouting(place) or _titled(place)):
        return None
    if not cased and not ((agency and match.group("paren")) or match.group("slash") or sep == ":"):
        return None  # a script without capitals: an agency tag or a colon marks a dateline
    if sep == ":" and not (agency or match.group("date")):
        if not _colon_place(text, place, match.end()):
            return None
    elif not (agency or match.group("date") or _shouting(place)):
        return None
    if agency and agency.casefold() in STOPWORDS:
        return None
    end = match.end()
    while end > 0 and text[end - 1].isspace():
        end -= 1
    rule = RULE_COLON if sep == ":" and not (agency or match.group("date")) else RULE_WIRE
    return {
        "end": end,
        "place": place,
        "agency": agency,
        "date": match.group("date"),
        "rule": rule,
    }


def find_dateline(text: str) -> rules.Dateline | None:
    """The dateline opening a paragraph: {"end", "place", "agency", "date"}, or None."""
    found = rules.dateline(text)
    if found is None:
        return _extra_dateline(text)
    place, dot, tag = found["place"].partition(". ")
    if dot and not found["agency"] and _shouting(tag):  # "ASTANA. KAZINFORM - "
        found = {**found, "place": place, "agency": tag}
    region = found.get("region") or ""
    if region.endswith(".") and len(region) <= MAX_STATE_ABBREVIATION:  # "PARADISE, Calif."
        found = {**found, "place": f"{found['place']}, {region}"}
    return found


def is_dateline_only(text: str) -> rules.Dateline | None:
    """A dateline alone on a line ("ASTANA, Kazakhstan (AP) —"), or None."""
    stripped = text.strip()
    if len(stripped) > 80 or not stripped.endswith(("-", "–", "—", ":", "/.")):
        return None
    found = find_dateline(stripped + " X")
    if found and found["end"] >= len(stripped):
        return found
    return None
