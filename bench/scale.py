"""python -m bench.scale: the site at scale, on SQLite and PostgreSQL.

- Ingest: `manage.py import_articles` of 10,000 generated plain-text files into an empty
  database (in transactions of 100 files, the engine in worker processes), on SQLite and
  on PostgreSQL: time, files per second, and CPU time of the writing process and of the
  workers. The comparison refresh that follows an import is timed apart.
- Comparison: `comparison_refresh()` from empty over the first 1,000 and over all 10,000 of
  the imported files, on SQLite and on PostgreSQL, and its growth against n log n; the
  ingest is reported with and without it (the import, then the refresh, in one process).
- Search (when `annotations.search` exists): latency of `search()` for a few kinds of query at
  10,000 articles and 100,000 annotations made by `bench.corpus`.

The files come from `bench.corpus`'s writer (wire stories copied by 2-4 outlets, and
unrelated stories). Every database is throwaway: a temporary SQLite file, and a PostgreSQL
database `astana_bench` made and dropped here (skipped when PostgreSQL cannot be reached;
BENCH_PG_URL names another server). Each measurement runs in a child process with
bench/settings.py. Results go to bench/results/scale.json and scale.md; nothing asserts on time.
"""

import argparse
import importlib.util
import io
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import child_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FILES = int(os.environ.get("BENCH_SCALE_FILES", "10000"))
SMALL = FILES // 10
SEED = 11
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/astana_bench")
SEARCH_ARTICLES, SEARCH_ANNOTATIONS, SEARCH_USERS = FILES, FILES * 10, 200
SEARCH_ROUNDS = 15


# --- Phases, each run in a child process with Django set up -------------------------------------


def _prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=io.StringIO())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def phase_ingest(files: str, compare: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from articles.comparison.store import comparison_refresh
    from articles.models import Article, Block

    _prepare_database()
    count = sum(1 for _ in Path(files).iterdir())
    cpu, children = time.process_time(), _children_cpu()
    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "import_articles", files, "--no-progress", "--no-compare", stdout=out, stderr=io.StringIO()
    )
    seconds = time.perf_counter() - started
    result = {
        "database": connection.vendor,
        "files": count,
        "seconds": seconds,
        "files_per_second": count / seconds,
        "cpu_main_seconds": time.process_time() - cpu,
        "cpu_workers_seconds": _children_cpu() - children,
        "summary": out.getvalue().strip().splitlines()[-1],
        "articles": Article.objects.count(),
        "blocks": Block.objects.count(),
    }
    if compare:
        started = time.perf_counter()
        report = comparison_refresh()
        result["compare_seconds"] = time.perf_counter() - started
        result["links"] = report.links
        result["pairs"] = report.pairs
    return result


def phase_search() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from annotations import search as site_search
    from annotations.models import Annotation
    from articles.models import Article
    from bench.corpus.generate import corpus_generate

    _prepare_database()
    started = time.perf_counter()
    corpus_generate(
        articles=SEARCH_ARTICLES,
        annotations=SEARCH_ANNOTATIONS,
        users=SEARCH_USERS,
        seed=SEED,
        compare=False,
    )
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    title = Article.objects.order_by("pk").values_list("title", flat=True).first()
    name = max(title.replace(":", " ").replace(",", " ").split(), key=len)
    queries = {
        "common word": "delegates",
        "two words": "prices percent",
        "rare name": name,
        "phrase": '"hand over their weapons"',
        "annotation note": "wire copy",
        "no match": "zzzxqvy",
    }
    reader = get_user_model().objects.get(username=f"reader-s{SEED}-0000")
    rows = []
    for who, user in (("anonymous", AnonymousUser()), ("signed in", reader)):
        for label, query in queries.items():
            site_search.search(user=user, query=query)  # warm the statement caches
            samples = []
            for _ in range(SEARCH_ROUNDS):
                began = time.perf_counter()
                results = site_search.search(user=user, query=query)
                samples.append(time.perf_counter() - began)
            samples.sort()
            rows.append(
                {
                    "reader": who,
                    "query": label,
                    "text": query,
                    "results": _total(results),
                    "median_ms": statistics.median(samples) * 1000,
                    "p95_ms": samples[min(len(samples) - 1, int(0.95 * len(samples)))] * 1000,
                }
            )
    return {
        "database": connection.vendor,
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "generate_seconds": generated,
        "rows": rows,
    }


def _total(results) -> int | None:
    total = getattr(results, "total", None)
    return total if isinstance(total, int) else None


# --- The run ----------------------------------------------------------------------------------


