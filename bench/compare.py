"""python -m bench.compare: speed and memory of the comparison engine.

Three parts (measures, never asserts); parts 1 and 3 are measured in one run:

1. The seeds: time and peak memory (tracemalloc) of `compare` on the five seed bodies.
2. Quality per category against difflib and CollateX is `python -m bench.compare_quality`
   (bench/results/compare_quality.md).
3. Generated corpora (seeded RNG): wire stories copied with small edits by 2-4 "outlets",
   mixed with unrelated texts made of random words and shuffled seed sentences; every article
   has one of `OUTLETS` outlets, most of which append their own line to their articles (outlet
   boilerplate), and wire paragraphs are reprinted by 50-300 articles each. For 1,000, 3,000
   and 10,000 articles: the time of the full computation (`WORKERS` processes), its memory,
   the pairs compared and links found, the wire clusters and what finding them costs,
   incremental adds, the growth against n log n; the cost of `preload` (the database-backed
   use) and of adds after it.

Each corpus size is measured in a fresh process (so that its peak resident memory is its
own); tracemalloc, which slows everything several times, traces the 1,000-article run only.
Results go to bench/results/compare.json and bench/results/compare.md.
"""

from __future__ import annotations

import gc
import json
import math
import multiprocessing
import os
import platform
import random
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import accumulate, pairwise
from pathlib import Path

from articles.comparison.engine import CorpusIndex, compare
from articles.ingest import decode, extract, sentence_spans

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOLD = ROOT / "tests" / "data" / "seed_gold.json"
SEED = 20170123  # the first day of the Astana talks
SIZES = (1_000, 3_000, 10_000)
TRACED_SIZE = 1_000  # the only size run under tracemalloc
PRELOAD_SIZE = 10_000
ADDS = 10
SEED_ROUNDS = 7
# Each corpus size (and the preload) is built this many times, the sizes interleaved (each
# round runs every size once), and reported as the median run with the spread of all.
REPEATS = 3
OUTLETS = 200  # outlets of the generated articles
WORKERS = 2  # processes of the full computation (the target: 2 cores)
WIRE_PER_THOUSAND = 2  # wire paragraphs per 1,000 articles, each reprinted 50-300 times
TARGET_SIZE, TARGET_SECONDS = 10_000, 60.0  # issue 19: 10,000 articles in 60 s on 2 cores


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


# --- Generated corpora ---------------------------------------------------------------------


def _seed_sentences(bodies: dict[str, str]) -> list[str]:
    out = []
    for body in bodies.values():
        for paragraph in re.finditer(r"[^\n]+", body):
            for start, end in sentence_spans(body, paragraph.start(), paragraph.end()):
                out.append(body[start:end])
    return out


