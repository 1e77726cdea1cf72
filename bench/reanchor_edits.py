"""python -m bench.reanchor_edits: the edits that used to land annotations on the wrong words.

A pure, seeded edit generator (`generate`) and a bench over it. Each edit kind changes a body
while tracking where every original character ends up (bench.reanchor.Doc), and names the spans
worth annotating for that kind (the paragraph whose copy is elsewhere, the repeated phrase whose
neighbours changed, ...), so every annotation's true place in the edited body is known:

- insertions: new sentences and paragraphs;
- typo fixes: one letter changed in several words;
- sentences deleted, sentences reordered;
- duplicated paragraph: a paragraph copied far away, then typos fixed only in the original;
- paraphrase: a few words of some sentences replaced by synonyms;
- renamed places: every occurrence of a proper name spelled another way;
- repeated phrases: a phrase that occurs more than once, with the words right next to one of
  its occurrences changed;
- quote-only: no edit; a quote alone (no context, no position) of a repeated or a unique phrase.

Bodies: the seeds and the bench fixtures, and REAL_BODIES: gold-set articles of other events
(tests/data/ingest/, their labelled paragraphs). Every outcome is classified as anchored (survived
exact), moved, fuzzy, orphaned, ambiguous or misplaced (attached to other words than the true
place; a quote-only quote of a repeated phrase attached anywhere counts as misplaced, since one
occurrence was picked silently). Attached spans that start or end inside a word where the quote
did not are counted as mid-word. Measures, never asserts. Results go to
bench/results/reanchor_edits.json and bench/results/reanchor_edits.md.
"""

import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotations.anchoring import (
    Anchor,
    AnchorStatus,
    Selector,
    locate,
    reanchor_many,
    selector_for,
)
from annotations.anchoring_text import mid_word, whole_word
from articles.ingest import BODY_SEPARATOR, decode, extract, sentence_spans
from bench.reanchor import (
    NEW_PARAGRAPHS,
    NEW_SENTENCES,
    PARAGRAPH_RE,
    Doc,
    Truth,
    classify,
    random_spans,
    truth,
    typo_fixes,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED = 20170124
VARIANTS = 4
RANDOM_ANNOTATIONS = 40
OUTCOMES = ("anchored", "moved", "fuzzy", "orphaned", "ambiguous", "misplaced")
REAL_BODIES = (
    "dev/en-ars-minecraft-exploit",
    "dev/en-aphosted-orlando-gunman-father",
    "dev/en-bbc-nepal-plane-crash",
    "dev/en-cnn-thanksgiving-storm",
    "dev/en-dw-berlin-colonial-streets",
    "dev/en-fox13now-new-laws-2014",
    "dev/en-kwqc-election-latest",
    "test/en-time-hansen-geoengineering",
    "test/en-upi-christchurch-quake",
    "test/en-voanews-california-fires",
    "dev/ar-cnnarabic-damascus-depots",
    "dev/de-futurezone-lyft-waymo",
    "dev/fr-lemonde-intelligence-law",
    "dev/ja-afpbb-nigeria-bombing",
)
SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "also": "additionally",
    "about": "around",
    "after": "following",
    "but": "however",
    "big": "large",
    "many": "numerous",
    "people": "residents",
    "government": "administration",
    "officials": "authorities",
    "country": "nation",
    "help": "assist",
    "start": "begin",
    "end": "finish",
    "show": "reveal",
    "new": "fresh",
    "more": "further",
    "week": "seven days",
}
NEIGHBOURS = ("then", "still", "now", "also", "again", "soon")
WORD_RE = re.compile(r"\w+")
NAME_RE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{4,}\b")
PHRASE_RE = re.compile(r"\b[a-z]+ [a-z]+(?: [a-z]+)?\b")


@dataclass(frozen=True)
class Edited:
    """A body before and after one edit, the ground truth, and the spans worth annotating."""

    kind: str
    old: str
    new: str
    where: list[int]  # old offset -> new offset, -1 when gone
    origin: list[int]  # new offset -> old offset, -1 when new
    targets: list[tuple[int, int]]  # old spans annotated on purpose for this kind
    quote_only: bool = False

    def truth(self, start: int, end: int) -> Truth:
        """Where old[start:end] truly is in the new body."""
        return truth(start, end, self.where, self.origin, self.new, self.old[start:end])


# --- Edits (each returns the old spans it is about) ------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PARAGRAPH_RE.finditer(text)]


