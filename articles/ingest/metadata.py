"""Metadata read off an extracted page: its outlet (or a suggested one), agency credits.

Who published a page is read from where a name stands, not only from whether it appears: a
copyright line, a site-name line or a staff byline is the page naming itself; a dateline tag
("MOSCOW (Reuters) -"), a picture credit ("REUTERS/Jane Doe") or a source note names where the
story or the photo came from. An agency's own page names the agency in the first way and is
credited to it; a paper carrying agency copy names the agency only in the second way and stays
the paper's.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from . import rules
from .kinds import Kind
from .language import detect_language  # noqa: F401 (re-exported: it used to live here)
from .records import Block, OutletSignature
from .rules import source_note
from .text import line_word_count

PHRASES_FILE = Path(__file__).parent / "data" / "outlet_phrases.json"
RUNNING_TEXT_WORDS = 8  # a paragraph this long is story text; the story spans such paragraphs
MAX_NAME_WORDS = 7  # a suggested outlet name longer than this is a sentence, not a name
MAX_NAME_CHARS = 80
SCAN_CHARS = 400  # only this much of a line is searched for a self-reference

# Weights of a mention of an outlet by where it stands.
COPYRIGHT = 3  # "© 2017 Reuters", "Copyright © TASS"
STRONG = 2  # a staff byline, a site-name line with a descriptor, "X and agencies"
WEAK = 1  # any other mention in the page's furniture, a line holding the bare name
# Kinds in which a mention is furniture naming an outlet; elsewhere it is the story's text.
_FURNITURE_KINDS = (Kind.FOOTER, Kind.PROMO, Kind.DATELINE, Kind.BREADCRUMB)
_STORY_KINDS = (Kind.PARAGRAPH, Kind.HEADING, Kind.TITLE, Kind.SECONDARY, Kind.COMMENT)


@cache
def _phrases() -> dict[str, tuple[str, ...]]:
    """Each phrase family, all languages together, longest first (so alternations prefer
    the longest phrase)."""
    with PHRASES_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        family: tuple(
            sorted({p for ps in per_language.values() for p in ps}, key=len, reverse=True)
        )
        for family, per_language in data.items()
        if not family.startswith("_")
    }


def _has_any(text: str, family: str) -> bool:
    """Whether the line holds one of the family's phrases (a substring test, cheap enough
    for every line; the patterns then read the few that do)."""
    folded = text.casefold()
    return any(phrase in folded for phrase in _phrases()[family])


def _alternation(family: str) -> str:
    return "|".join(re.escape(p) for p in _phrases()[family])


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    word = r"(?<![\w]){}(?![\w])"
    return {
        "copyright": re.compile(
            r"©|\(c\)|" + word.format(f"(?:{_alternation('copyright')})"), re.I
        ),
        "rights": re.compile(_alternation("rights_reserved"), re.I),
        "syndication": re.compile(_alternation("syndication"), re.I),
        "with_agencies": re.compile(
            r"^(?P<name>[^\s].{0,60}?)\s+(?:" + _alternation("with_agencies") + r")\s*\.?$", re.I
        ),
        "with_agencies_phrase": re.compile(_alternation("with_agencies"), re.I),
        "staff_phrase": re.compile(_alternation("staff"), re.I),
        "staff": re.compile(
            r"^(?:by\s+)?(?P<name>.{1,60}?)\s+(?:" + _alternation("staff") + r")$", re.I
        ),
        "photo": re.compile(word.format(f"(?:{_alternation('photo')})"), re.I),
        "source": re.compile(r"^\W*(?:" + _alternation("source") + r")\s*[:：]", re.I),
        "year": re.compile(r"(?<!\d)(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)?\d\d)?(?!\d)"),
        "domain": re.compile(
            r"^(?:www\.)?(?P<name>[a-z0-9-]{2,40}(?:\.[a-z0-9-]{2,20}){1,2})/?$", re.I
        ),
    }


@cache
def _signature_pattern(signature: str) -> re.Pattern[str]:
    escaped = re.escape(signature)
    left = r"(?<![\w])" if signature[:1].isalnum() else ""
    right = r"(?![\w])" if signature[-1:].isalnum() else ""
    return re.compile(left + escaped + right, re.IGNORECASE)


def _named(
    text: str, signatures: Sequence[tuple[str, OutletSignature, str]]
) -> list[tuple[OutletSignature, str]]:
    """The (outlet, signature) pairs whose text the line holds, given (case-folded signature,
    outlet, signature) triples: a plain substring test, cheap enough for every line (the
    caller checks word boundaries on the few hits)."""
    folded = text.casefold()
    return [(outlet, signature) for key, outlet, signature in signatures if key in folded]


def _story_span(blocks: Sequence[Block]) -> tuple[int, int]:
    """First and last index of the story's running-text paragraphs ((0, -1) if none)."""
    running = [
        i
        for i, b in enumerate(blocks)
        if b.kind is Kind.PARAGRAPH and line_word_count(b.text) >= RUNNING_TEXT_WORDS
    ]
    return (running[0], running[-1]) if running else (0, -1)