# Lines outlets append to their articles, with no comment or licence marker: each outlet's
# own line is masked as its boilerplate (it repeats it across its own articles).
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
        # Cumulated once: random.choices draws exactly as with the weights, only faster.
        self.cum_weights = list(accumulate(self.weights))

    def _invent(self) -> str:
        letters = "etaoinshrdlucmfwypvbgkqjxz"
        return "".join(
            self.rng.choice(letters[: self.rng.randint(8, 26)])
            for _ in range(self.rng.randint(2, 10))
        )

    def random_sentence(self) -> str:
        """A sentence of Zipf-distributed words from the vocabulary."""
        count = self.rng.randint(8, 28)
        words = self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count)
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
        """Join sentences into a body; some add a boilerplate line (no marker)."""
        if self.rng.random() < 0.3:
            sentences = [*sentences, self.rng.choice(BOILERPLATE)]
        return "\n\n".join(sentences)

    def outlet_line(self, outlet: int) -> str | None:
        """The line an outlet appends to its articles (three in four outlets have one)."""
        return None if outlet % 4 == 3 else f"{BOILERPLATE[outlet % 3]} (Outlet {outlet}.)"

    def corpus_with_outlets(self, size: int) -> tuple[dict[str, str], dict[str, str]]:
        """`corpus(size)` with an outlet for each article (its own line appended to most of
        its articles) and wire paragraphs reprinted by 50-300 articles each."""
        bodies = self.corpus(size)
        keys = sorted(bodies)
        outlets = {key: f"outlet {self.rng.randrange(OUTLETS)}" for key in keys}
        for _ in range(max(1, size * WIRE_PER_THOUSAND // 1000)):
            # An outlet reprints a wire paragraph once or twice, never in every article.
            wire = " ".join(self.random_sentence() for _ in range(3))
            wanted = self.rng.randint(50, 300)
            per_outlet: dict[str, int] = {}
            for key in self.rng.sample(keys, len(keys)):
                if len(per_outlet) and sum(per_outlet.values()) >= wanted:
                    break
                if per_outlet.get(outlets[key], 0) < 2:
                    per_outlet[outlets[key]] = per_outlet.get(outlets[key], 0) + 1
                    bodies[key] = f"{bodies[key]}\n\n{wire}"
        for key in keys:
            line = self.outlet_line(int(outlets[key].split()[1]))
            if line is not None and self.rng.random() < 0.8:
                bodies[key] = f"{bodies[key]}\n\n{line}"
        return bodies, outlets

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


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS: now, VmHWM: peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _rss_mib() -> float:
    """The resident memory of this process now."""
    return _status_mib("VmRSS")


def _reset_peak() -> None:
    """Start measuring the peak resident memory afresh (Linux: /proc/self/clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mib() -> float:
    """The peak resident memory since the last `_reset_peak`."""
    return _status_mib("VmHWM")


def _near_copies(bodies: dict[str, str], count: int) -> dict[str, tuple[str, str]]:
    """New articles: edited copies of some of the corpus's articles (seeded), with the key of
    the article each copies."""
    keys = list(bodies)
    extra = CorpusMaker({"x": " ".join(bodies[k] for k in keys[:3])}, seed=SEED + 1)
    out = {}
    for i in range(count):
        source = keys[i * 7 % len(keys)]
        out[f"new{i}"] = (source, "\n\n".join(extra.edit(bodies[source].split("\n\n"))))
    return out


def _adds(index: CorpusIndex, bodies: dict[str, str], outlets: dict[str, str]) -> dict:
    """Add new articles one by one (of the outlet of the article each copies), reading its
    links and wire clusters after: median time, and pairs recomputed and reported per add."""
    seconds, computed, changed, wired = [], [], [], []
    for key, (source, body) in _near_copies(bodies, ADDS).items():
        index.take_changed_pairs()
        before = index.pairs_compared
        started = time.perf_counter()
        index.add(key, body, outlet=outlets[source])
        index.links_for(key)
        wired.append(len(index.wire_for(key)))
        seconds.append(time.perf_counter() - started)
        computed.append(index.pairs_compared - before)
        changed.append(len(index.take_changed_pairs()))
    return {
        "add_ms_median": 1000 * statistics.median(seconds),
        "add_ms_max": 1000 * max(seconds),
        "add_pairs_computed_mean": statistics.mean(computed),
        "add_pairs_changed_mean": statistics.mean(changed),
        "add_wire_clusters_mean": statistics.mean(wired),
    }


def build_run(bodies: dict[str, str], outlets: dict[str, str]) -> dict:
    """In a fresh process: the full computation, timed, with its peak resident memory."""
    gc.collect()
    rss_before = _rss_mib()
    _reset_peak()
    wall, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    index = CorpusIndex.from_bodies(bodies, outlets=outlets, workers=WORKERS)
    comparison = index.comparison()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    workers_cpu = _children_cpu() - workers_cpu
    rss_peak = _peak_rss_mib()
    started = time.perf_counter()
    clusters = index.wire_clusters()
    wire_seconds = time.perf_counter() - started
    row = {
        "articles": len(bodies),
        "words": sum(len(body.split()) for body in bodies.values()),
        "seconds": wall,
        "cpu_seconds": cpu,
        "workers_cpu_seconds": workers_cpu,
        "rss_before_mib": rss_before,
        "rss_peak_mib": rss_peak,
        "pairs_compared": index.pairs_compared,
        "all_pairs": len(bodies) * (len(bodies) - 1) // 2,
        "links": len(comparison.links),
        "groups": len(comparison.groups),
        "wire_clusters": len(clusters),
        "wire_holders_max": max((c.count for c in clusters), default=0),
        "wire_memberships": sum(c.count for c in clusters),
        "wire_seconds": wire_seconds,
    }
    row.update(_adds(index, bodies, outlets))
    return row


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the forked workers, once stopped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def preload_run(bodies: dict[str, str], outlets: dict[str, str]) -> dict:
    """In a fresh process: preload a whole corpus, then add articles to it."""
    gc.collect()
    rss_before = _rss_mib()
    _reset_peak()
    index = CorpusIndex()
    wall, cpu = time.perf_counter(), time.process_time()
    index.preload(bodies, outlets=outlets)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    row = {
        "articles": len(bodies),
        "seconds": wall,
        "cpu_seconds": cpu,
        "rss_before_mib": rss_before,
        "rss_after_preload_mib": _peak_rss_mib(),
        "pairs_compared": index.pairs_compared,
    }
    row.update(_adds(index, bodies, outlets))
    row["rss_peak_mib"] = _peak_rss_mib()
    return row


def traced_run(bodies: dict[str, str], outlets: dict[str, str]) -> dict:
    """The full computation under tracemalloc: peak traced memory (and the slowed time)."""
    seconds, peak = _peak(lambda: CorpusIndex.from_bodies(bodies, outlets=outlets).comparison())
    return {"traced_seconds": seconds, "traced_peak_mib": peak / 2**20}


def _fresh(fn: Callable[..., dict], *args: object) -> dict:
    """Run one measurement in a new interpreter, so that its memory figures are its own. The
    interpreter is an executor's (not a `multiprocessing.Pool`'s, whose daemonic processes
    may not start the engine's workers)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        return executor.submit(fn, *args).result()


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
    maker = CorpusMaker(bodies)
    corpora = {size: maker.corpus_with_outlets(size) for size in SIZES}
    runs: dict[int, list[dict]] = {size: [] for size in SIZES}
    preloads: list[dict] = []
    for round_number in range(REPEATS):
        for size in SIZES:
            load = os.getloadavg()[0]
            row = _fresh(build_run, *corpora[size])
            row["load_average_before"] = load
            runs[size].append(row)
            print(
                f"round {round_number + 1}, {size} articles: {row['seconds']:.1f} s "
                f"({row['cpu_seconds']:.1f} s CPU), peak RSS {row['rss_peak_mib']:.0f} MiB, "
                f"{row['pairs_compared']} pairs compared, {row['wire_clusters']} wire clusters "
                f"(up to {row['wire_holders_max']} articles) in "
                f"{row['wire_seconds'] * 1000:.0f} ms, add {row['add_ms_median']:.0f} ms",
                flush=True,
            )
        load = os.getloadavg()[0]
        preloaded = _fresh(preload_run, *corpora[PRELOAD_SIZE])
        preloaded["load_average_before"] = load
        preloads.append(preloaded)
        print(
            f"round {round_number + 1}, preload of {PRELOAD_SIZE}: {preloaded['seconds']:.1f} s",
            flush=True,
        )
    generated = []
    for size in SIZES:
        row = _median_run(runs[size])
        if size == TRACED_SIZE:
            row.update(traced_run(*corpora[size]))
        generated.append(row)
    preloaded = _median_run(preloads)
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "seeds": seeds,
        "generated": generated,
        "growth": _growth(generated),
        "preload": preloaded,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "compare.md").write_text(_markdown(result), encoding="utf-8")
    print(_markdown(result))


def _n_log_n(n: int) -> float:
    return n * math.log(n)


def _median_run(rows: list[dict]) -> dict:
    """The run of median wall time, with every run's wall time (the spread) beside it."""
    ordered = sorted(rows, key=lambda row: row["seconds"])
    return {**ordered[len(ordered) // 2], "seconds_runs": [row["seconds"] for row in rows]}


def _spread(row: dict) -> str:
    """ "92.0 s (88.1–97.3)": the median run and the fastest and slowest of all runs."""
    runs = row.get("seconds_runs") or [row["seconds"]]
    return f"{row['seconds']:.1f} s ({min(runs):.1f}–{max(runs):.1f})"


def _growth(rows: list[dict]) -> list[dict]:
    """Ratios between sizes: time (wall and CPU), memory the build added, against n log n."""
    out = []
    steps = [*pairwise(rows)]
    if len(rows) > 2:
        steps.append((rows[0], rows[-1]))
    for before, after in steps:
        out.append(
            {
                "from": before["articles"],
                "to": after["articles"],
                "size_ratio": after["articles"] / before["articles"],
                "n_log_n_ratio": _n_log_n(after["articles"]) / _n_log_n(before["articles"]),
                "time_ratio": after["seconds"] / before["seconds"],
                "cpu_ratio": _cpu(after) / _cpu(before),
                "pairs_ratio": after["pairs_compared"] / before["pairs_compared"],
                "memory_ratio": _built(after) / _built(before),
            }
        )
    return out


def _targets(result: dict) -> list[str]:
    """Issue 19's targets against this run: the size of the target in TARGET_SECONDS with
    WORKERS processes (the median run and the slowest), and growth no worse than n log n."""
    lines = [
        "## Targets",
        "",
        "| target | wanted | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    rows = {row["articles"]: row for row in result["generated"]}
    if TARGET_SIZE in rows:
        row = rows[TARGET_SIZE]
        slowest = max(row.get("seconds_runs") or [row["seconds"]])
        met = (
            "yes"
            if slowest <= TARGET_SECONDS
            else "median only"
            if row["seconds"] <= TARGET_SECONDS
            else "no"
        )
        lines.append(
            f"| comparison of {TARGET_SIZE:,} generated articles, {WORKERS} workers | "
            f"≤ {TARGET_SECONDS:.0f} s | {_spread(row)} | {met} |"
        )
    for growth in result["growth"]:
        if (growth["from"], growth["to"]) == (min(rows), max(rows)):
            worse = growth["time_ratio"] > growth["n_log_n_ratio"]
            lines.append(
                f"| growth, {growth['from']:,} → {growth['to']:,} articles | no worse than "
                f"n log n (×{growth['n_log_n_ratio']:.1f}) | time ×{growth['time_ratio']:.1f}, "
                f"CPU ×{growth['cpu_ratio']:.1f} | {'no' if worse else 'yes'} |"
            )
    return lines


def _cpu(row: dict) -> float:
    """CPU seconds of a build: its process's and its workers'."""
    return row["cpu_seconds"] + row.get("workers_cpu_seconds", 0.0)


def _built(row: dict) -> float:
    """The resident memory a build added to its process (peak minus before it began)."""
    return row["rss_peak_mib"] - row["rss_before_mib"]


def _markdown(result: dict) -> str:
    seeds = result["seeds"]
    lines = [
        "# Comparison engine benchmark",
        "",
        f"Python {result['python']} on {result['machine']} ({result['cpus']} CPUs). Produced by "
        "`python -m bench.compare`; figures vary from run to run and machine to machine.",
        "",
        "## Seeds",
        "",
        f"{seeds['articles']} articles, {seeds['chars']} characters: "
        f"{seeds['seconds_median'] * 1000:.0f} ms (median of {SEED_ROUNDS}), "
        f"peak {seeds['peak_mib']:.1f} MiB traced, {seeds['links']} links.",
        "",
        "Quality per category against difflib and CollateX: `python -m bench.compare_quality` "
        "(bench/results/compare_quality.md).",
    ]
    lines += [
        "",
        "## Generated corpora",
        "",
        "Wire stories copied with edits by 2-4 outlets (about half the articles) mixed with "
        "unrelated texts of random words and shuffled seed sentences; each article has one of "
        f"{OUTLETS} outlets (most append their own line: outlet boilerplate), and "
        f"{WIRE_PER_THOUSAND} wire paragraphs per 1,000 articles are reprinted by 50-300 "
        "articles each (at most two per outlet); seeded RNG. Each size runs in a fresh "
        f"process: time and CPU time (this process's, and its {WORKERS} forked workers' "
        "together) of one `CorpusIndex.from_bodies(..., workers="
        f"{WORKERS}).comparison()`, the peak resident memory of that process "
        "and how much the build added to it (the interpreter and the corpus were there "
        "before). An add is one `CorpusIndex.add` of a near-copy into the built index; pairs "
        "computed and reported changed are per add. The machine is shared: the load average "
        f"when each run began is given. Each size is built {REPEATS} times, the sizes "
        "interleaved; the row is the median run, with the fastest and slowest.",
        "",
        "| articles | words | time, median (fastest–slowest) | CPU, this process | "
        "CPU, workers | peak RSS MiB "
        "| build added MiB | pairs compared | of all pairs | links | add (ms) "
        "| pairs per add | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for row in result["generated"]:
        lines.append(
            f"| {row['articles']:,} | {row['words']:,} | {_spread(row)} | "
            f"{row['cpu_seconds']:.1f} s | {row.get('workers_cpu_seconds', 0.0):.1f} s | "
            f"{row['rss_peak_mib']:.0f} | {_built(row):.0f} | "
            f"{row['pairs_compared']:,} | {row['all_pairs']:,} | {row['links']:,} | "
            f"{row['add_ms_median']:.1f} | {row['add_pairs_computed_mean']:.1f} | "
            f"{row['load_average_before']:.1f} |"
        )
    lines += ["", "| articles | wire clusters | most holders | memberships | found in |"]
    lines.append("| ---: | ---: | ---: | ---: | ---: |")
    for row in result["generated"]:
        lines.append(
            f"| {row['articles']:,} | {row['wire_clusters']} | {row['wire_holders_max']} | "
            f"{row['wire_memberships']:,} | {row['wire_seconds'] * 1000:.0f} ms |"
        )
    traced = [row for row in result["generated"] if "traced_peak_mib" in row]
    for row in traced:
        lines += [
            "",
            f"Traced by tracemalloc ({row['articles']:,} articles): peak "
            f"{row['traced_peak_mib']:.0f} MiB of Python allocations (the run took "
            f"{row['traced_seconds']:.1f} s traced). Larger sizes are not traced (it is slow); "
            "their memory is the resident figure above.",
        ]
    lines += [
        "",
        "| growth | size x | n log n x | time x | CPU x (with the workers') | pairs x "
        "| build memory x |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["growth"]:
        lines.append(
            f"| {row['from']:,} -> {row['to']:,} | {row['size_ratio']:.1f} | "
            f"{row['n_log_n_ratio']:.1f} | {row['time_ratio']:.1f} | {row['cpu_ratio']:.1f} | "
            f"{row['pairs_ratio']:.1f} | {row['memory_ratio']:.1f} |"
        )
    lines += ["", *_targets(result)]
    pre = result["preload"]
    lines += [
        "",
        "## Preload (the database-backed use)",
        "",
        f"`CorpusIndex.preload` of {pre['articles']:,} articles (n-grams counted, no pair, "
        f"framing or attribution computed): {_spread(pre)}, median of {REPEATS} "
        f"({pre['cpu_seconds']:.1f} s "
        f"CPU, {1000 * pre['seconds'] / pre['articles']:.2f} ms per article), "
        f"{pre['pairs_compared']} pairs compared; resident memory "
        f"{pre['rss_before_mib']:.0f} MiB before, {pre['rss_after_preload_mib']:.0f} MiB after. "
        f"Then adding a near-copy: {pre['add_ms_median']:.1f} ms (median of {ADDS}), "
        f"{pre['add_pairs_computed_mean']:.1f} pairs computed and "
        f"{pre['add_pairs_changed_mean']:.1f} reported changed per add.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    main()
