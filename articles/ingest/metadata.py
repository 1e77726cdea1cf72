"""Metadata read off an extracted page: outlet, agency credits, language."""

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

from .kinds import Kind
from .records import Block, OutletSignature
from .rules import source_note

# Where an outlet names itself: its own furniture, never the story (which cites other outlets)
# and never captions (which credit photo agencies).
_SELF_NAMING_KINDS = (Kind.FOOTER, Kind.PROMO, Kind.DATELINE, Kind.BREADCRUMB)


@cache
def _signature_pattern(signature: str) -> re.Pattern[str]:
    escaped = re.escape(signature)
    left = r"(?<![\w])" if signature[:1].isalnum() else ""
    right = r"(?![\w])" if signature[-1:].isalnum() else ""
    return re.compile(left + escaped + right, re.IGNORECASE)


def detect_outlet(
    blocks: Sequence[Block], outlets: Sequence[OutletSignature]
) -> tuple[str | None, str]:
    """The outlet whose signatures appear most often in the page's own furniture."""
    candidates = [o for o in outlets if not o.is_agency] or list(outlets)
    hits: Counter[str] = Counter()
    where: dict[str, str] = {}
    for block in blocks:
        if block.kind not in _SELF_NAMING_KINDS:
            continue
        for outlet in candidates:
            for signature in outlet.signatures:
                if _signature_pattern(signature).search(block.text):
                    hits[outlet.key] += 1
                    where.setdefault(
                        outlet.key, f"“{signature}” in a {block.kind.label.lower()} line"
                    )
    if not hits:
        return None, "no known outlet signature in the page's own lines"
    best = max(hits.items(), key=lambda item: item[1])[0]
    return best, where[best]


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


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "said", "with", "for", "was", "on"},
    "fr": {"le", "la", "les", "et", "des", "est", "dans", "une", "que", "pour", "sur", "du"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "sich", "den", "auf", "ein", "zu"},
    "es": {"el", "los", "las", "y", "del", "que", "en", "una", "por", "con", "para", "se"},
    "it": {"il", "gli", "della", "che", "e", "di", "una", "per", "con", "non", "sono", "nel"},
    "pt": {"os", "as", "que", "não", "uma", "para", "com", "do", "da", "em", "por", "dos"},
}


_LETTER_RE = re.compile(r"[^\W\d_]")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_PERSIAN_RE = re.compile(r"[پچژگ]")


def detect_language(text: str) -> str:
    """An ISO 639-1 code from the script and the commonest function words; "und" if unsure."""
    sample = text[:20000]
    letters = len(_LETTER_RE.findall(sample))
    if not letters:
        return "und"
    arabic = len(_ARABIC_RE.findall(sample))
    cyrillic = len(_CYRILLIC_RE.findall(sample))
    if arabic > letters / 2:
        return "fa" if _PERSIAN_RE.search(sample) else "ar"
    if cyrillic > letters / 2:
        return "ru"
    tokens = Counter(re.findall(r"[a-zàâçéèêëîïôûùüÿñæœäöüß]+", sample.lower()))
    scores = {lang: sum(tokens[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= 3 else "und"
