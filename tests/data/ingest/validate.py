"""Check the ingest gold set: schema, exact texts, languages, dates, and the outlet split.

    python tests/data/ingest/validate.py [dev|test]     (no argument: every part present)

Each page is `<key>.txt` (a plain-text copy) or `<key>.html` (a saved page) with `<key>.json`
beside it (the format is in README.md). Every headline, paragraph and heading must occur in the
page's own text: for a text copy, paragraphs and headings are whole lines of the file and the
headline is inside it; for a saved page, each occurs in the text lxml's `text_content()` gives,
whitespace-normalised. Exit status 1 when anything is wrong, with one line per problem.
"""

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
PARTS = ("dev", "test")
# The outlet split: a page's outlet domain starts with a letter in this range.
PART_LETTERS = {"dev": "abcdefghijklm", "test": "nopqrstuvwxyz"}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku"})
ISO_639_1 = re.compile(r"[a-z]{2}")
PUBLISHED = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?)?")
KEY = re.compile(r"[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
REQUIRED = {
    "url": str,
    "outlet": str,
    "event": str,
    "format": str,
    "language": str,
    "direction": str,
    "headline": str,
    "byline": list,
    "paragraphs": list,
    "headings": list,
    "notes": dict,
}
NOTE_KEYS = ("headline", "published", "byline", "dateline", "paragraphs")
OPTIONAL = {"source", "published", "dateline"}
# Host labels that are not the outlet's name: "www.", "m.", "amp.", a language prefix ("ar.").
_SKIPPED_LABELS = {"www", "m", "amp", "mobile", "edition", "global", "english", "arabic"}
# Second-level labels under a country code: "aa.com.tr" keeps its "aa".
_GENERIC_SECOND_LEVEL = {"com", "co", "org", "net", "gov", "ac", "edu", "gen"}


def normalise(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space."""
    return " ".join(text.split())


def outlet_domain(url: str) -> str:
    """The outlet part of a page address: "https://ar.example.com/x" -> "example.com"."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    while (
        len(labels) > 2
        and labels[1] not in _GENERIC_SECOND_LEVEL
        and (labels[0] in _SKIPPED_LABELS or len(labels[0]) == 2)
    ):
        labels = labels[1:]
    return ".".join(labels)


def page_text(path: Path) -> str:
    """The text a label is checked against: the file itself, or a saved page's visible text."""
    if path.suffix == ".html":
        import lxml.html

        return normalise(lxml.html.fromstring(path.read_bytes()).text_content())
    return path.read_text(encoding="utf-8")


def _check_published(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PUBLISHED.fullmatch(value):
        return f"published {value!r} is not YYYY-MM-DD[THH:MM[+HH:MM]] or null"
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except ValueError:
        return f"published {value!r} is not a real date"
    return None


def _check_dateline(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict) or set(value) != {"place", "agency"}:
        return ["dateline must be null or {place, agency}"]
    problems = []
    if not isinstance(value["place"], str) or not value["place"].strip():
        problems.append("dateline place must be a non-empty string")
    if value["agency"] is not None and not (
        isinstance(value["agency"], str) and value["agency"].strip()
    ):
        problems.append("dateline agency must be a non-empty string or null")
    return problems


def _check_texts(gold: dict, text: str, *, is_html: bool) -> list[str]:
    problems = []
    if is_html:
        haystack = text
        for field in ("headline", "paragraphs", "headings"):
            values = [gold[field]] if field == "headline" else gold[field]
            for value in values:
                if normalise(value) not in haystack:
                    problems.append(f"{field}: not in the page text: {value[:60]!r}")
        return problems
    lines = {line.strip() for line in text.split("\n")}
    if gold["headline"] not in text:
        problems.append(f"headline: not in the file: {gold['headline'][:60]!r}")
    for field in ("paragraphs", "headings"):
        for value in gold[field]:
            if value not in lines:
                problems.append(f"{field}: not a line of the file: {value[:60]!r}")
    return problems


def check_page(label: Path, part: str) -> list[str]:
    """Every problem with one page's label (an empty list when it is right)."""
    try:
        gold = json.loads(label.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"not valid JSON: {exc}"]
    problems = []
    for name, kind in REQUIRED.items():
        if not isinstance(gold.get(name), kind):
            problems.append(f"{name} missing or not a {kind.__name__}")
    unknown = set(gold) - set(REQUIRED) - OPTIONAL
    if unknown:
        problems.append(f"unknown fields: {sorted(unknown)}")
    if "published" not in gold or "dateline" not in gold:
        problems.append("published and dateline must be present (null when none)")
    if problems:
        return problems
    if not KEY.fullmatch(label.stem):
        problems.append("key must look like <language>-<outlet>-<event>")
    elif label.stem[:2] != gold["language"]:
        problems.append("key must start with the page's language")
    if gold["format"] not in ("text", "html"):
        problems.append("format must be text or html")
        return problems
    page = label.with_suffix(".txt" if gold["format"] == "text" else ".html")
    if not page.exists():
        return [*problems, f"no page file {page.name}"]
    if not ISO_639_1.fullmatch(gold["language"]):
        problems.append(f"language {gold['language']!r} is not an ISO 639-1 code")
    expected = "rtl" if gold["language"] in RTL_LANGUAGES else "ltr"
    if gold["direction"] != expected:
        problems.append(f"direction must be {expected} for {gold['language']}")
    if urlsplit(gold["url"]).scheme not in ("http", "https"):
        problems.append("url must be an http(s) address")
    domain = outlet_domain(gold["url"])
    if not domain or domain[0] not in PART_LETTERS[part]:
        problems.append(f"outlet domain {domain!r} does not belong in the {part} part")
    if (problem := _check_published(gold["published"])) is not None:
        problems.append(problem)
    problems += _check_dateline(gold["dateline"])
    if not all(isinstance(name, str) and name.strip() for name in gold["byline"]):
        problems.append("byline must be a list of names")
    if not gold["paragraphs"] or not all(isinstance(p, str) and p for p in gold["paragraphs"]):
        problems.append("paragraphs must be a non-empty list of texts")
    if not all(isinstance(h, str) and h for h in gold["headings"]):
        problems.append("headings must be a list of texts")
    missing_notes = [k for k in NOTE_KEYS if not gold["notes"].get(k)]
    if missing_notes:
        problems.append(f"notes missing for {missing_notes}")
    if gold["format"] == "html" and not gold.get("source"):
        problems.append("a saved page must say where it came from (source)")
    problems += _check_texts(gold, page_text(page), is_html=gold["format"] == "html")
    return problems


def validate(part: str) -> list[str]:
    """Every problem in one part of the set, as "<key>: <problem>" lines."""
    folder = HERE / part
    labels = sorted(folder.glob("*.json"))
    problems = []
    urls: dict[str, str] = {}
    for label in labels:
        problems += [f"{part}/{label.stem}: {p}" for p in check_page(label, part)]
        url = json.loads(label.read_text(encoding="utf-8")).get("url", "")
        if url in urls:
            problems.append(f"{part}/{label.stem}: same url as {urls[url]}")
        urls[url] = label.stem
    pages = {p.stem for p in folder.iterdir() if p.suffix in (".txt", ".html")}
    for orphan in sorted(pages - {label.stem for label in labels}):
        problems.append(f"{part}/{orphan}: page without a label")
    if not labels:
        problems.append(f"{part}: no labelled pages")
    return problems


def summary(part: str) -> str:
    """Pages, outlets, languages and formats of one part, on one line."""
    golds = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((HERE / part).glob("*.json"))
    ]
    languages: dict[str, int] = {}
    formats: dict[str, int] = {}
    for gold in golds:
        languages[gold["language"]] = languages.get(gold["language"], 0) + 1
        formats[gold["format"]] = formats.get(gold["format"], 0) + 1
    outlets = {outlet_domain(gold["url"]) for gold in golds}
    return (
        f"{part}: {len(golds)} pages, {len(outlets)} outlets, languages "
        + ", ".join(f"{k} {v}" for k, v in sorted(languages.items()))
        + "; formats "
        + ", ".join(f"{k} {v}" for k, v in sorted(formats.items()))
    )


def main(argv: list[str]) -> int:
    parts = argv or [p for p in PARTS if (HERE / p).is_dir()]
    if any(p not in PARTS for p in parts):
        print(f"usage: validate.py [{'|'.join(PARTS)}]", file=sys.stderr)
        return 2
    problems = [line for part in parts for line in validate(part)]
    for line in problems:
        print(line)
    for part in parts:
        print(summary(part))
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
