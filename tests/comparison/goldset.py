"""The comparison gold set (format v2, tests/data/comparison/): loading and scoring.

A part (``dev``, ``test``) is a folder of event files ``<part>/<event>.json``; each names 3 to 5
articles (``file`` relative to tests/data/comparison/, or to the repository root when it starts
with ``seeds/``) and lists gold links, differences, must-not-link pairs and not-differences by
their exact text in the article bodies (``extract(decode(...)).body``, as the engine sees them).
See /tmp/h/goldformat.md or tests/data/comparison/README.md for the format.

Scoring (``evaluate(part)`` runs the engine on each event; ``evaluate_comparison`` scores any
``Comparison``, such as a baseline's):

- **Links.** A reported link *matches* a gold item of the same article pair (either
  orientation) when it overlaps the gold passage on both sides by at least half of the shorter
  of the two spans (``OVERLAP``). A reported link that matches a ``not_links`` item is false,
  whatever else it matches; otherwise it is correct when it matches any gold link (required or
  not: ``required: false`` items are defensible, so correct when reported and not needed for
  recall), false when it matches none. Only correct links recall gold items.
- **Per kind (verbatim, near, paraphrase).** Recall: required gold links of that kind matched
  by a correct reported link of any kind. Precision: a correct link is counted under the gold
  kind of the item it matches (the item of its own reported kind when it matches several, else
  the best-overlapping one); a false link under its reported kind. The reported-vs-gold kind
  counts are kept in ``Report.kind_confusion``. The ``links`` row scores all links at once.
- **Stance (``differ``).** Recall: required gold links with stance "differ" matched by a
  correct reported link with stance "differ". Precision: reported "differ" links that match a
  gold "differ" link (required or not), over all reported "differ" links.
  ``shown_as_agreement``: gold "differ" links (required or not) matched by a correct reported
  link with stance "agree" (the target is none).
- **Differences.** A reported ``Difference`` is false when its two spans overlap the two
  readings of a ``not_differences`` item (any kind; a naive tool's false alarm). Otherwise it
  is correct when, for the same article pair, its kind equals a gold difference's kind and its
  spans overlap that item's ``a_context`` and ``b_context`` (each side at least one
  character); false otherwise. Recall: gold differences matched by a correct reported one.
- **Must-not-link.** The share of ``not_links`` items matched by no reported link (the link
  rule above).

A precision or recall with nothing to count is None (shown as "-").

``python -m tests.comparison.goldset dev`` prints the table and the false and missed items;
``--check`` only validates the files (every text found exactly once).
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import combinations
from pathlib import Path

from articles.comparison.engine import Comparison, Difference, Link, compare
from articles.ingest import decode, extract

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "comparison"
OVERLAP = 0.5
LINK_KINDS = ("verbatim", "near", "paraphrase")
STANCES = ("agree", "differ")
DIFFERENCE_KINDS = ("number", "date", "name", "place", "polarity", "predicate", "relative-date")
# The rows of the table, in order.
CATEGORIES = (*LINK_KINDS, "links", "differ", "differences", "must-not-link")

Span = tuple[str, int, int]


class GoldError(ValueError):
    """A gold file that does not hold: each problem on its own line."""


@dataclass(frozen=True)
class Article:
    """One article of an event, with its body as the engine sees it."""

    key: str
    file: str
    outlet: str
    url: str
    published: date | None
    body: str


@dataclass(frozen=True)
class GoldLink:
    """Two passages a careful reader links, with how they relate."""

    kind: str
    a: Span
    b: Span
    stance: str = "agree"
    differs_by: tuple[str, ...] = ()
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class NotLink:
    """Two passages that must not be linked."""

    a: Span
    b: Span
    note: str = ""


@dataclass(frozen=True)
class GoldDifference:
    """Two readings of one fact (a: reading, a_context: its sentence), or a false alarm."""

    kind: str
    a: Span
    b: Span
    a_context: Span
    b_context: Span
    note: str = ""


@dataclass(frozen=True)
class Event:
    """One news story covered by several outlets, with its gold items located in the bodies."""

    name: str
    part: str
    title: str
    about: str
    articles: dict[str, Article]
    links: tuple[GoldLink, ...]
    differences: tuple[GoldDifference, ...]
    not_links: tuple[NotLink, ...]
    not_differences: tuple[GoldDifference, ...]

    @property
    def bodies(self) -> dict[str, str]:
        """Article key -> body."""
        return {key: article.body for key, article in self.articles.items()}

    @property
    def published(self) -> dict[str, date]:
        """Article key -> publication date, for the articles whose date is known."""
        return {k: a.published for k, a in self.articles.items() if a.published is not None}

    def text(self, span: Span) -> str:
        """The body text of a span."""
        key, start, end = span
        return self.articles[key].body[start:end]


# --- Loading -------------------------------------------------------------------------------


def article_path(file: str) -> Path:
    """Where an event's article file lives: seeds/... in the repository, else under DATA."""
    return ROOT / file if file.startswith("seeds/") else DATA / file