def _is_credit(block: Block) -> bool:
    """A picture credit, caption or source note: it names where a photo or a story came from."""
    text = block.text[:SCAN_CHARS]
    patterns = _patterns()
    return (
        block.kind is Kind.CAPTION
        or rules.is_photo_caption(text)
        or source_note(text) is not None
        or bool(patterns["source"].match(text))
        or (bool(patterns["photo"].search(text)) and line_word_count(text) <= 12)
    )


def _is_copyright(text: str) -> bool:
    marked = "©" in text or "(c)" in text.casefold() or _has_any(text, "copyright")
    if not marked and not _has_any(text, "rights_reserved"):
        return False
    patterns = _patterns()
    return bool(patterns["copyright"].search(text) or patterns["rights"].search(text))


def _syndicated(blocks: Sequence[Block]) -> set[int]:
    """Copyright lines that license wire copy: those with a syndication notice ("may not be
    published, broadcast, rewritten or redistributed") in them or in the two lines after.
    They travel with the story, so they name its source, not the page's outlet."""
    notice = _patterns()["syndication"]
    first, last = _story_span(blocks)
    marked = [
        not (first <= i <= last and b.kind in _STORY_KINDS)
        and _has_any(b.text[:SCAN_CHARS], "syndication")
        and bool(notice.search(b.text[:SCAN_CHARS]))
        for i, b in enumerate(blocks)
    ]
    return {
        i
        for i, block in enumerate(blocks)
        if any(marked[i : i + 3]) and _is_copyright(block.text[:SCAN_CHARS])
    }


@dataclass(frozen=True, slots=True)
class _Mention:
    weight: int
    how: str


def _names(pattern: re.Pattern[str], text: str, signature: str) -> bool:
    """Whether the pattern's "name" group is exactly the signature."""
    match = pattern.match(text)
    return match is not None and bool(
        _signature_pattern(signature).fullmatch(match.group("name").strip())
    )


def _mention(block: Block, signature: str, where: str) -> _Mention | None:
    """How a block names an outlet by one of its signatures, or None if it does not.

    `where` is "before", "in" or "after" the story's running text.
    """
    text = block.text[:SCAN_CHARS]
    found = _signature_pattern(signature).search(text)
    if found is None or _is_credit(block):
        return None
    kind = block.kind.label.lower()
    if _is_copyright(text):
        if where != "after":  # above or within the story: a picture's credit
            return None
        return _Mention(COPYRIGHT, f"“{signature}” in a copyright line ({kind})")
    if block.kind in _STORY_KINDS and line_word_count(text) >= RUNNING_TEXT_WORDS:
        return None  # the story citing an outlet
    patterns = _patterns()
    if _names(patterns["staff"], text, signature):
        return _Mention(STRONG, f"“{signature}” in a staff byline")
    if _names(patterns["with_agencies"], text, signature):
        return _Mention(STRONG, f"“{signature}” credited with agencies")
    site_line = block.kind in _FURNITURE_KINDS or (
        where == "after" and block.kind is Kind.PARAGRAPH
    )
    if site_line and block.kind is not Kind.DATELINE:
        rest = (text[: found.start()] + " " + text[found.end() :]).strip(" .,:;|-–—/()")
        if not rest:
            return _Mention(WEAK, f"“{signature}” alone on a line ({kind})")
        if line_word_count(rest) <= 3 and not rules.ends_sentence(text):
            return _Mention(STRONG, f"“{signature}” in a site-name line ({kind})")
    if block.kind in _FURNITURE_KINDS:
        return _Mention(WEAK, f"“{signature}” in a {kind} line")
    return None