def _child(phase: list[str], env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--phase", *phase],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=4 * 3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sqlite(tmp: Path, name: str) -> str:
    return f"sqlite:///{tmp / name}"


def _postgres_fresh() -> str | None:
    """An empty PostgreSQL database for the bench, or None (with the reason printed)."""
    from urllib.parse import urlparse

    url = urlparse(PG_URL)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    args += ["-U", url.username or "postgres"]
    name = url.path.lstrip("/")
    try:
        subprocess.run(["dropdb", *args, "--if-exists", name], check=True, capture_output=True)
        subprocess.run(["createdb", *args, name], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"PostgreSQL skipped: {getattr(exc, 'stderr', b'') or exc}", flush=True)
        return None
    return PG_URL


def _postgres_drop() -> None:
    from urllib.parse import urlparse

    url = urlparse(PG_URL)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    args += ["-U", url.username or "postgres", "--if-exists", url.path.lstrip("/")]
    subprocess.run(["dropdb", *args], check=False, capture_output=True)


def phase_files(directory: Path, small: Path) -> dict:
    """FILES generated files in directory, the first SMALL of them also in small."""
    from bench.corpus.stories import synthetic_files

    total = 0
    for index, (name, data) in enumerate(synthetic_files(FILES, seed=SEED)):
        (directory / name).write_bytes(data)
        if index < SMALL:
            os.link(directory / name, small / name)
        total += len(data)
    return {"bytes": total}


def write_corpus(tmp: Path) -> tuple[Path, Path, int]:
    """The generated files (all of them, and the first tenth apart) under `tmp`, and their
    total size in bytes."""
    files, small = tmp / "files", tmp / "files-small"
    files.mkdir()
    small.mkdir()
    env = child_environment(tmp, _sqlite(tmp, "unused.db"))
    total = _child(["files", str(files), str(small)], env)["bytes"]
    print(f"{FILES:,} files written (mean {total / FILES:.0f} bytes).", flush=True)
    return files, small, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument(
        "--skip-search",
        action="store_true",
        help="Do not measure search: the search rows of the last run are carried over, marked.",
    )
    args = parser.parse_args()
    if args.phase:
        import django

        django.setup()
        kind, *rest = args.phase
        if kind == "files":
            result = phase_files(Path(rest[0]), Path(rest[1]))
        elif kind == "ingest":
            result = phase_ingest(rest[0], compare=rest[1:] == ["compare"])
        else:
            result = phase_search()
        print(json.dumps(result))
        return

    has_search = importlib.util.find_spec("annotations.search") is not None
    result: dict = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "files": FILES,
        "ingest": [],
        "compare": [],
        "search": [],
        "notes": [],
    }
    with tempfile.TemporaryDirectory(prefix="astana-scale-") as tmp_name:
        tmp = Path(tmp_name)
        files, small, total = write_corpus(tmp)
        result["mean_file_bytes"] = total / FILES

        for label in ("SQLite", "PostgreSQL"):
            for directory, size in ((small, SMALL), (files, FILES)):
                if label == "SQLite":
                    database = _sqlite(tmp, f"ingest-{size}.db")
                else:
                    database = _postgres_fresh()
                    if database is None:
                        result["notes"].append(
                            "PostgreSQL could not be reached: its ingest and comparison rows "
                            "are missing."
                        )
                        break
                print(f"Ingest of {size:,} files on {label}, then the comparison…", flush=True)
                try:
                    row = _child(
                        ["ingest", str(directory), "compare"], child_environment(tmp, database)
                    )
                finally:
                    if label == "SQLite":
                        for path in tmp.glob(f"ingest-{size}.db*"):
                            path.unlink()
                    else:
                        _postgres_drop()
                result["compare"].append(row)
                if size == FILES:
                    result["ingest"].append(row)
        shutil.rmtree(files)
        shutil.rmtree(small)

        if not has_search:
            result["notes"].append(
                "annotations.search does not exist in this checkout: no search rows."
            )
        elif args.skip_search:
            result["search"] = _previous_search()
            result["notes"].append(
                "Search was not measured in this run (--skip-search): its rows are those of "
                "the previous run, carried over."
                if result["search"]
                else "Search rows skipped (--skip-search)."
            )
        else:
            print("Search on SQLite…", flush=True)
            env = child_environment(tmp, _sqlite(tmp, "search.db"))
            result["search"].append(_child(["search"], env))
            pg = _postgres_fresh()
            if pg:
                print("Search on PostgreSQL…", flush=True)
                try:
                    result["search"].append(_child(["search"], child_environment(tmp, pg)))
                finally:
                    _postgres_drop()
    result["load_average_after"] = os.getloadavg()
    report(result)


def _previous_search() -> list[dict]:
    """The search rows of the last run written to scale.json (none when there is none)."""
    try:
        return list(json.loads((RESULTS / "scale.json").read_text()).get("search", []))
    except (OSError, ValueError):
        return []


def _workers_cpu(row: dict) -> str:
    # Workers a fork server started are not this process's children: getrusage misses them.
    seconds = row["cpu_workers_seconds"]
    return "\u2014" if row["database"] == "postgresql" and seconds == 0 else f"{seconds:.1f} s"