@cache
def body_of(path: Path) -> str:
    """The body of an article file, as the engine sees it."""
    return extract(decode(path.read_bytes(), max_bytes=10**8).text).body


class _Locator:
    """Finds gold texts in the bodies, collecting every problem instead of stopping."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self.articles = articles
        self.problems: list[str] = []

    def find(self, where: str, key: object, text: object) -> Span:
        if key not in self.articles:
            self.problems.append(f"{where}: unknown article {key!r}")
            return str(key), 0, 0
        if not isinstance(text, str) or not text.strip():
            self.problems.append(f"{where}: empty or missing text")
            return str(key), 0, 0
        body = self.articles[key].body
        start = body.find(text)
        if start < 0:
            self.problems.append(f"{where}: not found in {key}: {text!r}")
            return str(key), 0, 0
        if body.find(text, start + 1) >= 0:
            self.problems.append(f"{where}: found more than once in {key}: {text!r}")
        return str(key), start, start + len(text)

    def reading(self, where: str, text: object, context: Span) -> Span:
        """A reading inside its (located) context: its first occurrence there."""
        key, start, end = context
        if end == start:
            return context
        if not isinstance(text, str) or not text.strip():
            self.problems.append(f"{where}: empty or missing reading")
            return context
        at = self.articles[key].body.find(text, start, end)
        if at < 0:
            self.problems.append(f"{where}: reading {text!r} not inside its context in {key}")
            return context
        return key, at, at + len(text)

    def check(self, where: str, value: object, allowed: Iterable[str]) -> None:
        if value not in allowed:
            self.problems.append(f"{where}: {value!r} is not one of {', '.join(allowed)}")


def _published(where: str, value: object, problems: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: published {value!r} is not an ISO date")
        return None


def load_event(path: Path, part: str = "") -> Event:
    """One event file, every text located; raises GoldError listing all problems."""
    data = json.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    articles = {}
    for key, info in data.get("articles", {}).items():
        file = article_path(info["file"])
        if not file.is_file():
            problems.append(f"articles.{key}: no file {info['file']}")
            continue
        articles[key] = Article(
            key,
            info["file"],
            info.get("outlet", ""),
            info.get("url", ""),
            _published(f"articles.{key}", info.get("published"), problems),
            body_of(file),
        )
    if len(data.get("articles", {})) < 2:
        problems.append("articles: an event needs at least two articles")
    loc = _Locator(articles)
    links = []
    for i, item in enumerate(data.get("links", [])):
        where = f"links[{i}]"
        loc.check(f"{where}.kind", item.get("kind"), LINK_KINDS)
        loc.check(f"{where}.stance", item.get("stance", "agree"), STANCES)
        for kind in item.get("differs_by", []):
            loc.check(f"{where}.differs_by", kind, DIFFERENCE_KINDS)
        if item.get("a") == item.get("b"):
            loc.problems.append(f"{where}: both passages in one article")
        links.append(
            GoldLink(
                item.get("kind", ""),
                loc.find(f"{where}.a_text", item.get("a"), item.get("a_text")),
                loc.find(f"{where}.b_text", item.get("b"), item.get("b_text")),
                item.get("stance", "agree"),
                tuple(item.get("differs_by", ())),
                bool(item.get("required", True)),
                item.get("note", ""),
            )
        )
    not_links = [
        NotLink(
            loc.find(f"not_links[{i}].a_text", item.get("a"), item.get("a_text")),
            loc.find(f"not_links[{i}].b_text", item.get("b"), item.get("b_text")),
            item.get("note", ""),
        )
        for i, item in enumerate(data.get("not_links", []))
    ]
    sections = {}
    for section in ("differences", "not_differences"):
        found = []
        for i, item in enumerate(data.get(section, [])):
            where = f"{section}[{i}]"
            loc.check(f"{where}.kind", item.get("kind"), DIFFERENCE_KINDS)
            a_context = loc.find(f"{where}.a_context", item.get("a"), item.get("a_context"))
            b_context = loc.find(f"{where}.b_context", item.get("b"), item.get("b_context"))
            found.append(
                GoldDifference(
                    item.get("kind", ""),
                    loc.reading(f"{where}.a_text", item.get("a_text"), a_context),
                    loc.reading(f"{where}.b_text", item.get("b_text"), b_context),
                    a_context,
                    b_context,
                    item.get("note", ""),
                )
            )
        sections[section] = tuple(found)
    problems += loc.problems
    if problems:
        raise GoldError("\n".join(f"{path.name}: {problem}" for problem in problems))
    return Event(
        path.stem,
        part,
        data.get("event", path.stem),
        data.get("about", ""),
        articles,
        tuple(links),
        sections["differences"],
        tuple(not_links),
        sections["not_differences"],
    )


def event_files(part: str) -> list[Path]:
    """The event files of a part, sorted."""
    return sorted((DATA / part).glob("*.json"))


def load_part(part: str) -> list[Event]:
    """Every event of a part; raises GoldError listing the problems of all its files."""
    events, problems = [], []
    for path in event_files(part):
        try:
            events.append(load_event(path, part))
        except GoldError as error:
            problems.append(str(error))
    if problems:
        raise GoldError("\n".join(problems))
    return events


# --- Matching ------------------------------------------------------------------------------


def _overlap(x: Span, y: Span) -> float:
    """The overlap of two spans as a share of the shorter one (0 across articles)."""
    if x[0] != y[0]:
        return 0.0
    inter = min(x[2], y[2]) - max(x[1], y[1])
    if inter <= 0:
        return 0.0
    return inter / max(1, min(x[2] - x[1], y[2] - y[1]))


def match_score(x: Span, y: Span, a: Span, b: Span) -> float:
    """How well passages (x, y) cover (a, b) in either orientation: the weaker side's overlap."""
    return max(min(_overlap(x, a), _overlap(y, b)), min(_overlap(x, b), _overlap(y, a)))


