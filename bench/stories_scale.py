"""python -m bench.stories_scale: stories at scale, measured beside the floor.

Builds a throwaway database (SQLite by default; PostgreSQL with --database-url) holding
`--articles` generated articles (bench.corpus, 10,000 by default, with annotations, without
the corpus-wide comparison, which issue 19 times on its own), profiles them all for clustering
(timed), gives 500 of them publication times spread over 30 days in 12 outlets and makes them
one confirmed story (a curator's story_create), and brings the comparison of those 500 up to
date so the story page has passages carried and differences to show. Then:

- **story page, 500 articles**: server time through Django's test client (URL routing,
  middleware, queries, template), anonymous and signed in (a reader, and a curator who also
  sees suggestions), the first request after the story changed (cold: nothing of the page is
  cached for any reader, so every request is cold) and warm (connections and templates warm),
  interleaved with a bare HttpResponse view (the floor), in 3 rounds of 15 requests each;
- **placing one new article** in the 10,000-article corpus: `stories_suggest` for one newly
  imported article (profile, document frequencies, candidates, placement, story refresh),
  from scratch each time (its profile and places removed between runs), 5 times.

Targets (issue 18): the story page under 150 ms server time; placing one article under 1 s.
Results: bench/results/stories_scale.{json,md} (PostgreSQL: stories_scale_pg.*).
Measures; never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
STORY_SIZE = 500
ROUNDS = 3
PER_ROUND = 15
PLACEMENTS = 5


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _spread(values: list[float]) -> str:
    return f"{min(values):.1f}–{max(values):.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure again on a database this bench built before (skips building it).",
    )
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="astana-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "astana.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("ASTANA_DATA_DIR", workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from articles import services
    from articles.comparison.store import comparison_refresh
    from articles.models import Article, Outlet
    from bench.corpus.generate import corpus_generate

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    timings: dict[str, float] = {}
    if args.reuse:
        _measure_again(args)
        return
    if Article.objects.exists():
        sys.exit("error: the database is not empty; give an empty one (or --reuse)")
    started = time.perf_counter()
    corpus_generate(articles=args.articles, annotations=args.articles * 2, users=50, compare=False)
    timings["generate"] = time.perf_counter() - started

    articles = list(Article.objects.order_by("pk"))
    started = time.perf_counter()
    for start in range(0, len(articles), 1000):
        services.articles_profile(articles=articles[start : start + 1000])
    timings["profile_all"] = time.perf_counter() - started

    rng = random.Random(1)
    members = articles[:STORY_SIZE]
    outlets = list(Outlet.objects.order_by("pk")[:12])
    for article in members:
        article.published_date = date(2024, 3, 1) + timedelta(days=rng.randrange(30))
        article.published_time = clock(rng.randrange(24), rng.randrange(60))
        article.outlet = rng.choice(outlets)
    Article.objects.bulk_update(members, ["published_date", "published_time", "outlet"])
    User = get_user_model()
    curator = User.objects.create_user("bench-curator", password="x" * 20, is_staff=True)
    reader = User.objects.create_user("bench-reader", password="x" * 20)
    story = services.story_create(
        user=curator, title="A story of 500", article_ids=[a.pk for a in members]
    )
    started = time.perf_counter()
    comparison_refresh(article_ids=[a.pk for a in members])
    timings["compare_members"] = time.perf_counter() - started

    found = _measure(story=story, members=members, curator=curator, reader=reader)
    _report(args, found, timings=timings, n_articles=len(articles))


def _analyze() -> None:
    """Statistics for the query planner, as autovacuum (PostgreSQL) or a maintenance run
    (SQLite) would have them after a bulk load this size."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(*, story, members, curator, reader) -> dict:
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    from articles import services
    from articles.models import ArticleProfile, StoryArticle
    from astana import urls as project_urls

    _analyze()

    def hello(request):
        return HttpResponse("hello")

    urlconf = type(
        "BenchUrls", (), {"urlpatterns": [path("bench-floor/", hello), *project_urls.urlpatterns]}
    )
    clients = {"anonymous": Client(), "reader": Client(), "curator": Client()}
    clients["reader"].force_login(reader)
    clients["curator"].force_login(curator)
    address = story.get_absolute_url()
    rows = {who: {"cold": [], "warm": [], "floor": []} for who in clients}
    with override_settings(ROOT_URLCONF=urlconf, ALLOWED_HOSTS=["testserver"]):
        for client in clients.values():  # templates, connections and sessions warm
            assert client.get(address).status_code == 200
        for n in range(ROUNDS):
            for who, client in clients.items():
                # Cold: the first request after a curator changed the story (every cached part
                # of the page is then out of date); warm: the requests after it.
                services.story_update(
                    user=curator, story=story, title=story.title, summary=f"{who} {n}"
                )
                rows[who]["cold"].append(_ms(lambda c=client: c.get(address)))
                floor, page = [], []
                for _ in range(PER_ROUND):
                    floor.append(_ms(lambda c=client: c.get("/bench-floor/")))
                    page.append(_ms(lambda c=client: c.get(address)))
                rows[who]["floor"].append(statistics.median(floor))
                rows[who]["warm"].append(statistics.median(page))

    # One new article placed in the corpus, from scratch each time.
    text = bytes(members[0].current_revision.raw_bytes) + b"\n\nOne more line.\n"
    new = services.article_import(name="bench-new-article.txt", data=text, compare=False).article
    placements = []
    for _ in range(PLACEMENTS):
        ArticleProfile.objects.filter(article=new).delete()
        StoryArticle.objects.filter(article=new).delete()
        placements.append(_ms(lambda: services.stories_suggest(article_ids=[new.pk])))
    return {"rows": rows, "placements": placements}


