"""Check the story-clustering gold set (stories.json) and print its size per part.

Usage, from the repository root:  python tests/data/stories/validate.py
Standard library only. Exits 1 on any error.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
EVENT_KEYS = {"title", "place", "dates", "kind", "part"}
ARTICLE_KEYS = {"file", "event", "outlet", "url", "published", "language", "format"}
# Files from these folders make their event a test event (the split rule).
TEST_SOURCES = (
    "tests/data/comparison/test/",
    "tests/data/ingest/test/",
    "tests/data/stories/articles/",
)
NEW_ARTICLES = "tests/data/stories/articles/"
# Exception to the rule: the events added by the second pass (new files under articles/, each
# with articles in two or more languages) are dev by design, so that the dev part has
# cross-language material to tune on. They stay dev only while all their files are new articles.
DEV_NEW_EVENTS = frozenset(
    {
        "libya-derna-floods-2023",
        "emilia-romagna-floods-2023",
        "emilia-romagna-floods-2024-10",
        "turkey-presidential-runoff-2023",
        "spain-general-election-2023",
        "magdeburg-christmas-market-attack-2024",
        "new-orleans-truck-attack-2025",
        "rhodes-wildfire-2023",
        "maui-lahaina-wildfires-2023",
    }
)


def check(data):
    errors = []
    if set(data) != {"about", "events", "articles"}:
        errors.append(f"top-level keys {sorted(data)} != ['about', 'articles', 'events']")
        return errors
    events, articles = data["events"], data["articles"]

    for slug, ev in events.items():
        if set(ev) != EVENT_KEYS:
            errors.append(f"event {slug}: keys {sorted(ev)} != {sorted(EVENT_KEYS)}")
            continue
        if ev["part"] not in ("dev", "test"):
            errors.append(f"event {slug}: part {ev['part']!r} is not 'dev' or 'test'")
        if ev["dates"] is not None:
            m = DATES.match(ev["dates"])
            if not m or m.group(1) > m.group(2):
                errors.append(f"event {slug}: dates {ev['dates']!r} is not YYYY-MM-DD..YYYY-MM-DD")
        for key in ("title", "place", "kind"):
            if not isinstance(ev[key], str) or not ev[key].strip():
                errors.append(f"event {slug}: empty {key}")

    for slug in sorted(DEV_NEW_EVENTS - set(events)):
        errors.append(f"DEV_NEW_EVENTS names an undefined event: {slug}")

    files = Counter()
    by_event = defaultdict(list)
    for i, art in enumerate(articles):
        where = f"article {i} ({art.get('file')})"
        if set(art) != ARTICLE_KEYS:
            errors.append(f"{where}: keys {sorted(art)} != {sorted(ARTICLE_KEYS)}")
            continue
        files[art["file"]] += 1
        path = REPO / art["file"]
        if not path.is_file():
            errors.append(f"{where}: file does not exist")
        elif path.stat().st_size == 0:
            errors.append(f"{where}: file is empty")
        if "astana" in art["file"].lower() or art["file"].startswith("seeds/"):
            errors.append(f"{where}: Astana material is not part of this set")
        if art["event"] not in events:
            errors.append(f"{where}: event {art['event']!r} is not defined")
        else:
            by_event[art["event"]].append(art)
        if art["published"] is not None and not DATE.match(art["published"]):
            errors.append(f"{where}: published {art['published']!r} is not YYYY-MM-DD or null")
        if art["format"] not in ("text", "html"):
            errors.append(f"{where}: format {art['format']!r} is not 'text' or 'html'")
        if not re.match(r"^[a-z]{2}$", art["language"] or ""):
            errors.append(f"{where}: language {art['language']!r} is not an ISO 639-1 code")
        if not isinstance(art["outlet"], str) or not art["outlet"].strip():
            errors.append(f"{where}: empty outlet")

    for f, n in files.items():
        if n > 1:
            errors.append(f"file listed {n} times: {f}")
    for slug, ev in events.items():
        arts = by_event.get(slug, [])
        if not arts:
            errors.append(f"event {slug}: no articles")
            continue
        if slug in DEV_NEW_EVENTS:
            want = "dev" if all(a["file"].startswith(NEW_ARTICLES) for a in arts) else "test"
        else:
            want = "test" if any(a["file"].startswith(TEST_SOURCES) for a in arts) else "dev"
        if ev.get("part") != want:
            errors.append(
                f"event {slug}: part {ev.get('part')!r}, but the split rule gives {want!r}"
            )

    # Every comparison article (except the Astana seeds) and every ingest page must be listed.
    listed = set(files)
    for pattern in ("tests/data/comparison/dev/*/*.txt", "tests/data/comparison/test/*/*.txt"):
        for p in REPO.glob(pattern):
            rel = p.relative_to(REPO).as_posix()
            if "astana" not in rel and rel not in listed:
                errors.append(f"comparison article not listed: {rel}")
    for part in ("dev", "test"):
        for label in (REPO / "tests/data/ingest" / part).glob("*.json"):
            pages = [label.with_suffix(s).relative_to(REPO).as_posix() for s in (".txt", ".html")]
            if not any(p in listed for p in pages):
                errors.append(f"ingest page not listed: {label.relative_to(REPO).as_posix()}")
    return errors


def main():
    data = json.loads((HERE / "stories.json").read_text(encoding="utf-8"))
    errors = check(data)
    for e in errors:
        print("ERROR:", e)
    if errors:
        print(f"{len(errors)} error(s)")
        return 1
    events, articles = data["events"], data["articles"]
    sizes = Counter(a["event"] for a in articles)
    for part in ("dev", "test"):
        slugs = [s for s, ev in events.items() if ev["part"] == part]
        n_art = sum(sizes[s] for s in slugs)
        pairs = sum(sizes[s] * (sizes[s] - 1) // 2 for s in slugs)
        multi = sum(1 for s in slugs if sizes[s] > 1)
        print(
            f"{part}: {len(slugs)} events ({multi} with 2+ articles), "
            f"{n_art} articles, {pairs} same-story pairs, "
            f"{n_art * (n_art - 1) // 2} article pairs in all"
        )
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
