"""python -m bench.compare: speed, memory and quality of the comparison engine.

Three parts, all measured in one run (measures, never asserts):

1. The seeds: time and peak memory (tracemalloc) of `compare` on the five seed bodies.
2. Baselines on the 10 seed pairs: this engine, difflib.SequenceMatcher
   (get_matching_blocks over the folded words) and CollateX (if installed), each timed, and
   for each the gold shared passages (tests/data/seed_gold.json: verbatim passages of 8+
   words and the verbatim or near links) it finds.
3. Generated corpora (seeded RNG): wire stories copied with small edits by 2-4 "outlets",
   mixed with unrelated texts made of random words and shuffled seed sentences. Time and
   peak memory at growing sizes, up to 10,000 articles, and the growth ratio.

Results go to bench/results/compare.json and bench/results/compare.md.
"""

from __future__ import annotations

import gc
import json
import platform
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from difflib import SequenceMatcher
from itertools import combinations, pairwise
from pathlib import Path

from articles.compare import CorpusIndex, compare
from articles.compare.document import WORD_RE
from articles.ingest import decode, extract, sentence_spans
from articles.ingest.text import normalize_for_matching

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOLD = ROOT / "tests" / "data" / "seed_gold.json"
SEED = 20170123  # the first day of the Astana talks
SIZES = (1_000, 3_000, 10_000)
SEED_ROUNDS = 7
MIN_PIECE_WORDS = 3  # aligned runs shorter than this are not counted as shared text
TIME_BUDGET_S = 1_500  # stop growing the corpus when one size took longer than this

Span = tuple[int, int]
Piece = tuple[Span, Span]


# --- Seeds ---------------------------------------------------------------------------------


