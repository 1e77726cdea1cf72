"""python -m bench.summary: every target the benches record, on one screen, met or not.

Reads the targets tables of bench/results/*.md (a table with a `met` column) and prints one
line per target: met or NOT MET, the file, the row, the target and what was measured. It
measures nothing itself: `make bench` runs the load
test first, the other benches are run by hand (each file says how).
"""

import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
MET = {"met": True, "yes": True, "not met": False, "no": False}


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("*").strip() for cell in line.strip().strip("|").split("|")]


def targets(text: str) -> list[dict]:
    """The rows of every table in `text` that has a `met` column."""
    found, header = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if set(line) <= set("|-: ") or "met" not in header:
            continue
        row = dict(zip(header, cells, strict=False))
        verdict = row.get("met", "").lower()
        if verdict not in MET:
            continue
        measured = next(
            (row[k] for k in header if k not in ("met", "target", "wanted") and k != header[0]),
            "",
        )
        wanted = row.get("wanted") if header[0] == "target" else row.get("target")
        found.append(
            {
                "row": cells[0],
                "target": wanted or row.get("wanted") or "",
                "measured": row.get("measured") or measured,
                "met": MET[verdict],
            }
        )
    return found


def main() -> int:
    lines, missed = [], 0
    for path in sorted(RESULTS.glob("*.md")):
        rows = targets(path.read_text(encoding="utf-8"))
        if not rows:
            continue
        lines.append(path.name)
        for row in rows:
            missed += not row["met"]
            verdict = "met    " if row["met"] else "NOT MET"
            text = re.sub(r"\s+", " ", f"{row['row']} — {row['target']} — {row['measured']}")
            lines.append(f"  {verdict} {text[:150]}")
    print("\n".join(lines))
    print(f"\n{missed} target(s) not met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
