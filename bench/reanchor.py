"""python -m bench.reanchor: how well annotations survive edits of the seed bodies.

For each seed body and each edit set, random edits (seeded, so results repeat) are applied to
the body while tracking where every original character ends up, so each annotation's true
place in the edited body is known. Thousands of random annotations (spans of 1-40 words) are
re-anchored with `reanchor_many` and every outcome is classified: anchored, moved, fuzzy,
orphaned, or misplaced (attached somewhere other than its true place).

An annotation "survives" when its quoted characters are still there, in order, and the text
now at its true place is at least SURVIVOR_SIMILARITY similar to the quote (typography folded).
A survivor whose quote is still there word for word must be attached exactly on its true span;
a fuzzy attachment, or any attachment of a survivor whose text was edited, must overlap the true
span by at least half (intersection over union), because an edit can often be described in more
than one way: deleting "The A. " or "A. The " from "The A. The B." leaves the same text, so
tracking characters does not fix the true span to the character. A non-survivor attached
anywhere that is not mostly made of its own surviving characters is misplaced too.

Timing is given as selectors per second and as a ratio to a floor measured in the same run:
a plain `str.find` of each quote in the new body. Measures, never asserts. Results go to
bench/results/reanchor.json and bench/results/reanchor.md.
"""

import json
import platform
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Self

from rapidfuzz.distance import Indel

from annotations.anchoring import (
    FUZZY_THRESHOLD,
    Anchor,
    AnchorStatus,
    Selector,
    locate,
    reanchor,
    reanchor_many,
    selector_for,
)
from articles.ingest import BODY_SEPARATOR, decode, extract, sentence_spans

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED = 20170123  # the first day of the Astana talks
VARIANTS = 5  # random edit instances per body and edit set
ANNOTATIONS = 400  # random annotations per edit instance
MAX_WORDS = 40
SURVIVOR_SIMILARITY = FUZZY_THRESHOLD
FLOOR_ROUNDS = 5
SAMPLE_EVERY = 11  # reanchor one by one and locate are timed on every 11th edited body
OUTCOMES = ("anchored", "moved", "fuzzy", "orphaned", "misplaced")

# Sentences and paragraphs an editor might add to a story about the talks: they share words
# and phrases with the seed bodies on purpose, to tempt the engine into wrong matches.
NEW_SENTENCES = (
    "The talks are expected to last two days, according to diplomatic sources.",
    "Kazakhstan's foreign ministry said the venue in Astana was ready for the delegations.",
    "Observers said the outcome of the talks would depend on whether the ceasefire holds.",
    "A spokesman for the Syrian opposition declined to comment on Tuesday.",
    "Russia, Turkey and Iran are expected to send senior delegations to Astana.",
    "The United Nations envoy for Syria is also expected to attend the talks.",
    "Fighting continued in Wadi Barada despite the truce, activists said.",
    "Officials in Damascus did not respond to requests for comment.",
    "“We are committed to a political solution,” one of the rebel commanders said.",
    "The ceasefire, brokered by Russia and Turkey, came into force on December 30.",
)
NEW_PARAGRAPHS = (
    "Update: The opposition delegation arrived in Astana on Sunday evening. "
    "It will be led by Mohammad Alloush, a senior figure in the Army of Islam.",
    "Editor's note: An earlier version of this article misstated the date of the talks. "
    "They begin on Monday, January 23.",
    "The government delegation will be headed by Bashar al-Jaafari, Syria's envoy to the "
    "United Nations, Syrian state media said.",
    "Analysts say the talks in Kazakhstan are a test of Russia's ability to broker a deal "
    "between the Syrian government and the armed opposition groups.",
)
TYPOGRAPHY = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "—": "-",
    "–": "-",
    "\u00a0": " ",
    "…": "...",
}
FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "\u00a0": " "})
WORD_RE = re.compile(r"\S+")
TYPO_WORD_RE = re.compile(r"[A-Za-z]{4,}")
PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n[^\n]+)*")