def seed_bodies() -> dict[str, str]:
    """The seed bodies keyed by their three-digit prefix."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    out = {}
    for key, name in gold["seeds"].items():
        data = (ROOT / "seeds" / name).read_bytes()
        out[key] = extract(decode(data, max_bytes=10**8).text).body
    return out


def _peak(fn: Callable[[], object]) -> tuple[float, int]:
    """Seconds and peak traced bytes of one call (timed under tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def _timed(fn: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


# --- Baselines on seed pairs ---------------------------------------------------------------


def _words(body: str) -> list[tuple[str, int, int]]:
    norm = normalize_for_matching(body)
    out = []
    for match in WORD_RE.finditer(norm.text):
        start, end = norm.source_span(match.start(), match.end())
        out.append((match.group(), start, end))
    return out


def difflib_pieces(a: str, b: str) -> list[Piece]:
    """Matching blocks of difflib over the folded words of two bodies, as body spans."""
    wa, wb = _words(a), _words(b)
    matcher = SequenceMatcher(None, [w for w, _, _ in wa], [w for w, _, _ in wb], autojunk=False)
    pieces = []
    for i, j, size in matcher.get_matching_blocks():
        if size >= MIN_PIECE_WORDS:
            pieces.append(((wa[i][1], wa[i + size - 1][2]), (wb[j][1], wb[j + size - 1][2])))
    return pieces


def collatex_pieces(a: str, b: str) -> list[Piece]:
    """Aligned, equal tokens of a CollateX collation of two bodies, merged into runs."""
    from collatex import Collation, collate

    collation = Collation()
    collation.add_plain_witness("A", a)
    collation.add_plain_witness("B", b)
    table = json.loads(collate(collation, output="json", segmentation=False))["table"]
    offsets = {"A": _token_offsets(a, table[0]), "B": _token_offsets(b, table[1])}
    pieces: list[Piece] = []
    run: list[tuple[Span, Span]] = []
    for cell_a, cell_b in zip(table[0], table[1], strict=True):
        same = (
            cell_a
            and cell_b
            and _fold(cell_a[0]["n"]) == _fold(cell_b[0]["n"])
            and _fold(cell_a[0]["n"])
        )
        if same:
            run.append(
                (
                    offsets["A"][cell_a[0]["_token_array_position"]],
                    offsets["B"][cell_b[0]["_token_array_position"]],
                )
            )
            continue
        if not (cell_a and cell_b) and not run:
            continue
        _close_run(run, pieces)
        run = []
    _close_run(run, pieces)
    return pieces


def _fold(token: str) -> str:
    return " ".join(WORD_RE.findall(normalize_for_matching(token).text))


def _close_run(run: list[tuple[Span, Span]], pieces: list[Piece]) -> None:
    words = [pair for pair in run if pair[0][1] > pair[0][0]]
    if len(words) >= MIN_PIECE_WORDS:
        pieces.append(((run[0][0][0], run[-1][0][1]), (run[0][1][0], run[-1][1][1])))


def _token_offsets(body: str, row: list) -> dict[int, Span]:
    """Body spans of CollateX tokens, found by walking the body with each token's text."""
    out: dict[int, Span] = {}
    cursor = 0
    tokens = sorted(
        (token for cell in row if cell for token in cell),
        key=lambda token: token["_token_array_position"],
    )
    for token in tokens:
        text = token["t"].rstrip()
        found = body.find(text, cursor) if text else -1
        if found < 0:
            out[token["_token_array_position"]] = (cursor, cursor)
            continue
        out[token["_token_array_position"]] = (found, found + len(text))
        cursor = found + len(text)
    return out


def engine_pieces(a: str, b: str) -> list[Piece]:
    """Links of this engine between two bodies, as span pairs."""
    return [
        ((link.a_start, link.a_end), (link.b_start, link.b_end))
        for link in compare({"a": a, "b": b}).links
    ]


def _covered(span: Span, pieces: list[Span]) -> float:
    start, end = span
    marks = bytearray(end - start)
    for s, e in pieces:
        for i in range(max(s, start), min(e, end)):
            marks[i - start] = 1
    return sum(marks) / max(1, end - start)


def gold_shared_passages(bodies: dict[str, str]) -> list[dict]:
    """Gold verbatim passages (need 90 % coverage) and verbatim/near links (need 50 %)."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    items = []
    for item in gold["verbatim_passages"]:
        items.append({**item, "kind": "verbatim passage", "need": 0.9})
    for item in gold["links"]:
        if item["kind"] in ("verbatim", "near") and item["required"]:
            items.append({**item, "kind": f"{item['kind']} link", "need": 0.5})
    for item in items:
        a_start = bodies[item["a"]].index(item["a_text"])
        b_start = bodies[item["b"]].index(item["b_text"])
        item["a_span"] = (a_start, a_start + len(item["a_text"]))
        item["b_span"] = (b_start, b_start + len(item["b_text"]))
    return items


def found_items(items: list[dict], pair: tuple[str, str], pieces: list[Piece]) -> list[int]:
    """Indices of gold items of this pair that the aligned pieces cover."""
    found = []
    for index, item in enumerate(items):
        if (item["a"], item["b"]) != pair:
            continue
        on_a = [
            pa
            for pa, pb in pieces
            if _overlaps(pa, item["a_span"]) and _overlaps(pb, item["b_span"])
        ]
        on_b = [
            pb
            for pa, pb in pieces
            if _overlaps(pa, item["a_span"]) and _overlaps(pb, item["b_span"])
        ]
        if (
            _covered(item["a_span"], on_a) >= item["need"]
            and _covered(item["b_span"], on_b) >= item["need"]
        ):
            found.append(index)
    return found


def _overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def unexplained(items: list[dict], pair: tuple[str, str], pieces: list[Piece], words: int) -> int:
    """Pieces of at least `words` words that overlap no gold passage of the pair."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    spans = [(item["a_span"], item["b_span"]) for item in items if (item["a"], item["b"]) == pair]
    for item in gold["links"]:
        if (item["a"], item["b"]) == pair:
            spans.append((_find(pair[0], item["a_text"]), _find(pair[1], item["b_text"])))
    count = 0
    for pa, pb in pieces:
        if len(_BODIES[pair[0]][pa[0] : pa[1]].split()) < words:
            continue
        if not any(_overlaps(pa, ga) and _overlaps(pb, gb) for ga, gb in spans):
            count += 1
    return count


_BODIES: dict[str, str] = {}


def _find(key: str, text: str) -> Span:
    start = _BODIES[key].index(text)
    return start, start + len(text)


def baselines(bodies: dict[str, str]) -> dict:
    """Each method on the 10 seed pairs: time, gold shared passages found, stray pieces."""
    _BODIES.update(bodies)
    items = gold_shared_passages(bodies)
    methods: dict[str, Callable[[str, str], list[Piece]]] = {
        "engine (articles.compare)": engine_pieces,
        "difflib SequenceMatcher": difflib_pieces,
        "CollateX": collatex_pieces,
    }
    out = {}
    for name, method in methods.items():
        total = 0.0
        found: list[int] = []
        stray = 0
        error = None
        try:
            for pair in combinations(sorted(bodies), 2):
                started = time.perf_counter()
                pieces = method(bodies[pair[0]], bodies[pair[1]])
                total += time.perf_counter() - started
                found.extend(found_items(items, pair, pieces))
                stray += unexplained(items, pair, pieces, 6)
        except Exception as exc:  # CollateX missing or failing here: say so
            error = f"{type(exc).__name__}: {exc}"
        out[name] = {
            "seconds_10_pairs": None if error else total,
            "found": sorted(set(found)),
            "stray_pieces_6_words": None if error else stray,
            "error": error,
        }
    return {"items": [_describe(item) for item in items], "methods": out}


def _describe(item: dict) -> dict:
    return {
        "kind": item["kind"],
        "pair": f"{item['a']}/{item['b']}",
        "a_text": item["a_text"],
        "b_text": item["b_text"],
    }


# --- Generated corpora ---------------------------------------------------------------------


def _seed_sentences(bodies: dict[str, str]) -> list[str]:
    out = []
    for body in bodies.values():
        for paragraph in re.finditer(r"[^\n]+", body):
            for start, end in sentence_spans(body, paragraph.start(), paragraph.end()):
                out.append(body[start:end])
    return out


# Lines some outlets append to every article, with no comment or licence marker: only the
# too-common n-gram drop keeps them from linking everything.
BOILERPLATE = (
    "Follow our coverage of the war in Syria on our channel for the latest updates.",
    "Our website can also be reached at the following alternate addresses for readers.",
    "The views expressed in this article are those of the author and not of the outlet.",
)


class CorpusMaker:
    """Seeded generator of wire-story families and unrelated texts."""

    def __init__(self, bodies: dict[str, str], seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.sentences = _seed_sentences(bodies)
        seed_words = sorted({w for s in self.sentences for w in s.split()})
        invented = {self._invent() for _ in range(20_000)}
        self.vocabulary = seed_words + sorted(invented)
        # Zipf-like weights: a few words very common, most rare.
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.vocabulary))]
        self.rng.shuffle(self.weights)

    def _invent(self) -> str:
        letters = "etaoinshrdlucmfwypvbgkqjxz"
        return "".join(
            self.rng.choice(letters[: self.rng.randint(8, 26)])
            for _ in range(self.rng.randint(2, 10))
        )

    def random_sentence(self) -> str:
        """A sentence of Zipf-distributed words from the vocabulary."""
        words = self.rng.choices(self.vocabulary, self.weights, k=self.rng.randint(8, 28))
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def shuffled_seed_sentence(self) -> str:
        """A seed sentence with its words in random order."""
        words = self.rng.choice(self.sentences).split()
        self.rng.shuffle(words)
        return " ".join(words)

    def story(self) -> list[str]:
        """Random-word sentences and seed sentences with their words shuffled."""
        sentences = []
        for _ in range(self.rng.randint(8, 25)):
            if self.rng.random() < 0.15:
                sentences.append(self.shuffled_seed_sentence())
            else:
                sentences.append(self.random_sentence())
        return sentences

    def furnish(self, sentences: list[str]) -> str:
        """Join sentences into a body; some outlets add a boilerplate line (no marker)."""
        if self.rng.random() < 0.3:
            sentences = [*sentences, self.rng.choice(BOILERPLATE)]
        return "\n\n".join(sentences)

    def edit(self, story: list[str]) -> list[str]:
        """A copy by another outlet: word swaps, cuts, a dropped or added sentence."""
        out = []
        for sentence in story:
            roll = self.rng.random()
            if roll < 0.08:
                continue
            words = sentence.split()
            for _ in range(self.rng.randint(0, 2)):
                if words:
                    words[self.rng.randrange(len(words))] = self.rng.choice(self.vocabulary)
            if len(words) > 4 and self.rng.random() < 0.2:
                del words[self.rng.randrange(len(words))]
            out.append(" ".join(words))
            if self.rng.random() < 0.08:
                out.append(self.random_sentence())
        if self.rng.random() < 0.3:
            self.rng.shuffle(out)
        return out

    def corpus(self, size: int) -> dict[str, str]:
        """About half near-copies (families of 2-4), half unrelated texts."""
        bodies: dict[str, str] = {}
        while len(bodies) < size:
            if self.rng.random() < 0.25:
                base = self.story()
                for _ in range(min(self.rng.randint(2, 4), size - len(bodies))):
                    bodies[f"w{len(bodies):06d}"] = self.furnish(self.edit(base))
            else:
                bodies[f"u{len(bodies):06d}"] = self.furnish(self.story())
        return bodies