def insertions(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Two new sentences and a new paragraph at random places."""
    for sentence in rng.sample(NEW_SENTENCES, 2):
        start, _ = rng.choice(sentence_spans(doc.text))
        doc.splice(start, start, sentence + " ")
    start, _ = rng.choice(_paragraphs(doc.text))
    doc.splice(start, start, rng.choice(NEW_PARAGRAPHS) + BODY_SEPARATOR)
    return []


def typos(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Eight one-letter typo fixes."""
    typo_fixes(doc, rng, 8)
    return []


def sentences_deleted(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Two sentences deleted (with the space after them)."""
    for _ in range(2):
        spans = sentence_spans(doc.text)
        if len(spans) < 4:
            break
        start, end = rng.choice(spans)
        while end < len(doc.chars) and doc.chars[end] == " ":
            end += 1
        doc.splice(start, end)
    return []


def sentences_reordered(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Two sentences of one paragraph swapped."""
    text = doc.text
    spans = sentence_spans(text)
    pairs = [(a, b) for a, b in itertools.pairwise(spans) if "\n" not in text[a[1] : b[0]]]
    if pairs:
        (a0, a1), (b0, b1) = rng.choice(pairs)
        doc.rearrange([(0, a0), (b0, b1), (a1, b0), (a0, a1), (b1, len(text))])
    return []


def duplicated_paragraph(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """A paragraph copied to the other end of the body, then typos fixed in the original only."""
    spans = [s for s in _paragraphs(doc.text) if s[1] - s[0] >= 80]
    if len(spans) < 2:
        return []
    start, end = rng.choice(spans)
    copy = doc.text[start:end]
    middle = len(doc.chars) // 2
    targets = [(s, e) for s, e in random_spans(copy, rng, 10) if e - s >= 1 and start + e <= end]
    targets = [(start + s, start + e) for s, e in targets]
    # Typos in the original: a letter changed inside three of its longer words.
    words = list(re.finditer(r"[A-Za-z]{5,}", copy))
    for word in rng.sample(words, min(3, len(words))):
        at = start + rng.randrange(word.start() + 1, word.end() - 1)
        near = {doc.chars[at - 1], doc.chars[at], doc.chars[at + 1]}
        doc.splice(at, at + 1, rng.choice([c for c in "aeinorst" if c not in near]))
    if start < middle:
        doc.splice(len(doc.chars), len(doc.chars), BODY_SEPARATOR + copy)
    else:
        doc.splice(0, 0, copy + BODY_SEPARATOR)
    return targets


def paraphrase(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """In three sentences, every word with a synonym in SYNONYMS replaced by it."""
    spans = sentence_spans(doc.text)
    chosen = sorted(rng.sample(spans, min(3, len(spans))), reverse=True)
    targets = []
    for start, end in chosen:
        targets.append((start, end))
        sentence = doc.text[start:end]
        for word in reversed(list(WORD_RE.finditer(sentence))):
            synonym = SYNONYMS.get(word.group())
            if synonym is not None:
                doc.splice(start + word.start(), start + word.end(), synonym)
    return targets


def renamed_places(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Every occurrence of one proper name (not starting a sentence) spelled another way."""
    text = doc.text
    names = sorted({m.group() for m in NAME_RE.finditer(text)})
    if not names:
        return []
    name = rng.choice(names)
    renamed = name[:-2] + ("ia" if name[-2:] != "ia" else "ya")
    found = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
    for start, end in reversed(found):
        doc.splice(start, end, renamed)
    return [(max(0, s - 20), min(len(text), e + 20)) for s, e in found]


def repeated_phrases(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """Phrases that occur more than once, with the words right next to one occurrence changed."""
    text = doc.text
    seen: dict[str, list[tuple[int, int]]] = {}
    for match in PHRASE_RE.finditer(text):
        seen.setdefault(match.group(), []).append(match.span())
    repeated = sorted(phrase for phrase, spans in seen.items() if len(spans) > 1)
    targets: list[tuple[int, int]] = []
    for phrase in rng.sample(repeated, min(6, len(repeated))):
        start, end = rng.choice(seen[phrase])
        if any(s - 30 < end and start < e + 30 for s, e in targets):
            continue
        targets.append((start, end))
    edits: list[tuple[int, int, str]] = []
    for start, end in targets:
        before = list(WORD_RE.finditer(text, max(0, start - 30), start))
        after = WORD_RE.search(text, end, min(len(text), end + 30))
        if after is not None:
            edits.append((*after.span(), rng.choice(NEIGHBOURS)))
        if before:
            edits.append((*before[-1].span(), rng.choice(NEIGHBOURS)))
    for start, end, word in sorted(set(edits), reverse=True):
        doc.splice(start, end, word)
    return targets


def quote_only(doc: Doc, rng: random.Random) -> list[tuple[int, int]]:
    """No edit: repeated and unique phrases, to be looked up by their quote alone."""
    text = doc.text
    seen: dict[str, list[tuple[int, int]]] = {}
    for match in PHRASE_RE.finditer(text):
        seen.setdefault(match.group(), []).append(match.span())
    phrases = sorted(seen)
    return [rng.choice(seen[p]) for p in rng.sample(phrases, min(12, len(phrases)))]


EDITS: dict[str, Callable[[Doc, random.Random], list[tuple[int, int]]]] = {
    "insertions": insertions,
    "typo fixes": typos,
    "sentences deleted": sentences_deleted,
    "sentences reordered": sentences_reordered,
    "duplicated paragraph, typos fixed in the original": duplicated_paragraph,
    "paraphrase": paraphrase,
    "renamed places": renamed_places,
    "repeated phrases, neighbours changed": repeated_phrases,
    "quote-only": quote_only,
}


def generate(body: str, kind: str, rng: random.Random, *, after: Sequence[str] = ()) -> Edited:
    """Apply the edits `after` (their spans are not targets), then the edit `kind`, to body
    with rng; the result keeps the ground truth, and the targets of `kind` that no earlier
    edit touched."""
    doc = Doc.of(body)
    for other in after:
        EDITS[other](doc, rng)
    origin = list(doc.origin)
    targets = []
    for start, end in EDITS[kind](doc, rng):
        first, last = origin[start], origin[end - 1]
        if first >= 0 and last - first == end - 1 - start:
            targets.append((first, last + 1))
    where = [-1] * len(body)
    for position, original in enumerate(doc.origin):
        if original >= 0:
            where[original] = position
    return Edited(kind, body, doc.text, where, doc.origin, targets, kind == "quote-only")


# --- Classification --------------------------------------------------------------------------


def whole_words(text: str, phrase: str) -> list[int]:
    """Starts of the occurrences of phrase in text that cut no word."""
    found, at = [], text.find(phrase)
    while at != -1:
        if whole_word(text, at, at + len(phrase)):
            found.append(at)
        at = text.find(phrase, at + 1)
    return found


def selectors_for(edited: Edited, rng: random.Random, extra: int) -> list[Selector]:
    """The targets and `extra` random spans, as selectors (quote alone for quote-only)."""
    spans = list(edited.targets)
    if not edited.quote_only:
        spans += random_spans(edited.old, rng, extra)
    made = [selector_for(edited.old, s, e) for s, e in spans]
    if edited.quote_only:
        return [Selector(s.exact, "", "", -1, -1) for s in made]
    return made


def outcome(edited: Edited, selector: Selector, anchor: Anchor) -> str:
    """anchored, moved, fuzzy, orphaned, ambiguous or misplaced."""
    if anchor.status is AnchorStatus.AMBIGUOUS:
        return "ambiguous"
    if edited.quote_only:
        if not anchor.attached:
            return "orphaned"
        unique = len(whole_words(edited.old, selector.exact)) == 1
        right = unique and edited.old[anchor.start : anchor.end] == selector.exact
        return str(anchor.status) if right else "misplaced"
    return classify(anchor, edited.truth(selector.start, selector.end))


def cut_word(edited: Edited, selector: Selector, anchor: Anchor) -> bool:
    """Whether an attached span starts or ends inside a word where the quote did not."""
    if not anchor.attached or anchor.start is None or anchor.end is None:
        return False
    old, new = edited.old, edited.new
    source = old if edited.quote_only else new
    old_start = selector.start if selector.start >= 0 else old.find(selector.exact)
    old_end = old_start + len(selector.exact)
    return (mid_word(source, anchor.start) and not mid_word(old, old_start)) or (
        mid_word(source, anchor.end) and not mid_word(old, old_end)
    )


def run_case(edited: Edited, selectors: list[Selector]) -> list[Anchor]:
    """Re-anchor (or, for quote-only, locate) every selector."""
    if edited.quote_only:
        return [locate(edited.old, selector) for selector in selectors]
    return reanchor_many(edited.old, edited.new, selectors)


def bodies() -> list[tuple[str, str]]:
    """(name, body) of the seeds, the bench fixtures and the REAL_BODIES."""
    found = []
    files = [
        *sorted((ROOT / "seeds").glob("*.txt")),
        *sorted((ROOT / "tests" / "ingest" / "fixtures").glob("*.txt")),
    ]
    for path in files:
        found.append((path.stem, extract(decode(path.read_bytes(), max_bytes=10**8).text).body))
    for key in REAL_BODIES:
        label = json.loads((ROOT / "tests" / "data" / "ingest" / f"{key}.json").read_text())
        found.append((key, BODY_SEPARATOR.join(label["paragraphs"])))
    return found


@dataclass
class Tally:
    """Outcomes (and mid-word spans) per edit kind, on the gold-set articles, and examples."""

    counts: dict[str, Counter[str]]
    real: Counter[str]
    examples: list[dict[str, object]]

    def total(self) -> Counter[str]:
        """Outcomes and mid-word spans over every edit kind."""
        return sum(self.counts.values(), Counter())


def measure(
    named: Sequence[tuple[str, str]],
    kinds: Sequence[str],
    rng: random.Random,
    *,
    variants: int = VARIANTS,
    extra: int = RANDOM_ANNOTATIONS,
) -> Tally:
    """Every edit kind over every (name, body), `variants` times, with `extra` random spans."""
    tally = Tally({kind: Counter() for kind in kinds}, Counter(), [])
    for kind in kinds:
        for name, body in named:
            for _ in range(variants):
                edited = generate(body, kind, rng)
                selectors = selectors_for(edited, rng, extra)
                for selector, anchor in zip(selectors, run_case(edited, selectors), strict=True):
                    result = outcome(edited, selector, anchor)
                    tally.counts[kind][result] += 1
                    tally.counts[kind]["mid-word"] += cut_word(edited, selector, anchor)
                    if "/" in name:
                        tally.real[result] += 1
                    if result == "misplaced" and len(tally.examples) < 20:
                        tally.examples.append(
                            {
                                "kind": kind,
                                "body": name,
                                "exact": selector.exact,
                                "attached": anchor.exact,
                                "status": str(anchor.status),
                            }
                        )
    return tally


def main() -> None:
    """Run every edit kind over every body, print and write the tables."""
    named = bodies()
    tally = measure(named, list(EDITS), random.Random(SEED))
    counts, real, examples = tally.counts, tally.real, tally.examples
    rows = []
    for kind in [*EDITS, "total"]:
        count = sum(counts.values(), Counter()) if kind == "total" else counts[kind]
        rows.append(
            {
                "edit": kind,
                "annotations": sum(count[o] for o in OUTCOMES),
                **{o: count[o] for o in OUTCOMES},
                "mid_word": count["mid-word"],
            }
        )
    result = {
        "seed": SEED,
        "variants": VARIANTS,
        "bodies": [name for name, _ in named],
        "rows": rows,
        "real_bodies": dict(real),
        "misplaced_examples": examples,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reanchor_edits.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    lines = [
        "| edit | annotations | survived exact | moved | fuzzy | orphaned | ambiguous "
        "| MISPLACED | mid-word |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = f"**{row['edit']}**" if row["edit"] == "total" else row["edit"]
        lines.append(
            f"| {name} | {row['annotations']} | "
            + " | ".join(str(row[o]) for o in OUTCOMES)
            + f" | {row['mid_word']} |"
        )
    reals = sum(1 for name, _ in named if "/" in name)
    lines += [
        "",
        f"{len(named)} bodies ({len(named) - reals} seeds and bench fixtures, {reals} gold-set "
        f"articles of other events from tests/data/ingest/) x {len(EDITS)} edit kinds x "
        f"{VARIANTS} seeded variants (seed {SEED}); per variant the spans the edit is about "
        f"plus {RANDOM_ANNOTATIONS} random spans of whole words. On the gold-set articles "
        f"alone: "
        + ", ".join(f"{real[o]} {o}" for o in OUTCOMES)
        + ". Misplaced: attached to other words than the true place (for quote-only input of a "
        "repeated phrase: attached at all). Mid-word: an attached span that starts or ends "
        "inside a word where the quote did not.",
    ]
    (RESULTS / "reanchor_edits.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