def _touch(x: Span, y: Span) -> bool:
    return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]


def touches_both(x: Span, y: Span, a: Span, b: Span) -> bool:
    """Whether x and y overlap a and b by at least a character each, in either orientation."""
    return (_touch(x, a) and _touch(y, b)) or (_touch(x, b) and _touch(y, a))


def link_spans(link: Link) -> tuple[Span, Span]:
    """The two passages of a link."""
    return (link.a_key, link.a_start, link.a_end), (link.b_key, link.b_start, link.b_end)


def difference_spans(found: Difference) -> tuple[Span, Span]:
    """The two readings of a reported difference."""
    return (found.a_key, found.a_start, found.a_end), (found.b_key, found.b_start, found.b_end)


# --- Scores --------------------------------------------------------------------------------


@dataclass
class Score:
    """Precision and recall of one category: counts, so that events add up."""

    reported: int = 0
    correct: int = 0
    required: int = 0
    recalled: int = 0

    @property
    def precision(self) -> float | None:
        """Share of reported items that are right; None when nothing was reported."""
        return self.correct / self.reported if self.reported else None

    @property
    def recall(self) -> float | None:
        """Share of required gold items found; None when none is required."""
        return self.recalled / self.required if self.required else None

    def __iadd__(self, other: Score) -> Score:
        self.reported += other.reported
        self.correct += other.correct
        self.required += other.required
        self.recalled += other.recalled
        return self

    def as_dict(self) -> dict:
        """Counts and ratios, for JSON."""
        return {
            "reported": self.reported,
            "correct": self.correct,
            "required": self.required,
            "recalled": self.recalled,
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass(frozen=True)
class Finding:
    """A false or missed item of one event, described for a reader."""

    event: str
    what: str
    a_text: str
    b_text: str
    note: str = ""

    def __str__(self) -> str:
        lines = [f"[{self.event}] {self.what}", f"    a: {_short(self.a_text)}"]
        lines.append(f"    b: {_short(self.b_text)}")
        if self.note:
            lines.append(f"    ({self.note})")
        return "\n".join(lines)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class Report:
    """The scores of one or more events, with every false and missed item."""

    part: str
    events: list[str] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in CATEGORIES})
    # (reported kind, gold kind of the matched item) -> correct links.
    kind_confusion: Counter = field(default_factory=Counter)
    false_links: list[Finding] = field(default_factory=list)
    missed_links: list[Finding] = field(default_factory=list)
    shown_as_agreement: list[Finding] = field(default_factory=list)
    false_differ: list[Finding] = field(default_factory=list)
    missed_differ: list[Finding] = field(default_factory=list)
    false_differences: list[Finding] = field(default_factory=list)
    missed_differences: list[Finding] = field(default_factory=list)
    not_links_reported: list[Finding] = field(default_factory=list)

    def __iadd__(self, other: Report) -> Report:
        self.events += other.events
        for category, score in other.scores.items():
            self.scores[category] += score
        self.kind_confusion.update(other.kind_confusion)
        for name in (
            "false_links",
            "missed_links",
            "shown_as_agreement",
            "false_differ",
            "missed_differ",
            "false_differences",
            "missed_differences",
            "not_links_reported",
        ):
            getattr(self, name).extend(getattr(other, name))
        return self

    def as_dict(self) -> dict:
        """Scores and counts, for JSON."""
        return {
            "part": self.part,
            "events": self.events,
            "scores": {category: score.as_dict() for category, score in self.scores.items()},
            "shown_as_agreement": len(self.shown_as_agreement),
            "kind_confusion": {
                f"{reported} as {gold}": count
                for (reported, gold), count in sorted(self.kind_confusion.items())
            },
        }


