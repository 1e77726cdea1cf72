"""Validate the comparison gold set (format v2).

Usage, from the repository root with the project venv::

    .venv/bin/python tests/data/comparison/validate.py [dev|test]

Without an argument every part that exists is checked. For each event json of the part the
script checks the schema (keys, enums, article keys), that every ``*_text`` of a link or a
not-link and every ``*_context`` of a difference or a not-difference occurs exactly once in
the article body as the engine sees it (``extract(decode(bytes)).body``), that each
difference's ``a_text``/``b_text`` lies inside its context, and that differing links and
differences go together (a link with stance "differ" has a difference of each of its
``differs_by`` kinds on an overlapping passage, and each difference overlaps such a link).
It prints counts per event and exits 1 on any error.

Article ``file`` paths resolve against this folder first (``dev/<event>/a.txt``), then the
repository root (``seeds/<name>.txt``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from articles.ingest import decode, extract  # noqa: E402

PARTS = ("dev", "test")
LINK_KINDS = {"verbatim", "near", "paraphrase"}
STANCES = {"agree", "differ"}
DIFF_KINDS = {"number", "date", "name", "place", "polarity", "predicate", "relative-date"}

TOP_KEYS = {"event", "about", "articles", "links", "differences", "not_links", "not_differences"}
OPTIONAL_TOP_KEYS = {"framing_differences"}
ARTICLE_KEYS = {"file", "outlet", "url", "published"}
LINK_KEYS = {"kind", "a", "a_text", "b", "b_text", "stance", "differs_by", "required", "note"}
DIFF_KEYS = {"kind", "a", "a_text", "b", "b_text", "a_context", "b_context", "note"}
NOT_LINK_KEYS = {"a", "a_text", "b", "b_text", "note"}
FRAMING_KEYS = {"a", "a_text", "b", "b_text"}


def article_body(path: Path) -> str:
    """The body of an article file as the engine sees it."""
    return extract(decode(path.read_bytes(), max_bytes=10**8).text).body


def resolve(file: str) -> Path | None:
    """An article path: relative to this folder first, then to the repository root."""
    for base in (HERE, ROOT):
        candidate = base / file
        if candidate.is_file():
            return candidate
    return None


class EventCheck:
    """Checks one event json; collects errors instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []
        self.bodies: dict[str, str] = {}

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.path.name}: {where}: {message}")

    def keys(
        self, where: str, item: object, required: set[str], optional: set[str] = frozenset()
    ) -> bool:
        if not isinstance(item, dict):
            self.error(where, "not an object")
            return False
        missing = required - item.keys()
        extra = item.keys() - required - optional
        if missing:
            self.error(where, f"missing keys {sorted(missing)}")
        if extra:
            self.error(where, f"unknown keys {sorted(extra)}")
        return not missing

    def string(self, where: str, item: dict, key: str, *, empty_ok: bool = False) -> bool:
        value = item.get(key)
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            self.error(where, f"{key} must be a non-empty string")
            return False
        return True

    def occurrence(self, where: str, article: str, text: str) -> int | None:
        """Offset of `text` in the article body if it occurs exactly once, else None."""
        body = self.bodies.get(article)
        if body is None:
            return None
        count = body.count(text)
        if count != 1:
            self.error(where, f"text occurs {count} times in body of {article!r}: {text[:80]!r}")
            return None
        return body.index(text)

    def pair(self, where: str, item: dict, articles: dict) -> bool:
        ok = True
        for side in ("a", "b"):
            if item.get(side) not in articles:
                self.error(where, f"{side}={item.get(side)!r} is not an article key")
                ok = False
        if ok and item["a"] == item["b"]:
            self.error(where, "a and b are the same article")
            ok = False
        return ok

    def run(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.error("file", f"cannot load: {exc}")
            return {}
        if not self.keys("top", data, TOP_KEYS, OPTIONAL_TOP_KEYS):
            return {}
        self.string("top", data, "event")
        self.string("top", data, "about")
        articles = data["articles"]
        if not isinstance(articles, dict) or len(articles) < 2:
            self.error("articles", "must be an object with at least two articles")
            return {}
        self.check_articles(articles)
        link_spans = self.check_links(data["links"], articles)
        diff_spans = self.check_differences("differences", data["differences"], articles)
        self.check_differences("not_differences", data["not_differences"], articles)
        self.check_not_links(data["not_links"], articles)
        self.check_framing(data.get("framing_differences", []), articles)
        self.check_differ_consistency(link_spans, diff_spans)
        return self.counts(data)

    def check_articles(self, articles: dict) -> None:
        for key, article in articles.items():
            where = f"articles[{key}]"
            if not self.keys(where, article, ARTICLE_KEYS):
                continue
            self.string(where, article, "outlet")
            if article["url"] is not None:
                self.string(where, article, "url")
            published = article["published"]
            if published is not None:
                try:
                    dt.date.fromisoformat(published)
                except (TypeError, ValueError):
                    self.error(where, f"published must be an ISO date or null, not {published!r}")
            if not self.string(where, article, "file"):
                continue
            path = resolve(article["file"])
            if path is None:
                self.error(where, f"file not found: {article['file']}")
                continue
            try:
                self.bodies[key] = article_body(path)
            except Exception as exc:  # any ingest failure is reported as an error
                self.error(where, f"cannot ingest {path}: {exc}")

    def check_links(self, links: object, articles: dict) -> list[tuple]:
        """Check the links; return (a, a_span, b, b_span, differs_by) of differing links."""
        spans: list[tuple] = []
        if not isinstance(links, list):
            self.error("links", "must be a list")
            return spans
        seen: set[tuple] = set()
        for index, link in enumerate(links):
            where = f"links[{index}]"
            if not self.keys(where, link, LINK_KEYS):
                continue
            if link["kind"] not in LINK_KINDS:
                self.error(where, f"kind {link['kind']!r} not in {sorted(LINK_KINDS)}")
            if link["stance"] not in STANCES:
                self.error(where, f"stance {link['stance']!r} not in {sorted(STANCES)}")
            differs_by = link["differs_by"]
            if not isinstance(differs_by, list) or any(k not in DIFF_KINDS for k in differs_by):
                self.error(where, f"differs_by must be a list of {sorted(DIFF_KINDS)}")
                differs_by = []
            elif len(set(differs_by)) != len(differs_by):
                self.error(where, "differs_by repeats a kind")
            if link["stance"] == "agree" and differs_by:
                self.error(where, "stance agree with a non-empty differs_by")
            if link["stance"] == "differ" and not differs_by:
                self.error(where, "stance differ needs differs_by")
            if not isinstance(link["required"], bool):
                self.error(where, "required must be true or false")
            self.string(where, link, "note")
            if not (self.string(where, link, "a_text") and self.string(where, link, "b_text")):
                continue
            if not self.pair(where, link, articles):
                continue
            key = frozenset([(link["a"], link["a_text"]), (link["b"], link["b_text"])])
            if key in seen:
                self.error(where, "duplicate link")
            seen.add(key)
            a_at = self.occurrence(where, link["a"], link["a_text"])
            b_at = self.occurrence(where, link["b"], link["b_text"])
            if link["stance"] == "differ" and a_at is not None and b_at is not None:
                a_span = (a_at, a_at + len(link["a_text"]))
                b_span = (b_at, b_at + len(link["b_text"]))
                spans.append((where, link["a"], a_span, link["b"], b_span, set(differs_by)))
        return spans

    def check_differences(self, name: str, items: object, articles: dict) -> list[tuple]:
        """Check differences (or not_differences); return (kind, a, a_span, b, b_span)."""
        spans: list[tuple] = []
        if not isinstance(items, list):
            self.error(name, "must be a list")
            return spans
        for index, item in enumerate(items):
            where = f"{name}[{index}]"
            if not self.keys(where, item, DIFF_KEYS):
                continue
            if item["kind"] not in DIFF_KINDS:
                self.error(where, f"kind {item['kind']!r} not in {sorted(DIFF_KINDS)}")
            self.string(where, item, "note")
            texts_ok = all(
                self.string(where, item, key)
                for key in ("a_text", "b_text", "a_context", "b_context")
            )
            if not texts_ok or not self.pair(where, item, articles):
                continue
            located = []
            for side in ("a", "b"):
                text, context = item[f"{side}_text"], item[f"{side}_context"]
                if text not in context:
                    self.error(where, f"{side}_text {text!r} is not inside {side}_context")
                at = self.occurrence(where, item[side], context)
                located.append(None if at is None else (at, at + len(context)))
            if None not in located:
                spans.append((where, item["kind"], item["a"], located[0], item["b"], located[1]))
        return spans

    def check_not_links(self, items: object, articles: dict) -> None:
        if not isinstance(items, list):
            self.error("not_links", "must be a list")
            return
        for index, item in enumerate(items):
            where = f"not_links[{index}]"
            if not self.keys(where, item, NOT_LINK_KEYS):
                continue
            self.string(where, item, "note")
            if not (self.string(where, item, "a_text") and self.string(where, item, "b_text")):
                continue
            if self.pair(where, item, articles):
                self.occurrence(where, item["a"], item["a_text"])
                self.occurrence(where, item["b"], item["b_text"])

    def check_framing(self, items: object, articles: dict) -> None:
        if not isinstance(items, list):
            self.error("framing_differences", "must be a list")
            return
        for index, item in enumerate(items):
            where = f"framing_differences[{index}]"
            if not self.keys(where, item, FRAMING_KEYS):
                continue
            if self.pair(where, item, articles):
                for side in ("a", "b"):
                    if self.string(where, item, f"{side}_text"):
                        body = self.bodies.get(item[side], "")
                        if item[f"{side}_text"] not in body:
                            self.error(where, f"{side}_text not in body of {item[side]!r}")

    def check_differ_consistency(self, links: list[tuple], diffs: list[tuple]) -> None:
        """Differing links and differences must go together (by article pair and overlap)."""

        def overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
            return x[0] < y[1] and y[0] < x[1]

        def matches(link: tuple, diff: tuple) -> bool:
            _, la, la_span, lb, lb_span, _ = link
            _, _, da, da_span, db, db_span = diff
            if (la, lb) == (da, db):
                return overlaps(la_span, da_span) and overlaps(lb_span, db_span)
            if (la, lb) == (db, da):
                return overlaps(la_span, db_span) and overlaps(lb_span, da_span)
            return False

        for link in links:
            found = {diff[1] for diff in diffs if matches(link, diff)}
            for kind in sorted(link[5] - found):
                self.error(link[0], f"differ link has no '{kind}' difference overlapping it")
        for diff in diffs:
            if not any(matches(link, diff) and diff[1] in link[5] for link in links):
                self.error(diff[0], f"no differ link with '{diff[1]}' overlaps this difference")

    @staticmethod
    def counts(data: dict) -> dict[str, object]:
        links = [link for link in data["links"] if isinstance(link, dict)]
        kinds = Counter(link.get("kind") for link in links)
        return {
            "articles": len(data["articles"]),
            "links": len(links),
            **{kind: kinds.get(kind, 0) for kind in ("verbatim", "near", "paraphrase")},
            "differ": sum(1 for link in links if link.get("stance") == "differ"),
            "optional": sum(1 for link in links if link.get("required") is False),
            "differences": len(data["differences"]),
            "not_links": len(data["not_links"]),
            "not_differences": len(data["not_differences"]),
        }


def validate_part(part: str) -> tuple[list[str], list[tuple[str, dict]]]:
    folder = HERE / part
    files = sorted(folder.glob("*.json"))
    if not files:
        return [f"{part}: no event json in {folder}"], []
    errors: list[str] = []
    rows = []
    for path in files:
        check = EventCheck(path)
        counts = check.run()
        errors.extend(f"{part}/{message}" for message in check.errors)
        rows.append((f"{part}/{path.stem}", counts))
    return errors, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the comparison gold set.")
    parser.add_argument(
        "part", nargs="?", choices=PARTS, help="part to check (default: every part present)"
    )
    args = parser.parse_args(argv)
    parts = [args.part] if args.part else [p for p in PARTS if (HERE / p).is_dir()]
    errors: list[str] = []
    columns = ("articles", "links", "verbatim", "near", "paraphrase", "differ", "optional")
    columns += ("differences", "not_links", "not_differences")
    header = f"{'event':40} " + " ".join(f"{c[:9]:>9}" for c in columns)
    totals: Counter = Counter()
    print(header)
    for part in parts:
        part_errors, rows = validate_part(part)
        errors.extend(part_errors)
        for name, counts in rows:
            totals.update({c: counts.get(c, 0) for c in columns})
            print(f"{name:40} " + " ".join(f"{counts.get(c, '-'):>9}" for c in columns))
    print(f"{'total':40} " + " ".join(f"{totals[c]:>9}" for c in columns))
    for message in errors:
        print(f"ERROR {message}", file=sys.stderr)
    print(f"{len(errors)} error(s)" if errors else "OK", file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