def detect_outlet(
    blocks: Sequence[Block], outlets: Sequence[OutletSignature]
) -> tuple[str | None, str]:
    """The outlet that names itself most in the page's own lines.

    Every mention is weighed by where it stands (a copyright line counts most). A paper is a
    candidate on any mention in its furniture; an agency only when the page names it as its
    own (a copyright line, a staff byline, a site-name line), never from a dateline tag or a
    picture credit alone. On equal weight a paper wins over an agency it carries.
    """
    first, last = _story_span(blocks)
    licences = _syndicated(blocks)
    scores: dict[str, int] = {}
    strongest: dict[str, _Mention] = {}
    signatures = [(s.casefold(), o, s) for o in outlets for s in o.signatures if s]
    for index, block in enumerate(blocks):
        where = "before" if index < first else "after" if index > last else "in"
        if where == "in" and block.kind in _STORY_KINDS:
            continue  # the story's own text cites outlets; it never names the page's
        named = _named(block.text[:SCAN_CHARS], signatures)
        if not named or index in licences:
            continue
        best_of: dict[str, _Mention] = {}
        for outlet, signature in named:
            mention = _mention(block, signature, where)
            best = best_of.get(outlet.key)
            if mention and (best is None or mention.weight > best.weight):
                best_of[outlet.key] = mention
        for outlet in outlets:
            best = best_of.get(outlet.key)
            if best is None:
                continue
            scores[outlet.key] = scores.get(outlet.key, 0) + best.weight
            if outlet.key not in strongest or best.weight > strongest[outlet.key].weight:
                strongest[outlet.key] = best
    eligible = [
        o
        for o in outlets
        if o.key in scores and (not o.is_agency or strongest[o.key].weight >= STRONG)
    ]
    if not eligible:
        if scores:
            return None, "only agencies named as sources (dateline, credit), none as the page's own"
        return None, "no known outlet signature in the page's own lines"
    winner = max(eligible, key=lambda o: (scores[o.key], not o.is_agency))
    total = scores[winner.key]
    return winner.key, f"{strongest[winner.key].how}; weight {total} of self-references"


def _clean_name(text: str) -> str:
    """A name out of what a copyright line leaves: no years, marks, formula or sentence."""
    patterns = _patterns()
    rights = patterns["rights"].search(text)
    if rights:
        text = text[: rights.start()]
    text = patterns["copyright"].sub(" ", text)
    text = patterns["year"].sub(" ", text)
    text = re.split(r"(?<=[a-z\u0400-\u04ff\u0600-\u06ff]{2})\.\s|\s[|•·]\s", text, maxsplit=1)[0]
    text = " ".join(text.split()).strip(" .,;:-–—|/()\"'«»“”")
    if not text or not any(c.isalpha() for c in text):
        return ""
    if len(text) > MAX_NAME_CHARS or len(text.split()) > MAX_NAME_WORDS:
        return ""
    return text


def _copyright_name(text: str) -> str:
    """The owner a copyright line names ("© 2017 TRT World" → "TRT World"), or ""."""
    found = _patterns()["copyright"].search(text)
    if found is None:
        found = _patterns()["rights"].search(text)
        if found is None:
            return ""
    return _clean_name(text[found.end() :]) or _clean_name(text[: found.start()])


def _known_names(outlets: Sequence[OutletSignature], credits: Sequence[str]) -> set[str]:
    names = {c.casefold() for c in credits}
    for outlet in outlets:
        names.add(outlet.name.casefold())
        names.update(s.casefold().strip("()") for s in outlet.signatures)
    return names