def _link_finding(event: Event, link: Link, what: str, note: str = "") -> Finding:
    x, y = link_spans(link)
    return Finding(
        event.name,
        f"{what}: {link.kind} {link.stance} {x[0]}/{y[0]} score {link.score:.2f}",
        event.text(x),
        event.text(y),
        note,
    )


def _gold_finding(event: Event, what: str, a: Span, b: Span, note: str) -> Finding:
    return Finding(event.name, f"{what} {a[0]}/{b[0]}", event.text(a), event.text(b), note)


def _score_links(event: Event, links: Iterable[Link], report: Report) -> None:
    scores = report.scores
    recalled: set[int] = set()
    differ_recalled: set[int] = set()
    agreed: set[int] = set()
    blocked: set[int] = set()
    for link in links:
        x, y = link_spans(link)
        hit_not = [
            i
            for i, item in enumerate(event.not_links)
            if match_score(x, y, item.a, item.b) >= OVERLAP
        ]
        matched = [
            (match_score(x, y, item.a, item.b), i)
            for i, item in enumerate(event.links)
            if match_score(x, y, item.a, item.b) >= OVERLAP
        ]
        if link.stance == "differ":
            scores["differ"].reported += 1
        blocked.update(hit_not)
        if hit_not or not matched:
            for category in (link.kind, "links"):
                scores[category].reported += 1
            note = event.not_links[hit_not[0]].note if hit_not else ""
            what = "links a must-not-link pair" if hit_not else "false link"
            report.false_links.append(_link_finding(event, link, what, note))
            if link.stance == "differ":
                report.false_differ.append(_link_finding(event, link, "false differ", note))
            continue
        same_kind = [m for m in matched if event.links[m[1]].kind == link.kind]
        best = event.links[max(same_kind or matched)[1]]
        report.kind_confusion[(link.kind, best.kind)] += 1
        for category in (best.kind, "links"):
            scores[category].reported += 1
            scores[category].correct += 1
        recalled.update(i for _, i in matched)
        differ_items = [i for _, i in matched if event.links[i].stance == "differ"]
        if link.stance == "differ":
            if differ_items:
                scores["differ"].correct += 1
                differ_recalled.update(differ_items)
            else:
                report.false_differ.append(
                    _link_finding(event, link, "differ on a pair that agrees", best.note)
                )
        else:
            agreed.update(differ_items)
    for i, item in enumerate(event.links):
        if item.required:
            for category in (item.kind, "links"):
                scores[category].required += 1
                scores[category].recalled += i in recalled
            if i not in recalled:
                report.missed_links.append(
                    _gold_finding(
                        event, f"missed {item.kind} {item.stance}", item.a, item.b, item.note
                    )
                )
        if item.stance == "differ":
            if item.required:
                scores["differ"].required += 1
                scores["differ"].recalled += i in differ_recalled
                if i not in differ_recalled:
                    report.missed_differ.append(
                        _gold_finding(
                            event, "differ not reported as differ", item.a, item.b, item.note
                        )
                    )
            if i in agreed:
                report.shown_as_agreement.append(
                    _gold_finding(event, "differ shown as agreement", item.a, item.b, item.note)
                )
    scores["must-not-link"].required += len(event.not_links)
    scores["must-not-link"].recalled += len(event.not_links) - len(blocked)
    for i in sorted(blocked):
        item = event.not_links[i]
        report.not_links_reported.append(
            _gold_finding(event, "must-not-link reported", item.a, item.b, item.note)
        )


