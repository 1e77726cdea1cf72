"""Check the held-out part of the story-clustering gold set (holdout.json) and print its size.

Usage, from the repository root:  python3 tests/data/stories/holdout/validate.py
Standard library only. Exits 1 on any error.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
GOLD = HERE / "holdout.json"
MAIN_GOLD = HERE.parent / "stories.json"
ARTICLES = "tests/data/stories/holdout/articles/"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG = re.compile(r"^[a-z]{2}$")
EVENT_KEYS = {"title", "place", "dates", "kind", "part"}
ARTICLE_KEYS = {"file", "event", "outlet", "url", "published", "language", "format"}
MAX_CHARS = 2100  # "at most about 2,000 characters" per file


def check_text(path):
    """Errors in one article file: headline, blank line, paragraphs; not too long."""
    errors = []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1] != "" or not lines[2].strip():
        errors.append("does not start with a headline, a blank line and a paragraph")
    if len(text) > MAX_CHARS:
        errors.append(f"{len(text)} characters (more than {MAX_CHARS})")
    if "\r" in text:
        errors.append("has carriage returns")
    return errors


def check(data, main_events):
    errors = []
    if set(data) != {"about", "events", "articles"}:
        return [f"top-level keys {sorted(data)} != ['about', 'articles', 'events']"]
    if not isinstance(data["about"], str) or not data["about"].strip():
        errors.append("empty 'about'")
    events, articles = data["events"], data["articles"]

    for slug, ev in events.items():
        if not SLUG.match(slug):
            errors.append(f"event {slug!r}: not a lower-case hyphenated slug")
        if slug in main_events:
            errors.append(f"event {slug}: already in stories.json (the held-out part must be new)")
        if set(ev) != EVENT_KEYS:
            errors.append(f"event {slug}: keys {sorted(ev)} != {sorted(EVENT_KEYS)}")
            continue
        if ev["part"] != "holdout":
            errors.append(f"event {slug}: part {ev['part']!r} is not 'holdout'")
        if ev["dates"] is not None:
            m = DATES.match(ev["dates"])
            if not m or m.group(1) > m.group(2):
                errors.append(f"event {slug}: dates {ev['dates']!r} is not YYYY-MM-DD..YYYY-MM-DD")
        for key in ("title", "place", "kind"):
            if not isinstance(ev[key], str) or not ev[key].strip():
                errors.append(f"event {slug}: empty {key}")

    files, urls = Counter(), Counter()
    by_event = defaultdict(list)
    for i, art in enumerate(articles):
        where = f"article {i} ({art.get('file')})"
        if set(art) != ARTICLE_KEYS:
            errors.append(f"{where}: keys {sorted(art)} != {sorted(ARTICLE_KEYS)}")
            continue
        files[art["file"]] += 1
        urls[art["url"]] += 1
        if not art["file"].startswith(ARTICLES + art["event"] + "/"):
            errors.append(f"{where}: not under {ARTICLES}{art['event']}/")
        path = REPO / art["file"]
        if not path.is_file():
            errors.append(f"{where}: file does not exist")
        else:
            errors.extend(f"{where}: {e}" for e in check_text(path))
        if art["event"] not in events:
            errors.append(f"{where}: event {art['event']!r} is not defined")
        by_event[art["event"]].append(art)
        if art["published"] is not None and not DATE.match(art["published"]):
            errors.append(f"{where}: published {art['published']!r} is not YYYY-MM-DD or null")
        if not LANG.match(art["language"] or ""):
            errors.append(f"{where}: language {art['language']!r} is not an ISO 639-1 code")
        if art["format"] != "text":
            errors.append(f"{where}: format {art['format']!r} is not 'text'")
        if not str(art["url"]).startswith(("http://", "https://")):
            errors.append(f"{where}: url {art['url']!r} is not http(s)")
        if not str(art["outlet"]).strip():
            errors.append(f"{where}: empty outlet")

    for f, n in files.items():
        if n > 1:
            errors.append(f"file listed {n} times: {f}")
    for u, n in urls.items():
        if n > 1:
            errors.append(f"url listed {n} times: {u}")
    for slug in events:
        if not by_event.get(slug):
            errors.append(f"event {slug}: no articles")

    # Every article file on disk must be listed, and nothing else may sit in articles/.
    root = REPO / ARTICLES
    if root.is_dir():
        for p in sorted(root.rglob("*")):
            if p.is_file():
                rel = p.relative_to(REPO).as_posix()
                if rel not in files:
                    errors.append(f"file on disk not listed: {rel}")
    return errors


def main():
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    main_events = set()
    if MAIN_GOLD.is_file():
        main_events = set(json.loads(MAIN_GOLD.read_text(encoding="utf-8"))["events"])
    errors = check(data, main_events)
    for e in errors:
        print("ERROR:", e)

    arts = data.get("articles", [])
    sizes = Counter(a.get("event") for a in arts)
    n = len(arts)
    same = sum(k * (k - 1) // 2 for k in sizes.values())
    multi = sum(1 for k in sizes.values() if k > 1)
    langs = Counter(a.get("language") for a in arts)
    cross = sum(
        1 for slug in sizes if len({a["language"] for a in arts if a.get("event") == slug}) > 1
    )
    print(
        f"holdout: {len(data.get('events', {}))} events ({multi} with 2+ articles, "
        f"{len(sizes) - multi} with one), {n} articles, {same} same-story pairs, "
        f"{n * (n - 1) // 2} article pairs in all"
    )
    print(f"events with articles in 2+ languages: {cross}")
    by_count = sorted(langs.items(), key=lambda x: -x[1])
    print("languages: " + ", ".join(f"{k} {v}" for k, v in by_count))
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