def _measure_again(args) -> None:
    from django.contrib.auth import get_user_model

    from articles.models import Article, Story

    story = Story.objects.get(title="A story of 500")
    User = get_user_model()
    found = _measure(
        story=story,
        members=list(story.articles.select_related("current_revision").order_by("pk")),
        curator=User.objects.get(username="bench-curator"),
        reader=User.objects.get(username="bench-reader"),
    )
    _report(args, found, timings={}, n_articles=Article.objects.count())


def _report(args, found: dict, *, timings: dict[str, float], n_articles: int) -> None:
    rows, placements = found["rows"], found["placements"]
    backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    report = {
        "python": platform.python_version(),
        "backend": backend,
        "articles": n_articles,
        "story_size": STORY_SIZE,
        "rounds": ROUNDS,
        "per_round": PER_ROUND,
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "story_page_ms": {
            who: {
                "cold_rounds": [round(x, 1) for x in r["cold"]],
                "warm_rounds": [round(x, 1) for x in r["warm"]],
                "floor_rounds": [round(x, 2) for x in r["floor"]],
            }
            for who, r in rows.items()
        },
        "place_one_ms": [round(x, 1) for x in placements],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "_pg" if backend == "PostgreSQL" else ""
    (RESULTS / f"stories_scale{suffix}.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# Stories at scale ({backend})",
        "",
        f"Python {report['python']}, {backend}, DEBUG off; {n_articles:,} generated articles, "
        f"one confirmed story of {STORY_SIZE} articles over 30 days in 12 outlets; planner "
        "statistics gathered (ANALYZE) before measuring. Produced by `python -m "
        "bench.stories_scale` (method: its docstring). Server time through Django's test "
        "client. Each of 3 rounds: a curator changes the story, the first request is timed "
        f"(cold), then {PER_ROUND} requests interleaved with a bare HttpResponse view (the "
        "floor); medians of the rounds, spread = lowest and highest round.",
        "",
        "| row | target | cold, median (spread) | warm, median (spread) | floor (spread) "
        "| warm / floor | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for who, r in rows.items():
        cold, warm = statistics.median(r["cold"]), statistics.median(r["warm"])
        floor = statistics.median(r["floor"])
        met = "met" if max(*r["cold"], *r["warm"]) < 150 else "**not met**"
        lines.append(
            f"| story page, {STORY_SIZE} articles, {who} | < 150 ms | {cold:.1f} ms "
            f"({_spread(r['cold'])}) | {warm:.1f} ms ({_spread(r['warm'])}) | {floor:.2f} ms "
            f"({_spread(r['floor'])}) | {warm / floor:.0f}× | {met} |"
        )
    place = statistics.median(placements)
    lines += [
        f"| place one new article among {n_articles:,} | < 1 s | first {placements[0]:.0f} ms "
        f"| {place:.0f} ms ({_spread(placements)}) | — | — | "
        f"{'met' if max(placements) < 1000 else '**not met**'} |",
        "",
    ]
    if timings:
        lines.append(
            f"Set-up times: generating the corpus {timings['generate']:.0f} s; profiling all "
            f"{n_articles:,} articles for clustering {timings['profile_all']:.1f} s "
            f"({timings['profile_all'] / n_articles * 1000:.2f} ms an article); comparing the "
            f"story's {STORY_SIZE} articles {timings['compare_members']:.0f} s."
        )
    else:
        lines.append("Measured again (`--reuse`) on the database an earlier run built.")
    lines += [
        "",
        "The article side of a story page (timeline, coverage, carried passages, differences, "
        "framing) is cached per story under the catalogue's version (articles, outlets, "
        "comparisons, stories and places in them): a warm request reads it from the cache, a "
        "cold one builds it; the claims are read for every request.",
    ]
    (RESULTS / f"stories_scale{suffix}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