@dataclass
class Doc:
    """A text being edited, with the original offset of every character (-1 when new)."""

    chars: list[str]
    origin: list[int]

    @classmethod
    def of(cls, text: str) -> Self:
        """An unedited text."""
        return cls(list(text), list(range(len(text))))

    @property
    def text(self) -> str:
        """The text as edited so far."""
        return "".join(self.chars)

    def splice(self, start: int, end: int, new: str = "") -> None:
        """Replace chars[start:end] with new characters."""
        self.chars[start:end] = list(new)
        self.origin[start:end] = [-1] * len(new)

    def rearrange(self, spans: list[tuple[int, int]]) -> None:
        """Rebuild the text from these spans of it, in this order."""
        self.chars = [c for s, e in spans for c in self.chars[s:e]]
        self.origin = [o for s, e in spans for o in self.origin[s:e]]


# --- Edits -----------------------------------------------------------------------------------


def typo_fixes(doc: Doc, rng: random.Random, count: int = 8) -> None:
    """Change one letter (substitute, insert, delete or transpose) in `count` random words."""
    for _ in range(count):
        words = list(TYPO_WORD_RE.finditer(doc.text))
        if not words:
            return
        word = rng.choice(words)
        at = rng.randrange(word.start() + 1, word.end() - 1)
        kind = rng.choice(("substitute", "insert", "delete", "transpose"))
        # Never a letter equal to a neighbour: the true place of the quote stays unambiguous.
        near = {doc.chars[at - 1], doc.chars[at], doc.chars[at + 1]}
        letter = rng.choice([c for c in "aeinorst" if c not in near])
        if kind == "substitute":
            doc.splice(at, at + 1, letter)
        elif kind == "insert":
            doc.splice(at, at, letter)
        elif kind == "delete":
            doc.splice(at, at + 1)
        elif doc.chars[at] != doc.chars[at + 1]:
            doc.splice(at, at + 2, doc.chars[at + 1] + doc.chars[at])


def typography(doc: Doc, rng: random.Random) -> None:
    """Straighten quotes, turn dashes into hyphens, no-break spaces into spaces, … into ..."""
    for at in range(len(doc.chars) - 1, -1, -1):
        replacement = TYPOGRAPHY.get(doc.chars[at])
        if replacement is not None:
            doc.splice(at, at + 1, replacement)


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans of the current text."""
    return sentence_spans(doc.text)


def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Paragraph spans of the current text."""
    return [(m.start(), m.end()) for m in PARAGRAPH_RE.finditer(doc.text)]


def sentences_inserted(doc: Doc, rng: random.Random, count: int = 3) -> None:
    """Insert `count` new sentences before random sentences."""
    for sentence in rng.sample(NEW_SENTENCES, count):
        start, _ = rng.choice(_sentences(doc))
        doc.splice(start, start, sentence + " ")


def sentences_deleted(doc: Doc, rng: random.Random, count: int = 3) -> None:
    """Delete `count` random sentences (with the space after them, or their paragraph break)."""
    for _ in range(count):
        spans = _sentences(doc)
        if len(spans) < 3:
            return
        start, end = rng.choice(spans)
        text = doc.text
        while end < len(text) and text[end] == " ":
            end += 1
        alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
        if alone and text.startswith(BODY_SEPARATOR, end):
            end += len(BODY_SEPARATOR)
        elif alone and text[:start].endswith(BODY_SEPARATOR):
            start -= len(BODY_SEPARATOR)
        doc.splice(start, end)


def sentences_reordered(doc: Doc, rng: random.Random, count: int = 2) -> None:
    """Swap `count` random pairs of neighbouring sentences in the same paragraph."""
    for _ in range(count):
        text = doc.text
        spans = _sentences(doc)
        pairs = [(a, b) for a, b in pairwise(spans) if "\n" not in text[a[1] : b[0]]]
        if not pairs:
            return
        (a0, a1), (b0, b1) = rng.choice(pairs)
        doc.rearrange([(0, a0), (b0, b1), (a1, b0), (a0, a1), (b1, len(text))])


def paragraphs_inserted(doc: Doc, rng: random.Random, count: int = 2) -> None:
    """Insert `count` new paragraphs before random paragraphs (or at the end)."""
    for paragraph in rng.sample(NEW_PARAGRAPHS, count):
        spans = _paragraphs(doc)
        if rng.random() < 0.2:
            doc.splice(len(doc.chars), len(doc.chars), BODY_SEPARATOR + paragraph)
        else:
            start, _ = rng.choice(spans)
            doc.splice(start, start, paragraph + BODY_SEPARATOR)


