"""Which language a text is in, which script it is written in, and which way it runs.

The script comes first (Arabic, Hebrew, Cyrillic, Greek, Han, Devanagari, Latin, ...): most
scripts name one language outright. Where a script is shared (Latin, Cyrillic, Arabic), the
languages are told apart as jusText does, by the share of their function words, with a few
marker letters for short texts (і ї є ґ are Ukrainian, ы э Russian, پ چ گ Persian, ے ٹ Urdu).
The scripts, languages and marker letters are data (data/languages.json); the function-word
lists are jusText's stoplists, loaded once per language when first asked for.

Everything is bounded: an article is judged on its first `ARTICLE_SAMPLE` characters, a block
on its first `BLOCK_SAMPLE`, so detection stays linear and cheap on any input.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .records import Block

DATA_FILE = Path(__file__).parent / "data" / "languages.json"
UNDETERMINED = "und"
ARTICLE_SAMPLE = 2500  # characters of an article's text judged (~400 words: plenty)
BLOCK_SAMPLE = 1000  # characters of a block judged
BLOCK_WORDS_SAMPLE = 400  # characters of a block in the article's script judged
MAX_TOKENS = 500
MIN_SCORE = 0.08  # evidence (function-word share plus marker letters) needed to name a language
MIN_RATIO = 1.4  # the best language must beat the runner-up by this factor
MARKER_WEIGHT = 0.5  # marker letters per word count half as much as function words per word
OWN_BLOCK_WORDS = 6  # a block in the article's script needs this many words to differ from it
OWN_BLOCK_SCORE = 0.2
ARTICLE_DENSITY = 0.3  # a block this dense in the article language's function words is in it
OWN_BLOCK_WORDS_OWN = 3  # ...and this many words of its own language's list, not the article's
CLEAR_WORDS = 12  # a block in another script this long is judged on its scores alone
KANA_SHARE = 0.1  # Han text with this share of kana is Japanese
# Words are what lies between spaces, with this punctuation stripped from their ends
# (combining marks stay in the word, so Devanagari and vowelled Arabic words are whole).
_PUNCT = "\"'`.,;:!?()[]{}<>«»‹›“”„‘’‚—–-…/\\|*#@%&+=_~^•·،؛؟۔"
_PUNCT_SET = frozenset(_PUNCT)
_ASCII_RE = re.compile(r"[\x00-\x7f]+")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


@dataclass(frozen=True, slots=True)
class Language:
    """A verdict: the ISO 639-1 code (or "und"), the script, the direction and why."""

    code: str
    script: str
    direction: str
    rule: str


@dataclass(frozen=True, slots=True)
class _Script:
    name: str
    direction: str
    languages: tuple[str, ...]


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
        return data


@cache
def scripts() -> dict[str, _Script]:
    """Every script the engine knows, by name."""
    return {
        name: _Script(name, entry["direction"], tuple(entry["languages"]))
        for name, entry in _data()["scripts"].items()
    }


@cache
def languages() -> dict[str, dict[str, Any]]:
    """Every language the engine can name: code -> {name, stoplist, markers, script}."""
    out: dict[str, dict[str, Any]] = {}
    for script in scripts().values():
        for code in script.languages:
            out[code] = dict(_data()["languages"][code], script=script.name)
    return out


@cache
def _script_pattern() -> re.Pattern[str]:
    """One pattern matching runs of letters of any known script, a named group per script."""
    groups = [f"(?P<{name}>[{entry['chars']}]+)" for name, entry in _data()["scripts"].items()]
    return re.compile("|".join(groups))


def _ascii_letters(text: str) -> int:
    """How many ASCII letters the text holds (bytes-level, so cheap on any length)."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))


def script_counts(text: str) -> Counter[str]:
    """How many letters of each known script the text holds (runs of letters, one pass)."""
    counts: Counter[str] = Counter()
    latin = _ascii_letters(text)
    if latin:
        counts["Latin"] = latin
    if text.isascii():
        return counts
    # Only what is not ASCII goes through the many-script pattern; with the spaces gone, a
    # line of Arabic or Cyrillic is a few long runs.
    for match in _script_pattern().finditer(_ASCII_RE.sub("", text)):
        counts[match.lastgroup or ""] += match.end() - match.start()
    return counts


def dominant_script(text: str) -> tuple[str | None, int]:
    """The script most of the text's letters are written in (None if none), and the number
    of letters counted."""
    letters = _ascii_letters(text)
    if text.isascii():  # the common case, in one pass
        return ("Latin", letters) if letters else (None, 0)
    rest = len(_ASCII_RE.sub("", text))
    if letters > rest:  # more ASCII letters than other characters: Latin, whatever they are
        return "Latin", letters + rest
    counts = script_counts(text)
    if not counts:
        return None, 0
    name, count = max(counts.items(), key=lambda item: item[1])
    if name == "Han" and counts["Kana"] >= KANA_SHARE * count:
        name = "Kana"  # Japanese mixes kanji and kana
    return name, sum(counts.values())


