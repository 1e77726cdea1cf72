"""python -m bench.ingest_scale: the 10,000-file import alone, repeated, on both databases.

The target (10,000 plain-text files in at most 60 s on 2 cores) is about `manage.py
import_articles` without the comparison refresh. `bench.scale` measures it once per database
beside the comparison and search; this runs only the import, three rounds, SQLite and
PostgreSQL interleaved in each round, and reports the median with the fastest and slowest.
The files are the same generated corpus as `bench.scale`'s. Results go to
bench/results/ingest_scale.json and .md; nothing asserts.
"""

import json
import os
import platform
import statistics
import tempfile
from pathlib import Path

from bench.scale import (
    FILES,
    RESULTS,
    _child,
    _environment,
    _postgres_drop,
    _postgres_fresh,
    _sqlite,
    write_corpus,
)

ROUNDS = 3
TARGET_SECONDS = 60.0


def main() -> None:
    runs: dict[str, list[dict]] = {"sqlite": [], "postgresql": []}
    with tempfile.TemporaryDirectory(prefix="astana-ingest-scale-") as tmp_name:
        tmp = Path(tmp_name)
        files, _small, total = write_corpus(tmp)
        for round_number in range(1, ROUNDS + 1):
            for database in ("sqlite", "postgresql"):
                if database == "sqlite":
                    url = _sqlite(tmp, f"ingest-{round_number}.db")
                else:
                    url = _postgres_fresh()
                    if url is None:
                        continue
                print(f"Round {round_number}: import on {database}…", flush=True)
                try:
                    row = _child(["ingest", str(files)], _environment(tmp, url))
                finally:
                    if database == "sqlite":
                        for path in tmp.glob(f"ingest-{round_number}.db*"):
                            path.unlink()
                    else:
                        _postgres_drop()
                runs[database].append(row)
                print(f"  {row['seconds']:.1f} s", flush=True)
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "files": FILES,
        "mean_file_bytes": total / FILES,
        "rounds": ROUNDS,
        "runs": runs,
        "load_average_after": os.getloadavg(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest_scale.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Import of {FILES:,} generated text files",
        "",
        f"`manage.py import_articles` into an empty database (transactions of 100 files, the "
        f"engine in 2 worker processes, no comparison refresh), {ROUNDS} rounds with SQLite and "
        f"PostgreSQL interleaved; Python {result['python']} on {result['cpus']} CPUs (load "
        f"average afterwards {', '.join(f'{x:.1f}' for x in result['load_average_after'])}); "
        f"mean file {result['mean_file_bytes']:.0f} bytes.",
        "",
        "| database | median | fastest–slowest | files/s (median) | target | met |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for database, rows in runs.items():
        if not rows:
            lines.append(f"| {database} | not run (server not reachable) | | | | |")
            continue
        seconds = [r["seconds"] for r in rows]
        median = statistics.median(seconds)
        lines.append(
            f"| {database} | {median:.1f} s | {min(seconds):.1f}–{max(seconds):.1f} s | "
            f"{FILES / median:.0f} | ≤ {TARGET_SECONDS:.0f} s | "
            f"{'yes' if median <= TARGET_SECONDS else '**no**'} |"
        )
    (RESULTS / "ingest_scale.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