def paragraphs_deleted(doc: Doc, rng: random.Random, count: int = 2) -> None:
    """Delete `count` random paragraphs, keeping at least two."""
    for _ in range(count):
        spans = _paragraphs(doc)
        if len(spans) < 3:
            return
        index = rng.randrange(len(spans))
        start, end = spans[index]
        if index + 1 < len(spans):
            end = spans[index + 1][0]
        else:
            start = spans[index - 1][1]
        doc.splice(start, end)


def paragraphs_reordered(doc: Doc, rng: random.Random, count: int = 2) -> None:
    """Move `count` random paragraphs to other random places."""
    for _ in range(count):
        spans = _paragraphs(doc)
        if len(spans) < 2:
            return
        gaps = [(a[1], b[0]) for a, b in pairwise(spans)]
        order = list(range(len(spans)))
        moved = order.pop(rng.randrange(len(order)))
        order.insert(rng.choice([i for i in range(len(spans)) if i != moved] or [0]), moved)
        pieces = [(0, spans[0][0])]
        for slot, index in enumerate(order):
            pieces.append(spans[index])
            pieces.append(gaps[slot] if slot < len(gaps) else (spans[-1][1], len(doc.chars)))
        doc.rearrange(pieces)


def truncated(doc: Doc, rng: random.Random) -> None:
    """Cut the text after a sentence between 50% and 80% of the way through."""
    size = len(doc.chars)
    ends = [end for _, end in _sentences(doc) if 0.5 * size <= end <= 0.8 * size]
    if ends:
        doc.splice(rng.choice(ends), size)


def mixed(doc: Doc, rng: random.Random) -> None:
    """A bit of everything, as a thorough copy-edit would do."""
    typo_fixes(doc, rng, 4)
    typography(doc, rng)
    sentences_inserted(doc, rng, 1)
    sentences_deleted(doc, rng, 1)
    sentences_reordered(doc, rng, 1)
    paragraphs_reordered(doc, rng, 1)


def unchanged(doc: Doc, rng: random.Random) -> None:
    """No edit at all (control)."""


EDIT_SETS: dict[str, Callable[[Doc, random.Random], None]] = {
    "unchanged": unchanged,
    "typo fixes": typo_fixes,
    "typography": typography,
    "sentences inserted": sentences_inserted,
    "sentences deleted": sentences_deleted,
    "sentences reordered": sentences_reordered,
    "paragraphs inserted": paragraphs_inserted,
    "paragraphs deleted": paragraphs_deleted,
    "paragraphs reordered": paragraphs_reordered,
    "truncated": truncated,
    "mixed": mixed,
}


# --- Ground truth and classification ---------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """Where an annotation's characters ended up."""

    survivor: bool
    span: tuple[int, int] | None  # the true span, for survivors
    remains: frozenset[int]  # new positions of the quote's surviving characters
    edited: bool = False  # the text at the true span is no longer exactly the quote


def truth(
    old_start: int, old_end: int, where: list[int], origin: list[int], new_text: str, exact: str
) -> Truth:
    """Ground truth for old[old_start:old_end]; `where` maps old offsets to new, -1 if gone.

    The true span runs from the first to the last surviving character of the quote, widened
    over new characters that replaced lost characters at its ends (a straightened quote mark,
    say); a quote lost entirely but replaced in place by new text of similar length is placed
    there. It is a survivor if its characters are in order and the text now there is at least
    SURVIVOR_SIMILARITY similar to the quote.
    """
    positions = [where[o] for o in range(old_start, old_end) if where[o] >= 0]
    if positions:
        lost_left = next(i for i, o in enumerate(range(old_start, old_end)) if where[o] >= 0)
        lost_right = next(
            i for i, o in enumerate(range(old_end - 1, old_start - 1, -1)) if where[o] >= 0
        )
        start, end = positions[0], positions[-1] + 1
        while lost_left and start > 0 and origin[start - 1] < 0:
            start, lost_left = start - 1, lost_left - 1
        while lost_right and end < len(origin) and origin[end] < 0:
            end, lost_right = end + 1, lost_right - 1
    else:
        before = [where[o] for o in range(old_start - 1, -1, -1) if where[o] >= 0][:1]
        after = [where[o] for o in range(old_end, len(where)) if where[o] >= 0][:1]
        start = before[0] + 1 if before else 0
        end = after[0] if after else len(origin)
        replaced = all(origin[p] < 0 for p in range(start, end))
        if not (replaced and 0 < end - start <= 2 * len(exact)):
            return Truth(False, None, frozenset())
    in_order = all(a < b for a, b in pairwise(positions))
    similarity = Indel.normalized_similarity(
        exact.translate(FOLD), new_text[start:end].translate(FOLD)
    )
    survivor = in_order and similarity >= SURVIVOR_SIMILARITY
    remains = frozenset(range(start, end)) if in_order else frozenset(positions)
    edited = new_text[start:end] != exact
    return Truth(survivor, (start, end) if survivor else None, remains, edited)