def _score_differences(event: Event, found: Iterable[Difference], report: Report) -> None:
    score = report.scores["differences"]
    recalled: set[int] = set()
    for difference in found:
        x, y = difference_spans(difference)
        score.reported += 1
        alarm = next(
            (item for item in event.not_differences if touches_both(x, y, item.a, item.b)), None
        )
        placed = [
            i
            for i, item in enumerate(event.differences)
            if touches_both(x, y, item.a_context, item.b_context)
        ]
        right = [i for i in placed if event.differences[i].kind == difference.kind]
        if alarm is None and right:
            score.correct += 1
            recalled.update(right)
            continue
        if alarm is not None:
            what, note = "not a difference", alarm.note
        elif placed:
            what = f"wrong kind (gold: {event.differences[placed[0]].kind})"
            note = event.differences[placed[0]].note
        else:
            what, note = "false difference", ""
        report.false_differences.append(
            Finding(
                event.name,
                f"{what}: {difference.kind} {x[0]}/{y[0]} ({difference.link_kind} link)",
                difference.a_text,
                difference.b_text,
                note,
            )
        )
    for i, item in enumerate(event.differences):
        score.required += 1
        score.recalled += i in recalled
        if i not in recalled:
            report.missed_differences.append(
                Finding(
                    event.name,
                    f"missed {item.kind} {item.a[0]}/{item.b[0]}",
                    f"{event.text(item.a)}  <in>  {event.text(item.a_context)}",
                    f"{event.text(item.b)}  <in>  {event.text(item.b_context)}",
                    item.note,
                )
            )


def evaluate_comparison(event: Event, comparison: Comparison) -> Report:
    """Score one event's comparison (the engine's or any other method's) against its gold."""
    report = Report(event.part, [event.name])
    _score_links(event, comparison.links, report)
    _score_differences(event, comparison.differences, report)
    return report


def run_engine(event: Event, engine: Callable[..., Comparison] = compare) -> Comparison:
    """The engine on one event's bodies (with the publication dates when it takes them)."""
    if "published" in inspect.signature(engine).parameters:
        return engine(event.bodies, published=event.published)
    return engine(event.bodies)


