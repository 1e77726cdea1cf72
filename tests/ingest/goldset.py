"""Score the ingest engine against the labelled gold set (tests/data/ingest/).

    python -m tests.ingest.goldset dev|test [--json]

Each page goes through the engine the way the app imports it: a text copy through
`articles.ingest.decode` and `articles.ingest.extract` with the seeded outlets' signatures, a
saved page through `articles.ingest.html.extract_html` (while that engine is missing, saved pages
are listed as not scored). Per page and overall it reports: headline, date, byline, dateline and
language right; story-paragraph recall with the lost paragraphs; junk lines (body blocks other
than the title that are in no labelled paragraph, heading or headline); and whether the page
came out fully clean. It measures; it never asserts and never tunes anything.
"""

import argparse
import importlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from articles.ingest import Extraction, IngestError, Kind, OutletSignature, decode, extract

GOLD = Path(__file__).resolve().parents[1] / "data" / "ingest"
MAX_BYTES = 5 * 1024 * 1024  # the app's default ASTANA_IMPORT_MAX_BYTES
FIELDS = ("headline", "date", "byline", "dateline", "language")
NOT_SCORED = "not scored (no HTML engine)"
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»″", '"') | dict.fromkeys("‘’‚‛′ʼ", "'"))
# The end of an opening dateline formula: a dash or a colon after the place (and agency).
_DATELINE_END = re.compile(r"\s[—–-]+\s|:\s|\s[—–-]+(?=\S)|/\.\s")
DATELINE_SCAN = 80  # characters after the place searched for the formula's end


def normalise(text: str) -> str:
    """Whitespace collapsed and curly or angle quotes made straight, for comparing texts."""
    return " ".join(text.translate(_QUOTES).split())


@cache
def seed_outlets() -> tuple[OutletSignature, ...]:
    """The outlets and agencies the app seeds (articles/migrations/0002_seed_outlets.py)."""
    seeds = importlib.import_module("articles.migrations.0002_seed_outlets").OUTLETS
    return tuple(
        OutletSignature(key=slug, name=name, signatures=tuple(signatures), is_agency=is_agency)
        for name, slug, _home, _country, is_agency, signatures, _notes in seeds
    )


@dataclass(slots=True)
class PageScore:
    key: str
    format: str
    scored: bool = True
    note: str = ""
    headline: bool = False
    date: bool = False
    byline: bool = False
    dateline: bool = False
    language: bool = False
    paragraphs: int = 0
    kept: int = 0
    lost: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    got: dict[str, object] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return (
            self.scored
            and all(getattr(self, name) for name in FIELDS)
            and not self.lost
            and not self.junk
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"clean": self.clean}


def run_engine(page: Path, gold: dict) -> Extraction | None:
    """The engine's reading of one page, or None when saved pages cannot be read yet."""
    data = page.read_bytes()
    if gold["format"] == "html":
        try:
            html = importlib.import_module("articles.ingest.html")
        except ImportError:
            return None
        # A saved page dropped by a user: no address comes with it.
        result = html.extract_html(data, url=None, outlets=seed_outlets())
        return getattr(result, "extraction", result)
    decoded = decode(data, max_bytes=MAX_BYTES)
    return extract(decoded.text, outlets=seed_outlets())


def date_right(gold: str | None, got: datetime | date | None) -> bool:
    """Same day; same time to the minute when the gold has a time; same offset when both
    give one."""
    if gold is None or got is None:
        return gold is None and got is None
    want = datetime.fromisoformat(gold) if "T" in gold else date.fromisoformat(gold)
    if (
        isinstance(want, datetime)
        and isinstance(got, datetime)
        and want.tzinfo is not None
        and got.tzinfo is not None
    ):
        # Both name their zone: the same instant to the minute is the same date and time, in
        # whichever zone it is written (the page's 15:53 EDT is 19:53 UTC in its JSON-LD).
        return abs((want - got).total_seconds()) < 60
    got_day = got.date() if isinstance(got, datetime) else got
    want_day = want.date() if isinstance(want, datetime) else want
    if got_day != want_day:
        return False
    if not isinstance(want, datetime):
        return True
    if not isinstance(got, datetime) or (got.hour, got.minute) != (want.hour, want.minute):
        return False
    if want.tzinfo is not None and got.tzinfo is not None:
        return want.utcoffset() == got.utcoffset()
    return True


def dateline_right(gold: dict | None, place: str, agency: str) -> bool:
    """Place casefold-equal (or the city alone, when the gold adds a region), and agency equal
    when the gold names one; null = no dateline."""
    if gold is None:
        return not place.strip()
    got_place = normalise(place).casefold().strip(" ,")
    want_place = normalise(gold["place"]).casefold()
    # The place is the city; a region or country printed after it ("KABUL, Afghanistan",
    # "دمشق، سوريا") may be left out, never replaced.
    city = re.split(r"\s*[,،]\s*", want_place, maxsplit=1)[0]
    if got_place not in (want_place, city):
        return False
    return gold["agency"] is None or normalise(agency).casefold() == gold["agency"].casefold()


def strip_dateline(paragraph: str, place: str) -> str:
    """The paragraph without its opening "PLACE (Agency) —" formula."""
    if not paragraph.casefold().startswith(place.casefold()):
        return paragraph
    found = _DATELINE_END.search(paragraph, len(place), len(place) + DATELINE_SCAN)
    return paragraph[found.end() :].lstrip() if found else paragraph