def report(result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Scale",
        "",
        f"Python {result['python']} on {result['cpus']} CPUs (load average afterwards "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_after'])}). Produced by "
        "`python -m bench.scale`; figures vary from run to run and machine to machine (this "
        "machine is shared: other work running beside the benchmark slows it).",
        "",
        f"## Ingest of {result['files']:,} files",
        "",
        f"Generated plain-text files (mean {result['mean_file_bytes']:.0f} bytes), imported "
        "into an empty database by `manage.py import_articles` (in transactions of 100 files, "
        "the engine in 2 worker processes). CPU is the writing process's and the workers' "
        "(\u2014 where a fork server started the workers, as on PostgreSQL, whose connection "
        'pool runs a thread: their CPU is not counted). "With comparison" adds the '
        "`comparison_refresh()` that follows in the same process (see below).",
        "",
        "| database | time | with comparison | files/s | CPU, writer | CPU, workers | articles "
        "| blocks |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['database']} | {r['seconds']:.1f} s | "
            f"{r['seconds'] + r['compare_seconds']:.1f} s | {r['files_per_second']:.0f} | "
            f"{r['cpu_main_seconds']:.1f} s | {_workers_cpu(r)} | "
            f"{r['articles']:,} | {r['blocks']:,} |"
            for r in result["ingest"]
        ),
        "",
        "## Comparison links",
        "",
        "`comparison_refresh()` from empty right after importing the first n files (the "
        "engine in 2 forked worker processes on both databases: PostgreSQL's connection pool "
        "is closed first, its threads would keep the process from forking).",
        "",
        "| database | articles | time | ms/article | pairs | links |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['database']} | {r['files']:,} | {r['compare_seconds']:.1f} s | "
            f"{r['compare_seconds'] / r['files'] * 1000:.1f} | {r['pairs']:,} | {r['links']:,} |"
            for r in result["compare"]
        ),
    ]
    for database in ("sqlite", "postgresql"):
        rows = sorted(
            (r for r in result["compare"] if r["database"] == database), key=lambda r: r["files"]
        )
        if len(rows) == 2:
            small, large = rows
            n0, n1 = small["files"], large["files"]
            growth = large["compare_seconds"] / small["compare_seconds"]
            nlogn = (n1 * math.log(n1)) / (n0 * math.log(n0))
            lines += [
                "",
                f"{database}: from {n0:,} to {n1:,} articles the time grows {growth:.1f}×; "
                f"n log n grows {nlogn:.1f}× and n {n1 / n0:.0f}× "
                f"({growth / nlogn:.2f} × n log n).",
            ]
    lines += ["", "## Search", ""]
    if result["search"]:
        first = result["search"][0]
        lines += [
            f"`annotations.search.search()` at {first['articles']:,} articles and "
            f"{first['annotations']:,} annotations made by `bench.corpus` (one process, "
            f"median and 95th percentile of {SEARCH_ROUNDS} runs after one warm-up).",
            "",
            "| database | reader | query | results | median | p95 |",
            "| --- | --- | --- | ---: | ---: | ---: |",
            *(
                f"| {s['database']} | {r['reader']} | {r['query']} (`{r['text']}`) | "
                f"{'' if r['results'] is None else format(r['results'], ',')} | "
                f"{r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms |"
                for s in result["search"]
                for r in s["rows"]
            ),
        ]
    lines += ["", *targets(result)]
    lines += [f"- {note}" for note in result["notes"]]
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _met(met: bool) -> str:
    return "yes" if met else "no"


def targets(result: dict) -> list[str]:
    """The issue's targets for this machine, against what this run measured (the ingest and
    comparison ones on each database)."""
    lines = [
        "## Targets",
        "",
        "| target | wanted | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    for database in ("sqlite", "postgresql"):
        ingest = next((r for r in result["ingest"] if r["database"] == database), None)
        if ingest:
            seconds = ingest["seconds"]
            lines.append(
                f"| ingest of {ingest['files']:,} files, {database} | ≤ 60 s | {seconds:.1f} s "
                f"(with the comparison {seconds + ingest['compare_seconds']:.1f} s) | "
                f"{_met(seconds <= 60)} |"
            )
        rows = sorted(
            (r for r in result["compare"] if r["database"] == database), key=lambda r: r["files"]
        )
        if rows:
            large = rows[-1]
            lines.append(
                f"| comparison links over {large['files']:,} articles, {database} | ≤ 60 s | "
                f"{large['compare_seconds']:.1f} s | {_met(large['compare_seconds'] <= 60)} |"
            )
        if len(rows) == 2:
            (small, large), n0, n1 = rows, rows[0]["files"], rows[1]["files"]
            ratio = (large["compare_seconds"] / small["compare_seconds"]) / (
                (n1 * math.log(n1)) / (n0 * math.log(n0))
            )
            lines.append(
                f"| comparison growth, {n0:,} → {n1:,}, {database} | no faster than n log n | "
                f"{ratio:.2f} × n log n | {_met(ratio <= 1)} |"
            )
    for search in result["search"]:
        worst = max(search["rows"], key=lambda r: r["median_ms"])
        lines.append(
            f"| search at {search['articles']:,} articles, {search['database']} | "
            f"median ≤ 50 ms for every query | slowest median {worst['median_ms']:.1f} ms "
            f"({worst['query']}, {worst['reader']}) | {_met(worst['median_ms'] <= 50)} |"
        )
    return lines


if __name__ == "__main__":
    main()