def evaluate(part: str, engine: Callable[..., Comparison] = compare) -> Report:
    """Run the engine on every event of a part and score it."""
    report = Report(part)
    for event in load_part(part):
        report += evaluate_comparison(event, run_engine(event, engine))
    return report


def gold_comparison(event: Event) -> Comparison:
    """The gold items as a comparison a perfect engine would report (for tests and checks)."""
    links = []
    for item in event.links:
        (ak, a0, a1), (bk, b0, b1) = sorted((item.a, item.b))
        links.append(
            Link(
                item.kind,
                ak,
                a0,
                a1,
                bk,
                b0,
                b1,
                1.0,
                stance=item.stance,
                differs_by=item.differs_by,
            )
        )
    differences = []
    for item in event.differences:
        (ak, a0, a1), (bk, b0, b1) = sorted((item.a, item.b))
        differences.append(
            Difference(
                item.kind,
                ak,
                a0,
                a1,
                event.articles[ak].body[a0:a1],
                bk,
                b0,
                b1,
                event.articles[bk].body[b0:b1],
                "near",
            )
        )
    return Comparison(tuple(links), (), tuple(differences))


def pairs(event: Event) -> list[tuple[str, str]]:
    """Every article pair of an event, a < b."""
    return list(combinations(sorted(event.articles), 2))


# --- Table ---------------------------------------------------------------------------------


def ratio(value: float | None) -> str:
    """A ratio for a table ("-" when there was nothing to count)."""
    return "-" if value is None else f"{value:.2f}"


def table(report: Report) -> str:
    """A markdown table of precision and recall per category."""
    lines = [
        "| category | precision | reported | correct | recall | required | found |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for category in CATEGORIES:
        s = report.scores[category]
        lines.append(
            f"| {category} | {ratio(s.precision)} | {s.reported} | {s.correct} | "
            f"{ratio(s.recall)} | {s.required} | {s.recalled} |"
        )
    lines.append(
        f"\nGold differ links shown as agreement: {len(report.shown_as_agreement)}. "
        "Must-not-link recall = share of must-not-link pairs left unlinked."
    )
    if report.kind_confusion:
        confusion = ", ".join(
            f"{reported} on gold {gold}: {count}"
            for (reported, gold), count in sorted(report.kind_confusion.items())
        )
        lines.append(f"Correct links by reported kind and gold kind: {confusion}.")
    return "\n".join(lines)


def _print_findings(title: str, findings: list[Finding]) -> None:
    if findings:
        print(f"\n## {title} ({len(findings)})")
        for finding in findings:
            print(finding)


def main(argv: list[str] | None = None) -> int:
    """Print the scores of a part and its false and missed items, or only validate it."""
    parser = argparse.ArgumentParser(prog="python -m tests.comparison.goldset")
    parser.add_argument("part", help="dev, test, or another folder of tests/data/comparison/")
    parser.add_argument("--check", action="store_true", help="only validate the files")
    parser.add_argument("--brief", action="store_true", help="the table only")
    args = parser.parse_args(argv)
    try:
        events = load_part(args.part)
    except GoldError as error:
        print(error, file=sys.stderr)
        return 1
    if not events:
        print(f"no event files in {DATA / args.part}", file=sys.stderr)
        return 1
    if args.check:
        items = sum(len(e.links) + len(e.differences) + len(e.not_links) for e in events)
        print(f"{args.part}: {len(events)} events, {items} items, all texts found once")
        return 0
    report = Report(args.part)
    for event in events:
        report += evaluate_comparison(event, run_engine(event))
    print(f"# {args.part}: {len(events)} events ({', '.join(report.events)})\n")
    print(table(report))
    if not args.brief:
        _print_findings("False links", report.false_links)
        _print_findings("Missed links", report.missed_links)
        _print_findings("Differ shown as agreement", report.shown_as_agreement)
        _print_findings("Differ not reported", report.missed_differ)
        _print_findings("False differ", report.false_differ)
        _print_findings("False differences", report.false_differences)
        _print_findings("Missed differences", report.missed_differences)
        _print_findings("Must-not-link pairs linked", report.not_links_reported)
    return 0


if __name__ == "__main__":
    sys.exit(main())