def corpus_run(bodies: dict[str, str]) -> dict:
    """Full computation on a generated corpus: time, memory, links, pairs compared."""
    gc.collect()
    started = time.perf_counter()
    index = CorpusIndex.from_bodies(bodies)
    comparison = index.comparison()
    elapsed = time.perf_counter() - started
    traced, peak = _peak(lambda: CorpusIndex.from_bodies(bodies).comparison())
    extra = CorpusMaker({"x": " ".join(bodies[k] for k in list(bodies)[:3])}, seed=SEED + 1)
    adds = []
    for i in range(10):
        key = f"new{i}"
        body = "\n\n".join(extra.edit(bodies[list(bodies)[i * 7 % len(bodies)]].split("\n\n")))
        started = time.perf_counter()
        index.add(key, body)
        adds.append(time.perf_counter() - started)
    words = sum(len(body.split()) for body in bodies.values())
    return {
        "articles": len(bodies),
        "words": words,
        "seconds": elapsed,
        "seconds_traced": traced,
        "peak_mib": peak / 2**20,
        "ms_per_article": 1000 * elapsed / len(bodies),
        "pairs_compared": index.pairs_compared - len(adds),
        "all_pairs": len(bodies) * (len(bodies) - 1) // 2,
        "links": len(comparison.links),
        "groups": len(comparison.groups),
        "incremental_add_ms_median": 1000 * statistics.median(adds),
    }