def suggest_outlet(
    blocks: Sequence[Block],
    *,
    outlets: Sequence[OutletSignature] = (),
    credits: Sequence[str] = (),
    site_name: str = "",
) -> tuple[str, str]:
    """A name the page gives itself, for a curator to confirm when no known outlet matched:
    the HTML site name if given, else the last copyright line's owner, else a line crediting
    "<name> and agencies", else a bare web address in the footer. Never a picture credit's
    agency, a source the story credits, or a known outlet (it would have matched)."""
    known = _known_names(outlets, credits)

    def fits(name: str) -> bool:
        return (
            bool(name) and name.casefold() not in known and name.casefold().strip("()") not in known
        )

    site_name = " ".join(site_name.split())
    if fits(site_name) and len(site_name) <= MAX_NAME_CHARS:
        return site_name, "html: og:site_name"
    first, last = _story_span(blocks)
    licences = _syndicated(blocks)
    found: dict[str, tuple[str, str]] = {}
    patterns = _patterns()
    for index in range(len(blocks) - 1, -1, -1):
        if index in licences or (first <= index <= last):
            continue  # the story's text and photo credits within it name sources
        block = blocks[index]
        text = block.text[:SCAN_CHARS]
        candidates: list[tuple[str, str, str]] = []
        if "copyright" not in found and index > last and _is_copyright(text):
            rule = f"suggestion: the owner in the copyright line “{text}”"
            candidates.append(("copyright", _copyright_name(text), rule))
        if (
            "agencies" not in found
            and _has_any(text, "with_agencies")
            and line_word_count(text) <= MAX_NAME_WORDS + 3
        ):
            match = patterns["with_agencies"].match(text)
            if match:
                rule = f"suggestion: credited with agencies in “{text}”"
                candidates.append(("agencies", _clean_name(match.group("name")), rule))
        if "domain" not in found and block.kind is Kind.FOOTER:
            match = patterns["domain"].match(text.strip())
            if match:
                rule = "suggestion: the web address in the page's footer"
                candidates.append(("domain", match.group("name").lower(), rule))
        for family, name, rule in candidates:
            if fits(name) and not _is_credit(block):
                found[family] = (name, rule)
    for family in ("copyright", "agencies", "domain"):
        if family in found:
            return found[family]
    return "", "no self-reference (copyright line, site name) found"


def detect_credits(
    blocks: Sequence[Block], outlets: Sequence[OutletSignature], dateline_agency: str | None
) -> list[str]:
    """Agencies the story credits: "(source: X)", "X reported", "told X", "according to X"."""
    patterns = _credit_patterns(tuple((o.name, tuple(o.signatures)) for o in outlets))
    found: list[tuple[int, str]] = []
    if dateline_agency:
        found.append((-1, dateline_agency))
    for block in blocks:
        if block.kind is Kind.FOOTER:
            note = source_note(block.text)
            if note:
                found.append((block.start, note))
        if block.kind not in (Kind.PARAGRAPH, Kind.HEADING):
            continue
        for pattern in patterns:
            for match in pattern.finditer(block.text):
                found.append((block.start + match.start(), match.group("name")))
    credits: list[str] = []
    for _, name in sorted(found, key=lambda item: item[0]):
        if name.casefold() not in {c.casefold() for c in credits}:
            credits.append(name)
    return credits


@lru_cache(maxsize=8)
def _credit_patterns(outlets: tuple[tuple[str, tuple[str, ...]], ...]) -> list[re.Pattern[str]]:
    """The patterns that find a credit to one of the outlets, given as (name, signatures)
    (made once for each set of outlets)."""
    names: list[str] = []
    for name, signatures in outlets:
        names.append(name)
        names.extend(
            sig for sig in signatures if (sig[:1].isalpha() and " " not in sig) or sig.istitle()
        )
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True) if n)
    if not alternatives:
        return []
    agency = rf"(?P<name>{alternatives})"
    return [
        re.compile(
            rf"\b{agency},?\s+(?:news\s+agency\s+)?(?:reported|quoted|cited|said\s+in\s+a\s+report)\b"
        ),
        re.compile(
            rf"\b(?i:told|according\s+to|cited\s+by|quoted\s+by|reported\s+by)\s+(?:the\s+)?{agency}\b"
        ),
    ]
