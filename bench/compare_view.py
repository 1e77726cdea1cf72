"""python -m bench.compare_view: server time of the compare page, read from stored results.

Imports the seeds into a throwaway SQLite database (the embedded default), then times the
compare page of all five seeds through Django's test client (the whole request: URL routing,
middleware, queries, template rendering), against the article list page and a bare
HttpResponse view (the floor) measured in the same run. It also times one
`comparison_refresh` after a revision (the incremental update an import triggers).
Results go to bench/results/compare_view.json and .md. Measures; never asserts.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROUNDS = 60


def _times(fn, rounds: int) -> list[float]:
    fn()  # warm caches (templates, connections)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _row(name: str, samples: list[float], floor: float) -> dict:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    return {
        "page": name,
        "median_ms": round(median, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "x_floor": round(median / floor, 1),
    }


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="astana-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "astana.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    from articles.comparison.store import comparison_refresh
    from articles.models import Article
    from astana import urls as project_urls

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("import_articles", "--no-progress", stdout=io.StringIO())
    articles = list(Article.objects.order_by("source_name"))
    compare = "/compare/?articles=" + ",".join(a.slug for a in articles)

    def hello(request):
        return HttpResponse("hello")

    urlconf = type(
        "BenchUrls",
        (),
        {"urlpatterns": [path("bench-floor/", hello), *project_urls.urlpatterns]},
    )
    client = Client()
    with override_settings(ROOT_URLCONF=urlconf, ALLOWED_HOSTS=["testserver"]):
        assert client.get(compare).status_code == 200
        floor = statistics.median(_times(lambda: client.get("/bench-floor/"), ROUNDS))
        rows = [
            _row(
                "bare HttpResponse (floor)",
                _times(lambda: client.get("/bench-floor/"), ROUNDS),
                floor,
            ),
            _row("article list", _times(lambda: client.get("/"), ROUNDS), floor),
            _row(
                "article page (001)",
                _times(lambda: client.get(articles[1].get_absolute_url()), ROUNDS),
                floor,
            ),
            _row(
                "compare, 2 articles",
                _times(lambda: client.get(compare.rsplit(",", 3)[0]), ROUNDS),
                floor,
            ),
            _row("compare, all 5 seeds", _times(lambda: client.get(compare), ROUNDS), floor),
        ]
    refresh = _times(lambda: comparison_refresh(article_ids=[articles[4].pk]), 10)
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "rounds": ROUNDS,
        "pages": rows,
        "refresh_one_article_ms": round(statistics.median(refresh), 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare_view.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Compare page: server time",
        "",
        f"Python {report['python']} on {report['machine']}, SQLite, DEBUG off, Django's test "
        f"client (whole request, no network); median and p95 of {ROUNDS} requests "
        "after one warm-up. "
        "Produced by `python -m bench.compare_view`.",
        "",
        "| page | median ms | p95 ms | × floor |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {r['page']} | {r['median_ms']} | {r['p95_ms']} | {r['x_floor']} |" for r in rows),
        "",
        f"Incremental `comparison_refresh` of one revised article among the five: "
        f"{report['refresh_one_article_ms']} ms (median of 10).",
        "",
    ]
    (RESULTS / "compare_view.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