@cache
def stoplist(code: str) -> frozenset[str]:
    """The function words of a language (jusText's stoplist, lower case); empty if none."""
    name = languages().get(code, {}).get("stoplist")
    if not name:
        return frozenset()
    try:
        import justext  # loaded only when a language is first judged

        return frozenset(word.lower() for word in justext.get_stoplist(name))
    except (ImportError, ValueError, OSError):
        return frozenset()


@cache
def _word_index(script: str) -> dict[str, tuple[str, ...]]:
    """For a script shared by several languages: each function word -> the languages whose
    lists hold it (a word in several lists counts for each in part)."""
    owners: dict[str, list[str]] = {}
    for code in scripts()[script].languages:
        for word in stoplist(code):
            owners.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in owners.items()}


@cache
def _shares(script: str) -> dict[str, tuple[tuple[str, float], ...]]:
    """Each function word of the script -> (language, the part of the word it gets)."""
    return {
        word: tuple((code, 1 / len(codes)) for code in codes)
        for word, codes in _word_index(script).items()
    }


@cache
def _marker_index(script: str) -> dict[str, tuple[str, ...]]:
    owners: dict[str, list[str]] = {}
    for code in scripts()[script].languages:
        for letter in languages()[code]["markers"]:
            owners.setdefault(letter, []).append(code)
    return {letter: tuple(codes) for letter, codes in owners.items()}


@cache
def _marker_pattern(script: str) -> re.Pattern[str] | None:
    letters = "".join(_marker_index(script))
    return re.compile(f"[{re.escape(letters)}]") if letters else None


def _tokens(text: str, limit_chars: int) -> list[str]:
    """The words of the text's first `limit_chars` characters, lower case, at most
    MAX_TOKENS of them."""
    punct = _PUNCT_SET
    return [
        word.strip(_PUNCT) if word[0] in punct or word[-1] in punct else word
        for word in text[:limit_chars].lower().split()[:MAX_TOKENS]
    ]


def language_scores(
    text: str, script: str, *, limit_chars: int = ARTICLE_SAMPLE
) -> dict[str, float]:
    """Evidence for each language of the script: the share of words that are its function
    words (shared words split between the lists holding them), plus half the marker letters
    per word (capped)."""
    candidates = scripts()[script].languages
    tokens = _tokens(text, limit_chars)
    if not tokens:
        return dict.fromkeys(candidates, 0.0)
    index = _shares(script)
    words = dict.fromkeys(candidates, 0.0)
    for word, times in Counter(tokens).items():
        owners = index.get(word)
        if owners:
            for code, share in owners:
                words[code] += times * share
    marks: defaultdict[str, float] = defaultdict(float)
    pattern = _marker_pattern(script)
    if pattern is not None:
        markers = _marker_index(script)
        for letter, found in Counter(pattern.findall(text[:limit_chars].lower())).items():
            holders = markers[letter]
            for code in holders:
                marks[code] += found / len(holders)
    n = len(tokens)
    return {
        code: words[code] / n + MARKER_WEIGHT * min(marks[code] / n, 1.0) for code in candidates
    }


def _choose(scores: dict[str, float], script: str) -> tuple[str, str]:
    """The best-scoring language when the evidence is clear, else "und"; and the rule."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])  # stable: data order on ties
    best, best_score = ranked[0]
    runner_score = ranked[1][1] if len(ranked) > 1 else 0.0
    shown = ", ".join(f"{code} {score:.2f}" for code, score in ranked[:3])
    if best_score < MIN_SCORE:
        return UNDETERMINED, f"{script} script; too few function words or marker letters ({shown})"
    if runner_score and best_score < MIN_RATIO * runner_score:
        return UNDETERMINED, f"{script} script; no clear winner ({shown})"
    return best, f"{script} script; function words and marker letters: {shown}"


def detect(text: str, *, limit_chars: int = ARTICLE_SAMPLE) -> Language:
    """The language of a text: its script first, then function words within the script."""
    sample = text[:limit_chars]
    script, _ = dominant_script(sample)
    if script is None:
        return Language(UNDETERMINED, "", "ltr", "no letters to judge")
    entry = scripts()[script]
    if len(entry.languages) == 1:
        code = entry.languages[0]
        rule = f"{script} script: {languages()[code]['name']}"
        return Language(code, script, entry.direction, rule)
    code, rule = _choose(language_scores(sample, script, limit_chars=limit_chars), script)
    return Language(code, script, entry.direction, rule)


def detect_language(text: str) -> str:
    """An ISO 639-1 code for the text, or "und" when unsure."""
    return detect(text).code


def direction(code: str) -> str:
    """ "rtl" for languages written right to left (Arabic, Persian, Urdu, Hebrew...)."""
    script = languages().get(code, {}).get("script")
    return scripts()[script].direction if script else "ltr"


def stopword_density(text: str, lang: str) -> float:
    """The share of the text's words that are function words of `lang` (jusText's measure:
    story text is dense in them, furniture is not). A language without a list ("und", "zh")
    is replaced by the text's own detected language; 0.0 when there is still no list."""
    words = _tokens(text, ARTICLE_SAMPLE)
    if not words:
        return 0.0
    stop = stoplist(lang)
    if not stop:
        stop = stoplist(detect(text).code)
        if not stop:
            return 0.0
    return sum(1 for word in words if word in stop) / len(words)