# --- Report --------------------------------------------------------------------------------


def main() -> None:
    """Run every measurement and write bench/results/compare.json and compare.md."""
    bodies = seed_bodies()
    seeds_seconds = _timed(lambda: compare(bodies), SEED_ROUNDS)
    _, seeds_peak = _peak(lambda: compare(bodies))
    seeds = {
        "articles": len(bodies),
        "chars": sum(len(b) for b in bodies.values()),
        "seconds_median": seeds_seconds,
        "peak_mib": seeds_peak / 2**20,
        "links": len(compare(bodies).links),
    }
    print(f"seeds: {seeds_seconds * 1000:.1f} ms, peak {seeds['peak_mib']:.1f} MiB", flush=True)
    base = baselines(bodies)
    for name, row in base["methods"].items():
        print(f"{name}: found {len(row['found'])}/{len(base['items'])}", row["error"] or "")
    maker = CorpusMaker(bodies)
    generated = []
    stopped = None
    for size in SIZES:
        corpus = maker.corpus(size)
        row = corpus_run(corpus)
        generated.append(row)
        print(
            f"{size} articles: {row['seconds']:.1f} s, peak {row['peak_mib']:.0f} MiB, "
            f"{row['pairs_compared']} pairs compared",
            flush=True,
        )
        if row["seconds"] + row["seconds_traced"] > TIME_BUDGET_S and size != SIZES[-1]:
            stopped = f"stopped after {size} articles: one size took over {TIME_BUDGET_S} s"
            break
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_used": 1,
        "seeds": seeds,
        "baselines": base,
        "generated": generated,
        "growth": _growth(generated),
        "stopped": stopped,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "compare.md").write_text(_markdown(result), encoding="utf-8")
    print(_markdown(result))


