"""Bylines: who wrote the story, read off one short line in any listed language.

`parse_byline(line)` recognises "By Jane Doe and Tom Roe", "By The Associated Press January 22,
2017 8:04 am" (a date and time after the names), "By Jane Doe, Reuters" (an agency after a
comma), "Reported by: Digital Desk", "Автор: Иван Петров", "Yazar: Ayşe Yılmaz" (a label and a
colon, labels being per-language data), and desk bylines such as "Reuters Staff". It returns
the line, the authors named and the rule that decided, or None.
"""

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import phrases
from .furniture import ends_sentence, probe
from .records import OutletSignature
from .text import line_word_count

MAX_BYLINE_WORDS = 16
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CONNECTORS = frozenset("and & и і й ve و et und y e".split())
_NAME_PARTICLES = frozenset("de van von al bin el la le da di du der den ibn abu".split())
_SPLIT_RE = re.compile(r"\s*(?:[,;/]|\s(?:and|&|и|і|ve|و|et|und|y)\s)\s*", re.IGNORECASE)
_GLUED_MONTH_RE = re.compile(
    r"([a-z])((?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s\d)"
)
_WITH_RE = re.compile(r"(?<![^\W_])(?:with|avec|con|mit|com|с|з|ile)(?![^\W_])", re.IGNORECASE)
_LABEL_SEPARATOR_RE = re.compile(r"^\s*[:：]\s*")
_INTRO_RE = re.compile(
    r"^(?:(?:written|posted|published|updated|filed)\s+(?:on\s+)?[^\n]{0,40}?\s+)?by\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Byline:
    text: str
    authors: tuple[str, ...]
    rule: str


def _is_name_token(token: str) -> bool:
    core = token.strip(",.;:()")
    if not core:
        return token in {",", "&"}
    if core.casefold() in _CONNECTORS or core.casefold() in _NAME_PARTICLES:
        return True
    return core[0].isupper() and not any(char.isdigit() for char in core)


def _is_date_token(token: str) -> bool:
    core = token.strip(",.;:|()").casefold()
    return (
        any(char.isdigit() for char in core)
        or core in _MONTHS
        or core in {"am", "pm", "a.m", "p.m", "utc", "gmt", "updated", "published", "|", "-", "—"}
        or core.endswith("day")
    )


def _names_and_tail(rest: str) -> tuple[str, str]:
    """Split "The Associated Press January 22, 2017 8:04 am" into names and the date after."""
    tokens = _GLUED_MONTH_RE.sub(r"\1 \2", rest).split()  # "news deskJanuary 1, 2023"
    for index, token in enumerate(tokens):
        if _is_date_token(token) and index > 0:
            return " ".join(tokens[:index]), " ".join(tokens[index:])
    return rest, ""


def split_authors(names: str, agencies: Collection[str] = ()) -> tuple[str, ...]:
    """The people or desks in "Jane Doe and Tom Roe, Reuters" (the agency after a comma is
    the wire, not an author, when people are named before it)."""
    names = names.replace("(", " ").replace(")", " ")
    parts = [p.strip(" .,;:-–—|[]") for p in _SPLIT_RE.split(names)]
    parts = [p for p in parts if any(char.isalpha() for char in p)]
    folded = {a.casefold() for a in agencies}
    if len(parts) > 1:
        people = [p for p in parts if p.casefold() not in folded and " " in p]
        if people:
            parts = [p for p in parts if p.casefold() not in folded and (" " in p or p in people)]
    return tuple(parts)


def _intro_end(line: str) -> int | None:
    """Where the names start after "By", "Posted on … by", or a listed prefix ("Par")."""
    intro = _INTRO_RE.match(line)
    if intro:
        return intro.end()
    prefix = phrases.starts_with("byline_prefixes").match(line)
    if prefix and line[prefix.end() : prefix.end() + 1] == " ":
        return prefix.end() + 1
    return None


def _by_form(line: str, agencies: Collection[str]) -> Byline | None:
    start = _intro_end(line)
    if start is None:
        return None
    # "Par A (avec B et C)": the names in parentheses are co-authors.
    rest = _WITH_RE.sub(",", line[start:].replace("(", " ").replace(")", " "))
    names, tail = _names_and_tail(rest)
    names = names.strip(" ,|–—-")
    tokens = names.split()
    if not tokens or len(tokens) > 10 or not tokens[0][:1].isupper():
        return None
    # "The Kyiv Independent news desk": a desk's name may have words in lower case.
    desk = phrases.whole_line("staff_words").match(tokens[-1]) is not None
    if not all(_is_name_token(t) or (desk and t.isalpha()) for t in tokens):
        return None
    authors = split_authors(names, agencies)
    if not authors:
        return None
    rule = "byline: “By” and names" + (" with a date and time after them" if tail else "")
    return Byline(line, authors, rule)


def _label_form(line: str, agencies: Collection[str]) -> Byline | None:
    match = phrases.starts_with("byline_labels").match(line)
    if not match:
        return None
    separator = _LABEL_SEPARATOR_RE.match(line[match.end() :])
    if not separator:
        return None
    names = line[match.end() + separator.end() :].strip()
    if not names or line_word_count(names) > 10 or ends_sentence(names.rstrip(".")):
        return None
    names, _ = _names_and_tail(names)
    authors = split_authors(names, agencies)
    if not authors:
        return None
    return Byline(line, authors, "byline: a byline label and a colon, then the names")


# A word of a desk's name: a capital, then letters, digits and the marks names hold ("AP",
# "Al-Jazeera", "O'Neill", "B&H"); never brackets or other punctuation.
_DESK_WORD_RE = re.compile(r"[^\W\d_][\w.'’&-]*")


def _staff_form(line: str) -> Byline | None:
    """ "Reuters Staff", "Digital Desk", "HABER MERKEZİ": capitalised words, the last (or all)
    of them a desk word."""
    tokens = line.split()
    if not 1 <= len(tokens) <= 4 or not all(
        t[:1].isupper() and _DESK_WORD_RE.fullmatch(t) for t in tokens
    ):
        return None
    staff = phrases.whole_line("staff_words")
    folded = phrases.fold_dotted_i(line)
    if not (staff.match(folded) or (len(tokens) > 1 and staff.match(folded.split()[-1]))):
        return None
    return Byline(line, (line,), "byline: a desk or staff byline")


def parse_byline(line: str, agencies: Collection[str] = ()) -> Byline | None:
    """The byline on this line, or None (see the module docstring for the forms)."""
    stripped = probe(line).strip()
    if not stripped or line_word_count(stripped) > MAX_BYLINE_WORDS:
        return None
    if ends_sentence(stripped) and not stripped.endswith((".", ":")):
        return None
    if stripped.endswith(".") and line_word_count(stripped) > 8:
        return None
    return _label_form(stripped, agencies) or _by_form(stripped, agencies) or _staff_form(stripped)


def agency_names(outlets: Sequence[OutletSignature]) -> frozenset[str]:
    """Names of the wire agencies among the outlets: after a byline's comma they name the
    wire, not an author (worked out once for each set of outlets)."""
    return _agency_names(tuple(outlets))


@lru_cache(maxsize=8)
def _agency_names(outlets: tuple[OutletSignature, ...]) -> frozenset[str]:
    return frozenset(
        name for o in outlets if o.is_agency for name in (o.name, *o.signatures) if name
    )


RULE_BARE_LABEL = "byline: a byline label and a name (no colon)"
MAX_BARE_SPACES = 5  # a label of up to three words and a name of up to three
RULE_ROW = "byline: one part of a row of page metadata (with the date)"
_ROW_SEPARATOR_RE = re.compile(r"\s[|•·]\s")
MAX_ROW_PARTS = 8
MAX_ROW_CHARS = 300


def _bare_label_form(line: str) -> Byline | None:
    """ "Author Ben Knight": a listed byline label, a space, and a name alone (two or three
    capitalised words). Weak alone; `boxed_byline` asks for a date beside it."""
    match = phrases.starts_with("byline_labels").match(line)
    if not match or line[match.end() : match.end() + 1] != " ":
        return None
    name = line[match.end() :].strip()
    tokens = name.split()
    if not 2 <= len(tokens) <= 3 or not all(t[:1].isupper() and t.isalpha() for t in tokens):
        return None
    return Byline(line, (name,), RULE_BARE_LABEL)


def _row_byline(line: str, agencies: Collection[str]) -> Byline | None:
    """ "Le Monde | 04.05.2015 à 13h36 | Par Martin Untersinger (avec …)": the part of a row
    of page metadata that is a byline."""
    if len(line) > MAX_ROW_CHARS or not _ROW_SEPARATOR_RE.search(line):
        return None
    for part in _ROW_SEPARATOR_RE.split(line, maxsplit=MAX_ROW_PARTS)[:MAX_ROW_PARTS]:
        found = parse_byline(part, agencies)
        if found is not None:
            return Byline(part.strip(), found.authors, RULE_ROW)
    return None


RULE_GLUED_LABEL = "byline: a byline label glued to the credit before it, then a name"
MAX_GLUED_TRIES = 6


@lru_cache(maxsize=1)
def _glued_labels() -> re.Pattern[str]:
    """Any listed byline label followed by a colon, inside a word or not (case-folded)."""
    labels = sorted(phrases.phrases("byline_labels"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(label) for label in labels) + r")\s*:")


def _glued_label_form(line: str) -> Byline | None:
    """ "Обложка © скриншот из видеоАвтор: Маргарита Ромашек": a label glued to the credit
    before it (a lower-case letter right before its capital), a colon and a name alone at the
    line's end (two or three capitalised words)."""
    if ":" not in line:
        return None
    label = _glued_labels().search(line.casefold())
    if label is None:
        return None  # the cheap test first: most lines hold no label at all
    tries = 0
    for index in range(max(label.start(), 1), len(line)):
        if not (line[index].isupper() and line[index - 1].islower()):
            continue
        tries += 1
        if tries > MAX_GLUED_TRIES:
            return None
        found = _label_form(line[index:], ())
        if found is None or len(found.authors) != 1:
            continue
        tokens = found.authors[0].split()
        if 2 <= len(tokens) <= 3 and all(t[:1].isupper() and t.isalpha() for t in tokens):
            return Byline(line[index:], found.authors, RULE_GLUED_LABEL)
    return None


def boxed_byline(
    lines: Sequence[str], is_date: Callable[[str], bool], agencies: Collection[str] = ()
) -> Byline | None:
    """A byline the page prints only in its metadata box, corroborated by the page's date
    beside it: a bare label and a name on the line above or below a date line ("Date
    19.01.2020" / "Author Ben Knight"), or a byline as one part of a row that holds the date.
    Asked only when no byline stood where bylines stand."""
    for index, text in enumerate(lines):
        stripped = probe(text).strip()
        if (found := _glued_label_form(stripped)) is not None:
            return found
        if 2 <= stripped.count(" ") <= MAX_BARE_SPACES and (
            (found := _bare_label_form(stripped)) is not None
        ):
            neighbours = [*lines[max(index - 1, 0) : index], *lines[index + 1 : index + 2]]
            if any(is_date(n) for n in neighbours):
                return found
        elif "|" in stripped or "•" in stripped:
            found = _row_byline(stripped, agencies)
            parts = _ROW_SEPARATOR_RE.split(stripped, maxsplit=MAX_ROW_PARTS)
            if found is not None and any(is_date(part) for part in parts):
                return found
    return None