def block_language(text: str, article: Language) -> tuple[str, str]:
    """(language, direction) of one block where it differs from its article, else ("", "").

    A block in another script than the article's is judged on its own ("und" if too short
    to tell). A block in the article's script keeps the article's language unless it is long
    enough and clearly in another language of that script (an English quote on a French page).
    """
    sample = text[:BLOCK_SAMPLE]
    script, letters = dominant_script(sample)
    if script is None or letters < 2:
        return "", ""
    if script != article.script:
        counts = script_counts(sample)
        if 2 * counts.get(article.script, 0) >= counts.get(script, 0):
            return "", ""  # mostly the article's script still (a label with a foreign date)
        own = detect(sample, limit_chars=BLOCK_SAMPLE)
        code = own.code
        if code != UNDETERMINED and not _clear(sample, script, code):
            code = UNDETERMINED
        return (
            code if code != article.code else "",
            own.direction if own.direction != article.direction else "",
        )
    if len(scripts()[script].languages) == 1:
        return "", ""
    raw = sample[:BLOCK_WORDS_SAMPLE].lower().split()
    if len(raw) < OWN_BLOCK_WORDS:
        return "", ""
    own_words = stoplist(article.code)
    if sum(map(own_words.__contains__, raw)) >= ARTICLE_DENSITY * len(raw):
        return "", ""  # plainly the article's language: most blocks stop here
    tokens = _tokens(sample, BLOCK_WORDS_SAMPLE)
    ours = sum(map(own_words.__contains__, tokens))
    if ours >= ARTICLE_DENSITY * len(tokens):
        return "", ""
    foreign = sum(map(_word_index(script).__contains__, tokens)) - ours
    if foreign < OWN_BLOCK_WORDS_OWN:
        return "", ""
    scores = language_scores(sample, script, limit_chars=BLOCK_SAMPLE)
    best = max(scores, key=lambda code: scores[code])
    if (
        best != article.code
        and scores[best] >= OWN_BLOCK_SCORE
        and scores[best] >= 2 * scores.get(article.code, 0.0)
        and _own_words(sample, script, best, article.code) >= OWN_BLOCK_WORDS_OWN
    ):
        return best, ""
    return "", ""


def _clear(text: str, script: str, code: str) -> bool:
    """Whether a short text of a shared script shows evidence only `code` has: two words in
    no other language's list, or a marker letter no other language uses. A long text is
    judged on its scores alone."""
    if len(scripts()[script].languages) == 1:
        return True
    tokens = set(_tokens(text, BLOCK_SAMPLE))
    if len(tokens) >= CLEAR_WORDS:
        return True
    index = _word_index(script)
    if sum(1 for token in tokens if index.get(token) == (code,)) >= 2:
        return True
    markers = _marker_index(script)
    return any(markers.get(letter) == (code,) for letter in text.lower())


def _own_words(text: str, script: str, code: str, other: str) -> int:
    """How many different words of the text are function words of `code` but not of
    `other`: a name that happens to be in one list ("Tom" is in the Turkish one), however
    often repeated, is not enough to switch."""
    index = _word_index(script)
    return sum(
        1
        for token in set(_tokens(text, BLOCK_SAMPLE))
        if code in index.get(token, ()) and other not in index.get(token, ())
    )


def with_block_languages(blocks: Sequence[Block], article: Language) -> list[Block]:
    """The blocks, each marked with its language and direction where they differ from the
    article's (most blocks are returned as they are)."""
    out: list[Block] = []
    for block in blocks:
        code, way = block_language(block.text, article)
        out.append(replace(block, language=code, direction=way) if code or way else block)
    return out
