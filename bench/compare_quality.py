"""python -m bench.compare_quality: precision and recall of the comparison, per category.

Scores the engine (`articles.comparison.engine.compare`) on the gold set of
tests/data/comparison/ with the scorer of tests/comparison/goldset.py (its docstring defines
every category): the TEST part is the report; the DEV part, which engine authors tune on, is
shown separately and labelled so. Nothing is read from the test part but the gold to score
against: no threshold, here or in the engine, is chosen on it.

Two baselines run on the same inputs, pair by pair within each event:
difflib.SequenceMatcher (get_matching_blocks, autojunk off) and CollateX (the edit-graph
aligner, no transpositions). Both get the same tokens: the words of the body folded as the
engine folds them (`fold(body).words(WORD_RE)`: case, quotes, dashes, NFKC), punctuation
dropped, so neither is cut at a comma. Their aligned runs are mapped to the gold definitions
with parameters fixed here beforehand, never tuned on the gold:

- verbatim: an aligned run of RUN_WORDS (8) or more equal words;
- near: aligned runs chained across gaps of at most GAP_WORDS (3) words on each side, with at
  least RUN_WORDS matched words and matched words making at least DENSITY (0.6) of the chain
  on each side.

They report no paraphrase, stance or difference: those rows read n/a for them (so does
"differ shown as agreement", which every agree-only method would score badly on by
construction). Results go to bench/results/compare_quality.md and .json.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

from articles.comparison.engine import Comparison, Link
from articles.comparison.engine.document import WORD_RE, fold
from tests.comparison import goldset

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PARTS = ("test", "dev")
RUN_WORDS = 8
GAP_WORDS = 3
DENSITY = 0.6
ENGINE = "engine"
BASELINES = ("difflib", "CollateX")
# What a word-alignment baseline cannot produce.
BASELINE_NA = ("paraphrase", "differ", "differences")
TARGETS = {
    "verbatim": "P >= 0.98, R >= 0.98",
    "near": "P >= 0.98, R >= 0.98",
    "paraphrase": "P >= 0.9, R >= 0.85",
    "differ": "R = 1.0, none shown as agreement",
    "differences": "P >= 0.9, R >= 0.85",
}

Word = tuple[str, int, int]
Block = tuple[int, int, int]  # i in a, j in b, size (words)


def words(body: str) -> list[Word]:
    """The folded words of a body with their body spans; punctuation dropped."""
    return fold(body).words(WORD_RE)


def difflib_blocks(wa: list[Word], wb: list[Word]) -> list[Block]:
    """Runs of equal words difflib aligns."""
    matcher = SequenceMatcher(None, [w for w, _, _ in wa], [w for w, _, _ in wb], autojunk=False)
    return [(i, j, n) for i, j, n in matcher.get_matching_blocks() if n]


def collatex_blocks(wa: list[Word], wb: list[Word]) -> list[Block]:
    """Runs of equal words CollateX aligns (fed the folded words as its tokens)."""
    from collatex import collate

    witnesses = [
        {"id": sigil, "tokens": [{"t": w, "n": w, "i": i} for i, (w, _, _) in enumerate(ws)]}
        for sigil, ws in (("A", wa), ("B", wb))
    ]
    table = collate({"witnesses": witnesses}, output="table", segmentation=False)
    blocks: list[Block] = []
    run: list[tuple[int, int]] = []
    for cell_a, cell_b in zip(table.rows[0].cells, table.rows[1].cells, strict=True):
        same = (
            cell_a
            and cell_b
            and len(cell_a) == len(cell_b) == 1
            and cell_a[0].token_string == cell_b[0].token_string
        )
        pair = (cell_a[0].token_data["i"], cell_b[0].token_data["i"]) if same else None
        if pair and run and pair == (run[-1][0] + 1, run[-1][1] + 1):
            run.append(pair)
            continue
        if run:
            blocks.append((run[0][0], run[0][1], len(run)))
        run = [pair] if pair else []
    if run:
        blocks.append((run[0][0], run[0][1], len(run)))
    return blocks


def blocks_to_links(
    key_a: str, key_b: str, wa: list[Word], wb: list[Word], blocks: list[Block]
) -> list[Link]:
    """Aligned runs as links: long runs verbatim, runs chained across small gaps near."""
    links = []

    def link(kind: str, i0: int, i1: int, j0: int, j1: int, score: float) -> Link:
        return Link(kind, key_a, wa[i0][1], wa[i1 - 1][2], key_b, wb[j0][1], wb[j1 - 1][2], score)

    for i, j, n in blocks:
        if n >= RUN_WORDS:
            links.append(link("verbatim", i, i + n, j, j + n, 1.0))
    chains: list[list[Block]] = []
    for block in sorted(blocks):
        if chains:
            i, j, n = chains[-1][-1]
            gap_a, gap_b = block[0] - (i + n), block[1] - (j + n)
            if 0 <= gap_a <= GAP_WORDS and 0 <= gap_b <= GAP_WORDS:
                chains[-1].append(block)
                continue
        chains.append([block])
    for chain in chains:
        if len(chain) < 2:
            continue
        matched = sum(n for _, _, n in chain)
        i0, j0 = chain[0][0], chain[0][1]
        i1, j1 = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
        density = min(matched / (i1 - i0), matched / (j1 - j0))
        if matched >= RUN_WORDS and density >= DENSITY:
            links.append(link("near", i0, i1, j0, j1, density))
    return links


def baseline(aligner: Callable[[list[Word], list[Word]], list[Block]]) -> Callable:
    """A whole-event method from a pair aligner: every article pair aligned on its own."""

    def run(event: goldset.Event) -> Comparison:
        tokens = {key: words(body) for key, body in event.bodies.items()}
        links = []
        for a, b in goldset.pairs(event):
            if tokens[a] and tokens[b]:
                blocks = aligner(tokens[a], tokens[b])
                links += blocks_to_links(a, b, tokens[a], tokens[b], blocks)
        return Comparison(tuple(links), (), ())

    return run


METHODS: dict[str, Callable[[goldset.Event], Comparison]] = {
    ENGINE: goldset.run_engine,
    "difflib": baseline(difflib_blocks),
    "CollateX": baseline(collatex_blocks),
}


def score_part(part: str) -> dict | None:
    """Every method on every event of a part: reports and time; None when the part is empty."""
    try:
        events = goldset.load_part(part)
    except goldset.GoldError as error:
        return {"error": str(error)}
    if not events:
        return None
    out = {"events": [e.name for e in events], "methods": {}}
    for name, method in METHODS.items():
        report = goldset.Report(part)
        seconds, error = 0.0, None
        try:
            for event in events:
                started = time.perf_counter()
                comparison = method(event)
                seconds += time.perf_counter() - started
                report += goldset.evaluate_comparison(event, comparison)
        except Exception as exc:  # a baseline missing or failing here: say so
            error = f"{type(exc).__name__}: {exc}"
        row = report.as_dict()
        row.update(seconds=seconds, error=error)
        if name != ENGINE:
            for category in BASELINE_NA:
                row["scores"][category] = None
            row["shown_as_agreement"] = None
        out["methods"][name] = row
        out.setdefault("reports", {})[name] = report
    return out


def _cell(score: dict | None, key: str) -> str:
    if score is None:
        return "n/a"
    value = score[key]
    if value is None:
        return "-"
    count = (
        f"{score['correct']}/{score['reported']}"
        if key == "precision"
        else f"{score['recalled']}/{score['required']}"
    )
    return f"{value:.2f} ({count})"


def _time(name: str, row: dict) -> str:
    if row["error"]:
        return f"{name} could not run ({row['error']})"
    return f"{name} {row['seconds']:.2f} s"


def _met(category: str, row: dict) -> str:
    score = row["scores"][category]
    p, r = score["precision"], score["recall"]
    if category in ("verbatim", "near"):
        ok = p is not None and r is not None and p >= 0.98 and r >= 0.98
    elif category == "paraphrase":
        ok = p is not None and r is not None and p >= 0.9 and r >= 0.85
    elif category == "differ":
        ok = r == 1.0 and row["shown_as_agreement"] == 0
    else:
        ok = p is not None and r is not None and p >= 0.9 and r >= 0.85
    return "met" if ok else "not met"


def markdown_part(part: str, result: dict) -> list[str]:
    """The table of one part, all methods side by side."""
    methods = result["methods"]
    label = (
        "TEST part (never tuned on): the report"
        if part == "test"
        else "DEV part (engine thresholds are tuned on it: in-sample, flatters the engine)"
    )
    lines = [f"## {label}", "", f"Events: {', '.join(result['events'])}.", ""]
    header = "| category | " + " | ".join(f"{m} P | {m} R" for m in methods)
    if part == "test":
        header += " | target (engine) |"
    else:
        header += " |"
    lines.append(header)
    lines.append("| --- |" + " ---: | ---: |" * len(methods) + (" --- |" if part == "test" else ""))
    for category in goldset.CATEGORIES:
        cells = []
        for row in methods.values():
            score = None if row["error"] else row["scores"][category]
            if category == "must-not-link":
                cells += ["", _cell(score, "recall")]
            else:
                cells += [_cell(score, "precision"), _cell(score, "recall")]
        line = f"| {category} | " + " | ".join(cells) + " |"
        if part == "test":
            engine = methods[ENGINE]
            target = TARGETS.get(category)
            line += f" {target}: {_met(category, engine)} |" if target else " |"
        lines.append(line)
    agreement = " | ".join(
        "n/a" if row["shown_as_agreement"] is None else str(row["shown_as_agreement"])
        for row in methods.values()
    )
    lines += [
        "",
        f"Gold differ links shown as agreement ({', '.join(methods)}): {agreement}.",
        "Time for the whole part: " + ", ".join(_time(n, r) for n, r in methods.items()) + ".",
        "",
    ]
    return lines


def markdown(results: dict) -> str:
    """The whole report."""
    lines = [
        "# Comparison quality: precision and recall per category",
        "",
        f"Python {results['python']}. Produced by `python -m bench.compare_quality` from the gold "
        "set in tests/data/comparison/ (format and provenance: its README). Definitions: the "
        "docstring of tests/comparison/goldset.py. In short: a reported link matches a gold "
        "link of the same pair when it covers at least half of the shorter span on both sides; "
        "a link on a must-not-link pair is false; optional gold links count right when "
        "reported and are not needed; a correct link counts under the gold kind it matches. "
        "P = precision (correct/reported), R = recall (found/required); '-' = nothing to "
        "count; n/a = the method cannot produce it. Must-not-link R = share of must-not-link "
        "pairs left unlinked.",
        "",
        f"Baselines (difflib, CollateX) align each article pair on the same folded words, "
        f"punctuation dropped; runs of {RUN_WORDS}+ equal words are verbatim links, runs chained "
        f"across gaps of at most {GAP_WORDS} words with {RUN_WORDS}+ matched words and density "
        f"{DENSITY}+ are near links. They produce no paraphrase, stance or difference.",
        "",
    ]
    for part in PARTS:
        if results["parts"].get(part) is None:
            lines += [f"## {part}", "", f"No event files in tests/data/comparison/{part}/.", ""]
            continue
        if "error" in results["parts"][part]:
            problems = results["parts"][part]["error"]
            lines += [f"## {part}", "", "The gold files do not validate:", "", problems, ""]
            continue
        lines += markdown_part(part, results["parts"][part])
    return "\n".join(lines)


def main() -> None:
    """Score every method on the test and dev parts; write the results."""
    results: dict = {"python": platform.python_version(), "parts": {}}
    for part in PARTS:
        result = score_part(part)
        if result is not None:
            result.pop("reports", None)
        results["parts"][part] = result
    text = markdown(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare_quality.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    (RESULTS / "compare_quality.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