def score_page(page: Path, gold: dict) -> PageScore:
    """One page's score against its label."""
    score = PageScore(key=page.stem, format=gold["format"], paragraphs=len(gold["paragraphs"]))
    try:
        got = run_engine(page, gold)
    except IngestError as exc:
        # A page the engine refuses counts: every check wrong, every paragraph lost.
        score.note, score.lost = f"refused: {exc}", list(gold["paragraphs"])
        return score
    if got is None:
        score.scored, score.note = False, NOT_SCORED
        return score
    published = got.published
    score.got = {
        "headline": got.title,
        "published": published.isoformat() if published is not None else None,
        "authors": list(got.authors),
        "dateline": got.dateline,
        "dateline_agency": got.dateline_agency,
        "language": got.language,
    }
    score.headline = normalise(got.title) == normalise(gold["headline"])
    score.date = date_right(gold["published"], published)
    score.byline = {normalise(a).casefold() for a in got.authors} == {
        normalise(a).casefold() for a in gold["byline"]
    }
    score.dateline = dateline_right(gold["dateline"], got.dateline, got.dateline_agency)
    score.language = got.language == gold["language"]
    body = normalise(got.body)
    for index, paragraph in enumerate(gold["paragraphs"]):
        text = normalise(paragraph)
        if index == 0 and gold["dateline"] is not None:
            text = strip_dateline(text, normalise(gold["dateline"]["place"]))
        if text in body:
            score.kept += 1
        else:
            score.lost.append(paragraph)
    allowed = [normalise(t) for t in [gold["headline"], *gold["paragraphs"], *gold["headings"]]]
    title_seen = False
    for block in got.blocks:
        if not block.in_body:
            continue
        if block.kind is Kind.TITLE and not title_seen:
            title_seen = True
            continue
        text = normalise(block.text)
        if text and not any(text in gold_text for gold_text in allowed):
            score.junk.append(block.text)
    return score


def score_part(part: str) -> list[PageScore]:
    """Every page of one part, in key order."""
    folder = GOLD / part
    scores = []
    for label in sorted(folder.glob("*.json")):
        gold = json.loads(label.read_text(encoding="utf-8"))
        page = label.with_suffix(".txt" if gold["format"] == "text" else ".html")
        scores.append(score_page(page, gold))
    return scores


def totals(scores: Sequence[PageScore]) -> dict[str, object]:
    """The overall figures over the scored pages."""
    scored = [s for s in scores if s.scored]
    n = len(scored)
    paragraphs = sum(s.paragraphs for s in scored)
    kept = sum(s.kept for s in scored)
    junk = sum(len(s.junk) for s in scored)

    def share(count: int, of: int) -> float:
        return round(count / of, 4) if of else 0.0

    out: dict[str, object] = {"pages": len(scores), "scored": n}
    for name in FIELDS:
        out[name] = share(sum(getattr(s, name) for s in scored), n)
    out |= {
        "paragraphs": paragraphs,
        "paragraphs_kept": kept,
        "paragraph_recall": share(kept, paragraphs),
        "lost_paragraphs": paragraphs - kept,
        "junk_lines": junk,
        "junk_per_page": share(junk, n),
        "clean_pages": sum(s.clean for s in scored),
        "clean": share(sum(s.clean for s in scored), n),
    }
    return out


def _mark(ok: bool) -> str:
    return "ok" if ok else "--"


def render(part: str, scores: Sequence[PageScore], summary: dict, seconds: float) -> str:
    """The per-page table, the lost and junk lines, and the totals, as text."""
    width = max([len(s.key) for s in scores] + [4])
    head = f"{'page':<{width}}  head date byl  dl   lang recall  junk clean"
    rows = [f"ingest gold set, {part} part", head, "-" * len(head)]
    for s in scores:
        if not s.scored:
            rows.append(f"{s.key:<{width}}  {s.note}")
            continue
        marks = "   ".join(_mark(getattr(s, name)) for name in FIELDS)
        rows.append(
            f"{s.key:<{width}}  {marks}  {s.kept:>2}/{s.paragraphs:<2}  {len(s.junk):>4} "
            f"{'yes' if s.clean else 'no':>5}"
        )
    details = []
    for s in scores:
        details += [f"  {s.key}: {s.note}"] if s.scored and s.note else []
        details += [f"  {s.key}: lost  {line[:90]!r}" for line in s.lost]
        details += [f"  {s.key}: junk  {line[:90]!r}" for line in s.junk]
    if details:
        rows += ["", "lost paragraphs and junk lines:", *details]
    rows += [
        "",
        f"pages {summary['pages']} (scored {summary['scored']}); "
        + ", ".join(f"{name} {summary[name]:.0%}" for name in FIELDS),
        f"paragraph recall {summary['paragraph_recall']:.1%} "
        f"({summary['paragraphs_kept']}/{summary['paragraphs']},"
        f" lost {summary['lost_paragraphs']});"
        f" junk lines {summary['junk_lines']} ({summary['junk_per_page']:.2f} a page);"
        f" fully clean {summary['clean_pages']} ({summary['clean']:.0%})",
        f"{seconds:.2f} s",
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("dev", "test"))
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scores = score_part(args.part)
    summary = totals(scores)
    seconds = time.perf_counter() - started
    if args.json:
        report = {
            "part": args.part,
            "seconds": round(seconds, 3),
            "totals": summary,
            "pages": [s.as_dict() for s in scores],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(args.part, scores, summary, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
