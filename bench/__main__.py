"""python -m bench: measure the ingest engine on the seed corpus.

Every figure is also given as a ratio to a floor measured in the same run (decoding the same
bytes), so results from different machines can be compared. Results go to
bench/results/ingest.json and bench/results/ingest.md.
"""

import json
import platform
import statistics
import time
from pathlib import Path

from articles.ingest import decode, extract

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROUNDS = 7
REPEAT = 40  # passes over the corpus per round


def _timed(fn, files: list[bytes]) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REPEAT):
            for data in files:
                fn(data)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) / (REPEAT * len(files))


def main() -> None:
    files = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    total_bytes = sum(len(f) for f in files)
    floor = _timed(lambda data: decode(data, max_bytes=10**8), files)
    full = _timed(lambda data: extract(decode(data, max_bytes=10**8).text), files)
    rows = [
        {"step": "decode (floor)", "ms_per_file": floor * 1000, "ratio_to_floor": 1.0},
        {
            "step": "decode + extract",
            "ms_per_file": full * 1000,
            "ratio_to_floor": full / floor,
        },
    ]
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "files": len(files),
        "mean_file_bytes": total_bytes / len(files),
        "files_per_second": 1 / full,
        "rows": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "| step | ms per file | ratio to floor |",
        "| --- | ---: | ---: |",
        *(f"| {r['step']} | {r['ms_per_file']:.3f} | {r['ratio_to_floor']:.1f} |" for r in rows),
        "",
        f"{result['files_per_second']:.0f} files per second on the seed corpus "
        f"(mean {result['mean_file_bytes']:.0f} bytes), Python {result['python']}.",
    ]
    (RESULTS / "ingest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