def classify(anchor: Anchor, fact: Truth) -> str:
    """anchored, moved, fuzzy, orphaned, or misplaced."""
    if anchor.status is AnchorStatus.ORPHANED or anchor.start is None or anchor.end is None:
        return "orphaned"
    start, end = anchor.start, anchor.end
    if fact.span is not None:
        if anchor.status is AnchorStatus.FUZZY or fact.edited:
            true_start, true_end = fact.span
            inter = max(0, min(end, true_end) - max(start, true_start))
            union = max(end, true_end) - min(start, true_start)
            right = inter * 2 >= union
        else:
            right = (start, end) == fact.span
    else:
        right = 2 * sum(1 for p in range(start, end) if p in fact.remains) >= end - start
    return str(anchor.status) if right else "misplaced"


# --- The run ---------------------------------------------------------------------------------


def random_spans(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """`count` random spans of 1 to MAX_WORDS whole words."""
    words = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    spans = []
    for _ in range(count):
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(MAX_WORDS))
        spans.append((words[first][0], words[last][1]))
    return spans


@dataclass
class Case:
    """One edited body with its annotations and their ground truth."""

    edit: str
    old: str
    new: str
    selectors: list[Selector]
    truths: list[Truth]


def make_cases(bodies: list[str]) -> list[Case]:
    """Every edit set applied VARIANTS times to every body, with random annotations."""
    rng = random.Random(SEED)
    cases = []
    for edit, apply in EDIT_SETS.items():
        for body in bodies:
            for _ in range(VARIANTS):
                doc = Doc.of(body)
                apply(doc, rng)
                new = doc.text
                where = [-1] * len(body)
                for position, original in enumerate(doc.origin):
                    if original >= 0:
                        where[original] = position
                spans = random_spans(body, rng, ANNOTATIONS)
                selectors = [selector_for(body, s, e) for s, e in spans]
                truths = [truth(s, e, where, doc.origin, new, body[s:e]) for s, e in spans]
                cases.append(Case(edit, body, new, selectors, truths))
    return cases


def floor_seconds(cases: list[Case]) -> float:
    """Median time of a plain str.find of every quote in its new body."""
    samples = []
    for _ in range(FLOOR_ROUNDS):
        started = time.perf_counter()
        for case in cases:
            find = case.new.find
            for selector in case.selectors:
                find(selector.exact)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def other_timings(cases: list[Case]) -> dict[str, float]:
    """Seconds per selector of reanchor called one by one (a diff per call) and of locate."""
    sample = [(case, selector) for case in cases[::SAMPLE_EVERY] for selector in case.selectors]
    started = time.perf_counter()
    for case, selector in sample:
        reanchor(case.old, case.new, selector)
    one_by_one = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    for case, selector in sample:
        locate(case.new, selector)
    located = (time.perf_counter() - started) / len(sample)
    return {"reanchor": one_by_one, "locate": located}


