"""python -m bench.ingest: how well and how fast any news page comes in.

Quality is reported on the TEST part of the ingest gold set (tests/data/ingest/test/: real pages
from outlets the engine was never tuned on, labelled by someone who never read the engine), with
the dev part beside it for reference, against the targets of issue 15. Speed is the engine alone
on the same pages: text copies and saved HTML pages apart, each as a ratio to a floor measured
in the same run (decoding the same bytes; for HTML, parsing them with lxml), three interleaved
rounds with the median and the spread. The 10,000-file import through the app is
`python -m bench.scale`. Results go to bench/results/ingest_quality.json and .md; nothing
asserts.
"""

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from articles.ingest import decode, extract
from articles.ingest.html import extract_html
from tests.ingest.goldset import FIELDS, GOLD, score_part, seed_outlets, totals

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROUNDS = 3
PASSES = {"text": 20, "html": 3}  # passes over the pages in one round
FLOORS = {"text": "text: decode (floor)", "html": "html: lxml parse (floor)"}

TARGETS = {
    "headline": (0.95, "≥ 95 % right"),
    "date": (0.90, "≥ 90 % right"),
    "paragraph_recall": (0.995, "≥ 99.5 %"),
    "junk_per_page": (0.10, "≤ 0.1 a page (one in ten pages)"),
    "clean": (0.85, "≥ 85 % of pages"),
}


def _pages(fmt: str) -> list[tuple[Path, bytes]]:
    suffix = ".txt" if fmt == "text" else ".html"
    found = []
    for part in ("dev", "test"):
        found += [(p, p.read_bytes()) for p in sorted((GOLD / part).glob(f"*{suffix}"))]
    if fmt == "text":
        found += [(p, p.read_bytes()) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return found


def _round(fn: Callable[[bytes], object], pages: list[bytes], passes: int) -> float:
    started = time.perf_counter()
    for _ in range(passes):
        for data in pages:
            fn(data)
    return (time.perf_counter() - started) / (passes * len(pages))


def speed() -> list[dict[str, object]]:
    outlets = seed_outlets()
    steps: dict[str, tuple[str, Callable[[bytes], object]]] = {
        "text: decode (floor)": ("text", lambda d: decode(d, max_bytes=10**8)),
        "text: decode + extract": (
            "text",
            lambda d: extract(decode(d, max_bytes=10**8).text, outlets=outlets),
        ),
        "html: lxml parse (floor)": ("html", lambda d: lxml.html.document_fromstring(d)),
        "html: extract_html": ("html", lambda d: extract_html(d, outlets=outlets)),
    }
    pages = {fmt: [data for _, data in _pages(fmt)] for fmt in ("text", "html")}
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(ROUNDS):  # interleaved: every step once per round
        for name, (fmt, fn) in steps.items():
            samples[name].append(_round(fn, pages[fmt], PASSES[fmt]))
    rows = []
    for name, (fmt, _) in steps.items():
        floor = statistics.median(samples[FLOORS[fmt]])
        values = samples[name]
        rows.append(
            {
                "step": name,
                "pages": len(pages[fmt]),
                "ms_median": statistics.median(values) * 1000,
                "ms_min": min(values) * 1000,
                "ms_max": max(values) * 1000,
                "ratio_to_floor": statistics.median(values) / floor,
            }
        )
    return rows


def _met(name: str, value: float) -> bool:
    target, _ = TARGETS[name]
    return value <= target if name == "junk_per_page" else value >= target


def _by_format(scores) -> dict[str, dict[str, object]]:
    return {
        fmt: totals([s for s in scores if s.format == fmt])
        for fmt in ("text", "html")
        if any(s.format == fmt for s in scores)
    }


def main() -> None:
    started = time.perf_counter()
    parts = {part: score_part(part) for part in ("test", "dev")}
    quality = {part: totals(scores) for part, scores in parts.items()}
    formats = {part: _by_format(scores) for part, scores in parts.items()}
    scoring_seconds = time.perf_counter() - started
    rows = speed()
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "quality": quality,
        "by_format": formats,
        "pages": {part: [s.as_dict() for s in scores] for part, scores in parts.items()},
        "speed": rows,
        "scoring_seconds": round(scoring_seconds, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest_quality.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    test, dev = quality["test"], quality["dev"]
    lines = [
        f"Ingest gold set: test part {test['pages']} pages, dev part {dev['pages']} pages "
        "(tests/data/ingest/README.md).",
        "",
        "| measure | target | test part | met | dev part (tuned on) |",
        "| --- | --- | ---: | :---: | ---: |",
    ]
    for name in ("headline", "date", "byline", "dateline", "language"):
        target = TARGETS.get(name, (None, "—"))[1]
        met = ("yes" if _met(name, test[name]) else "**no**") if name in TARGETS else ""
        lines.append(f"| {name} right | {target} | {test[name]:.1%} | {met} | {dev[name]:.1%} |")
    lines += [
        f"| story-paragraph recall | {TARGETS['paragraph_recall'][1]} | "
        f"{test['paragraph_recall']:.1%} "
        f"({test['lost_paragraphs']} lost of {test['paragraphs']}) | "
        f"{'yes' if _met('paragraph_recall', test['paragraph_recall']) else '**no**'} | "
        f"{dev['paragraph_recall']:.1%} ({dev['lost_paragraphs']} lost) |",
        f"| junk lines in the body | {TARGETS['junk_per_page'][1]} | "
        f"{test['junk_per_page']:.2f} a page ({test['junk_lines']}) | "
        f"{'yes' if _met('junk_per_page', test['junk_per_page']) else '**no**'} | "
        f"{dev['junk_per_page']:.2f} ({dev['junk_lines']}) |",
        f"| pages fully clean | {TARGETS['clean'][1]} | {test['clean']:.1%} "
        f"({test['clean_pages']}/{test['scored']}) | "
        f"{'yes' if _met('clean', test['clean']) else '**no**'} | {dev['clean']:.1%} |",
        "",
        "By format (test part):",
        "",
        "| format | pages | headline | date | byline | dateline | recall | junk a page | clean |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fmt, t in formats["test"].items():
        lines.append(
            f"| {fmt} | {t['scored']} | "
            + " | ".join(f"{t[name]:.0%}" for name in FIELDS[:4])
            + f" | {t['paragraph_recall']:.1%} | {t['junk_per_page']:.2f} | {t['clean']:.0%} |"
        )
    lines += [
        "",
        f"Speed, engine only ({ROUNDS} interleaved rounds; median, fastest–slowest):",
        "",
        "| step | pages | ms a page | spread | ratio to floor |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['step']} | {r['pages']} | {r['ms_median']:.2f} | "
            f"{r['ms_min']:.2f}–{r['ms_max']:.2f} | {r['ratio_to_floor']:.1f} |"
            for r in rows
        ),
        "",
        f"Python {result['python']} on {result['machine']}.",
    ]
    (RESULTS / "ingest_quality.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