def _growth(rows: list[dict]) -> list[dict]:
    out = []
    for before, after in pairwise(rows):
        size = after["articles"] / before["articles"]
        out.append(
            {
                "from": before["articles"],
                "to": after["articles"],
                "size_ratio": size,
                "time_ratio": after["seconds"] / before["seconds"],
                "memory_ratio": after["peak_mib"] / before["peak_mib"],
            }
        )
    return out


def _markdown(result: dict) -> str:
    seeds = result["seeds"]
    lines = [
        "# Comparison engine benchmark",
        "",
        f"Python {result['python']} on {result['machine']}, one process. Produced by "
        "`python -m bench.compare`; figures vary from run to run and machine to machine.",
        "",
        "## Seeds",
        "",
        f"{seeds['articles']} articles, {seeds['chars']} characters: "
        f"{seeds['seconds_median'] * 1000:.0f} ms (median of {SEED_ROUNDS}), "
        f"peak {seeds['peak_mib']:.1f} MiB traced, {seeds['links']} links.",
        "",
        "## Against difflib and CollateX on the 10 seed pairs",
        "",
        "Gold shared passages: the verbatim passages of 8+ words (found when covered 90 % on "
        "both sides) and the required verbatim/near links (found when covered 50 %). "
        f"difflib and CollateX pieces are aligned runs of {MIN_PIECE_WORDS}+ equal words. "
        "Stray pieces: pieces of 6+ words that overlap no gold passage of their pair.",
        "",
        "| method | time, 10 pairs | gold shared passages found | stray pieces | note |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    items = result["baselines"]["items"]
    for name, row in result["baselines"]["methods"].items():
        if row["error"]:
            lines.append(f"| {name} | n/a | n/a | n/a | could not run here: {row['error']} |")
            continue
        lines.append(
            f"| {name} | {row['seconds_10_pairs'] * 1000:.0f} ms | "
            f"{len(row['found'])}/{len(items)} | {row['stray_pieces_6_words']} | |"
        )
    lines += ["", "| gold passage | pair | " + " | ".join(result["baselines"]["methods"]) + " |"]
    lines.append("| --- | --- |" + " --- |" * len(result["baselines"]["methods"]))
    for index, item in enumerate(items):
        marks = [
            "yes" if index in row["found"] else ("n/a" if row["error"] else "no")
            for row in result["baselines"]["methods"].values()
        ]
        text = item["a_text"] if len(item["a_text"]) <= 60 else item["a_text"][:57] + "..."
        lines.append(f"| {item['kind']}: {text} | {item['pair']} | " + " | ".join(marks) + " |")
    lines += [
        "",
        "## Generated corpora",
        "",
        "Wire stories copied with edits by 2-4 outlets (about half the articles) mixed with "
        "unrelated texts of random words and shuffled seed sentences; seeded RNG. Time is one "
        "untraced run of `CorpusIndex.from_bodies(...).comparison()`; peak memory is a second, "
        "traced run (tracemalloc slows it). An incremental add is one `CorpusIndex.add` of a "
        "near-copy into the built index.",
        "",
        "| articles | words | time | ms/article | peak MiB | pairs compared | of all pairs "
        "| links | add (ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["generated"]:
        lines.append(
            f"| {row['articles']:,} | {row['words']:,} | {row['seconds']:.1f} s | "
            f"{row['ms_per_article']:.1f} | {row['peak_mib']:.0f} | {row['pairs_compared']:,} | "
            f"{row['all_pairs']:,} | {row['links']:,} | {row['incremental_add_ms_median']:.1f} |"
        )
    if result["growth"]:
        lines += ["", "| growth | size x | time x | memory x |", "| --- | ---: | ---: | ---: |"]
        for row in result["growth"]:
            lines.append(
                f"| {row['from']:,} -> {row['to']:,} | {row['size_ratio']:.1f} | "
                f"{row['time_ratio']:.1f} | {row['memory_ratio']:.1f} |"
            )
    if result["stopped"]:
        lines += ["", f"Note: {result['stopped']}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    main()