def main() -> None:
    """Run every case, print the Markdown table, write the JSON and Markdown results."""
    # The five seeds and the nine unseen test articles (tests/ingest/fixtures/).
    files = [
        *sorted((ROOT / "seeds").glob("*.txt")),
        *sorted((ROOT / "tests" / "ingest" / "fixtures").glob("*.txt")),
    ]
    bodies = [extract(decode(p.read_bytes(), max_bytes=10**8).text).body for p in files]
    cases = make_cases(bodies)
    counts: dict[str, Counter[str]] = {edit: Counter() for edit in EDIT_SETS}
    survivors: dict[str, Counter[str]] = {edit: Counter() for edit in EDIT_SETS}
    examples: dict[str, list[dict[str, object]]] = {edit: [] for edit in EDIT_SETS}
    engine_seconds = 0.0
    for case in cases:
        started = time.perf_counter()
        anchors = reanchor_many(case.old, case.new, case.selectors)
        engine_seconds += time.perf_counter() - started
        for selector, fact, anchor in zip(case.selectors, case.truths, anchors, strict=True):
            outcome = classify(anchor, fact)
            counts[case.edit][outcome] += 1
            if fact.survivor:
                survivors[case.edit]["total"] += 1
                survivors[case.edit]["attached"] += outcome not in ("orphaned", "misplaced")
            if outcome == "misplaced" or (fact.survivor and outcome == "orphaned"):
                kept = examples[case.edit]
                if len(kept) >= 8:
                    if outcome != "misplaced" or all(e["outcome"] == "misplaced" for e in kept):
                        continue
                    kept.remove(next(e for e in kept if e["outcome"] != "misplaced"))
                true = case.new[fact.span[0] : fact.span[1]] if fact.span else None
                examples[case.edit].append(
                    {
                        "outcome": outcome,
                        "status": str(anchor.status),
                        "exact": selector.exact,
                        "true_text": true,
                        "attached_text": anchor.exact,
                        "score": round(anchor.score, 3),
                    }
                )
    floor = floor_seconds(cases)
    selectors = sum(len(case.selectors) for case in cases)
    per_floor = floor / selectors
    others = other_timings(cases)
    timings = [
        ("str.find of each quote (floor)", per_floor),
        ("reanchor_many (diff once per body pair)", engine_seconds / selectors),
        ("reanchor, one call per selector (diff each call)", others["reanchor"]),
        ("locate in the new body (no old body)", others["locate"]),
    ]

    rows = []
    for edit in [*EDIT_SETS, "total"]:
        if edit == "total":
            count = sum(counts.values(), Counter())
            alive = sum(survivors.values(), Counter())
        else:
            count, alive = counts[edit], survivors[edit]
        total = sum(count.values())
        rows.append(
            {
                "edit": edit,
                "annotations": total,
                **{outcome: count[outcome] for outcome in OUTCOMES},
                "survivors": alive["total"],
                "survivors_reattached": alive["attached"],
                "reattached_share": alive["attached"] / alive["total"] if alive["total"] else 1,
            }
        )
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seed": SEED,
        "bodies": len(bodies),
        "variants": VARIANTS,
        "annotations_per_variant": ANNOTATIONS,
        "fuzzy_threshold": FUZZY_THRESHOLD,
        "survivor_similarity": SURVIVOR_SIMILARITY,
        "selectors": selectors,
        "reanchor_many_seconds": engine_seconds,
        "timings": [
            {
                "step": step,
                "selectors_per_second": 1 / seconds,
                "ratio_to_floor": seconds / per_floor,
            }
            for step, seconds in timings
        ],
        "rows": rows,
        "examples": {edit: found for edit, found in examples.items() if found},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reanchor.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "| edit set | annotations | anchored | moved | fuzzy | orphaned | misplaced "
        "| survivors | survivors re-attached |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = f"**{row['edit']}**" if row["edit"] == "total" else row["edit"]
        lines.append(
            f"| {name} | {row['annotations']} | "
            + " | ".join(str(row[outcome]) for outcome in OUTCOMES)
            + f" | {row['survivors']} | {100 * row['reattached_share']:.2f}% |"
        )
    lines += [
        "",
        "| step | selectors per second | ratio to floor |",
        "| --- | ---: | ---: |",
        *(
            f"| {step} | {1 / seconds:,.0f} | {seconds / per_floor:,.0f} |"
            for step, seconds in timings
        ),
        "",
        f"{len(bodies)} seed bodies x {len(EDIT_SETS)} edit sets x {VARIANTS} random edit "
        f"instances x {ANNOTATIONS} random annotations of 1-{MAX_WORDS} words (seed {SEED}), "
        f"Python {result['python']}. Misplaced: attached anywhere but the true place. "
        f"Survivors: quoted characters still there in order, text at the true place at least "
        f"{SURVIVOR_SIMILARITY:.0%} similar to the quote.",
    ]
    (RESULTS / "reanchor.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
