"""python -m bench.version_query: what a cached page's version costs as the corpus grows.

Every anonymous page served from the cache first asks the database for its version (one
query, annotations/pages/cache.py). Issue 19 found that query growing with the corpus: it
counted and took the newest change of five whole tables. It now reads one counter row the
database keeps (articles.models.CatalogueVersion). This bench measures, on SQLite and on
PostgreSQL, at 300 and at 10,000 generated articles (bench.corpus, ten annotations per
article by 50 readers, with the comparison stored):

- **the anonymous article page from the cache**, of a typical article (as many annotations
  as the median one) and of the busiest: server time through Django's test client
  (URL routing, middleware, the version query, the cache read) with the production settings
  of bench/settings.py (cache in files), interleaved with a bare HttpResponse view (the floor)
  and with the version query alone, `article_page_version`, and the query it replaced (the
  same columns with the five tables counted, built here for reference). Each round is one
  child process of `PER_ROUND` requests of each kind after a warm-up; the rounds of every
  database and size take turns, so a busy machine slows them alike. Medians per round; the
  spread is the lowest and highest round.
- **the query plans** (EXPLAIN) of the article page's version, the article list's version and
  a signed-in reader's key (`reader_cache_key`: the reader's own annotations, replies to them
  and their groups'), the last for the busiest article and its most active annotator.
- **the comparison refresh with and without the triggers**, on a 2,000-article corpus: the
  stored comparison emptied and recomputed whole (`comparison_refresh()`, which writes every
  link, discrepancy, framing hit, attribution and wire passage with multi-row INSERTs),
  alternately with the catalogue's triggers and with them dropped; then one statement
  updating every stored link, and one-row updates of 2,000 articles in one transaction.

Target (issue 19): the anonymous page at 10,000 articles within 1.2x of its cost at 300.
Results: bench/results/version_query.{json,md}. Databases are throwaway (a temporary
directory; PostgreSQL databases named astana_bench_version_*, made and dropped here, or kept
with --keep and measured again with --reuse). Measures; never asserts.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from bench import child_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZES = (300, 10_000)
ANNOTATIONS_PER_ARTICLE = 10
USERS = 50
ROUNDS = 3
PER_ROUND = 60
REFRESH_ARTICLES = 2_000
REFRESH_RUNS = 3  # of each kind, alternating
ONE_ROW_UPDATES = 2_000
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/astana_bench_version")
TARGET = 1.2

# The query the catalogue's counter replaced: each table counted, and its newest change.
REPLACED = [
    ("articles_article", "updated"),
    ("articles_outlet", "updated"),
    ("articles_comparedrevision", "compared"),
    ("articles_story", "updated"),
    ("articles_storyarticle", "modified"),
]


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


# --- Phases, each in a child process with Django set up -------------------------------------


def phase_build(articles: int) -> dict:
    """Migrate and fill the database; statistics gathered as after a maintenance run."""
    from django.core.management import call_command

    from articles.models import Article
    from bench.corpus.generate import corpus_generate

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    if Article.objects.exists():
        return {"built": False, "articles": Article.objects.count()}
    started = time.perf_counter()
    out = io.StringIO()
    corpus_generate(
        articles=articles,
        annotations=articles * ANNOTATIONS_PER_ARTICLE,
        users=USERS,
        compare=True,
        out=out,
    )
    _analyze()
    return {
        "built": True,
        "seconds": time.perf_counter() - started,
        "log": out.getvalue().strip().splitlines(),
    }


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _chosen():
    """The published articles whose pages are timed: a typical one (as many annotations as
    the median article) and the busiest (the most annotations; its most active annotator's
    key is explained). The busiest page grows with the corpus (its readers are Zipf-like),
    so only the typical one compares sizes."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from annotations.models import Annotation
    from articles.models import Article

    counts = dict(
        Annotation.objects.filter(article__status=Article.Status.PUBLISHED)
        .values("article")
        .annotate(n=Count("pk"))
        .values_list("article", "n")
    )
    median = statistics.median_low(counts.values())
    typical = min(counts, key=lambda pk: (abs(counts[pk] - median), pk))
    busiest = min(counts, key=lambda pk: (-counts[pk], pk))
    creator = (
        Annotation.objects.filter(article=busiest)
        .values("creator")
        .annotate(n=Count("pk"))
        .order_by("-n", "creator")
        .values_list("creator", flat=True)[0]
    )
    chosen = Article.objects.select_related("current_revision").in_bulk([typical, busiest])
    return (
        (chosen[typical], counts[typical]),
        (chosen[busiest], counts[busiest]),
        get_user_model().objects.get(pk=creator),
    )


def _replaced_version(slug: str) -> Callable[[], str]:
    """The article page's version as it was read before the counter (for reference)."""
    from django.db import connection

    from annotations.pages.cache import _digest
    from articles.models import Article

    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {table}), (SELECT MAX({column}) FROM {table})"
        for table, column in REPLACED
    )
    sql = (
        f"SELECT a.id, a.updated, o.updated, r.id, r.created, c.public_version, {counts} "
        "FROM articles_article a JOIN articles_articlerevision r ON r.id = a.current_revision_id "
        "LEFT JOIN articles_outlet o ON o.id = a.outlet_id "
        "LEFT JOIN annotations_articleactivity c ON c.article_id = a.id "
        "WHERE a.slug = %s AND a.status = %s"
    )

    def read() -> str:
        with connection.cursor() as cursor:
            cursor.execute(sql, [slug, Article.Status.PUBLISHED])
            return _digest(tuple(cursor.fetchone()))

    return read


def phase_measure(per_round: int, explain: bool) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.pages import cache
    from articles.models import Article

    (article, annotated), (busiest, busiest_annotated), reader = _chosen()
    slug, address = article.slug, article.get_absolute_url()
    client = Client(HTTP_HOST="127.0.0.1")
    replaced = _replaced_version(slug)
    kinds: dict[str, Callable[[], object]] = {
        "floor": lambda: client.get("/bench/hello/"),
        "page": lambda: client.get(address),
        "version": lambda: cache.article_page_version(slug=slug),
        "replaced": replaced,
        "busiest": lambda: client.get(busiest.get_absolute_url()),
    }
    sizes = {}
    for name, url in (("page", address), ("busiest", busiest.get_absolute_url())):
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        with CaptureQueriesContext(connection) as again:
            assert client.get(url).content == first.content
        assert len(again.captured_queries) == 1, again.captured_queries  # the version alone
        sizes[name] = len(first.content)
    for fn in kinds.values():  # connections, templates and the cache warm
        for _ in range(5):
            fn()
    found: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(per_round):
        for kind, fn in kinds.items():
            # A request hands its connection back (to PostgreSQL's pool); the query alone is
            # timed on a connection already open.
            connection.ensure_connection()
            found[kind].append(_ms(fn))
    result: dict = {
        "database": connection.vendor,
        "articles": Article.objects.count(),
        "annotations": _count("annotations_annotation"),
        "links": _count("articles_passagelink"),
        "medians": {kind: statistics.median(values) for kind, values in found.items()},
        "pages": {
            "page": {"annotations": annotated, "bytes": sizes["page"]},
            "busiest": {"annotations": busiest_annotated, "bytes": sizes["busiest"]},
        },
    }
    if explain:
        result["plans"] = _plans(article, busiest, reader)
    return result


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def _plans(article, busiest, reader) -> dict[str, list[str]]:
    """EXPLAIN of each version query as it is sent (parameters in place): the typical
    article's page, the list, and the busiest article's most active annotator's key."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.pages import cache

    asks = {
        "article page version (anonymous)": lambda: cache.article_page_version(slug=article.slug),
        "article list version (anonymous)": lambda: cache.site_version(),
        "reader key (signed in, own annotations, busiest article)": (
            lambda: cache.reader_cache_key(article=busiest, user=reader)
        ),
    }
    plans = {}
    for name, ask in asks.items():
        with CaptureQueriesContext(connection) as captured:
            ask()
        (query,) = captured.captured_queries
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                rows = cursor.fetchall()
                depth: dict[int, int] = {0: -1}
                lines = []
                for node, parent, _, detail in rows:
                    depth[node] = depth.get(parent, -1) + 1
                    lines.append("  " * depth[node] + detail)
            else:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {query['sql']}")
                lines = [row[0] for row in cursor.fetchall()]
        plans[f"{name} — {query['time']} s"] = lines
    return plans


def phase_refresh(articles: int, runs: int) -> dict:
    """The comparison refresh from empty, with the triggers and without, alternating."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles.comparison import store
    from articles.models import (
        Article,
        Attribution,
        ComparedRevision,
        Discrepancy,
        FramingHit,
        PassageLink,
        WirePassage,
    )
    from bench.corpus.generate import corpus_generate

    migration = importlib.import_module("articles.migrations.0020_catalogue_version")
    sqlite = connection.vendor == "sqlite"
    # The time the refresh spends writing rows (where the triggers run), apart from the
    # engine's: the store's one insert function, timed.
    inserting = [0.0]
    insert = store._insert

    def timed_insert(*args, **kwargs) -> None:
        started = time.perf_counter()
        insert(*args, **kwargs)
        inserting[0] += time.perf_counter() - started

    store._insert = timed_insert

    def triggers(on: bool) -> None:
        if on:
            statements = migration.sqlite_triggers() if sqlite else migration.postgresql_forward()
        else:
            statements = migration._sqlite_backward() if sqlite else migration.postgresql_backward()
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if not Article.objects.exists():
        corpus_generate(articles=articles, annotations=0, users=0, compare=False)
        _analyze()
    found: dict[str, dict[str, list]] = {
        kind: {"refresh": [], "inserts": [], "update_links": [], "one_row_updates": []}
        for kind in ("with", "without")
    }
    report = None
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:ONE_ROW_UPDATES])
    try:
        for _ in range(runs):
            for kind in ("with", "without"):
                triggers(on=False)
                if kind == "with":
                    triggers(on=True)
                for model in (ComparedRevision, PassageLink, Discrepancy, FramingHit):
                    model.objects.all().delete()
                Attribution.objects.all().delete()
                WirePassage.objects.all().delete()
                started, inserting[0] = time.perf_counter(), 0.0
                report = store.comparison_refresh()
                found[kind]["refresh"].append(time.perf_counter() - started)
                found[kind]["inserts"].append(inserting[0])
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute("UPDATE articles_passagelink SET score = score")
                    found[kind]["update_links"].append(time.perf_counter() - started)

                def one_by_one() -> None:
                    with transaction.atomic(), connection.cursor() as cursor:
                        for pk in ids:
                            cursor.execute(
                                "UPDATE articles_article SET word_count = word_count WHERE id = %s",
                                [pk],
                            )

                found[kind]["one_row_updates"].append(_ms(one_by_one) / 1000)
    finally:
        triggers(on=False)
        triggers(on=True)
    assert report is not None
    return {
        "database": connection.vendor,
        "articles": Article.objects.count(),
        "links": PassageLink.objects.count(),
        "rows": {
            "links": PassageLink.objects.count(),
            "discrepancies": Discrepancy.objects.count(),
            "framing hits": FramingHit.objects.count(),
            "attributions": Attribution.objects.count(),
            "wire passages": WirePassage.objects.count(),
        },
        "statements": len(ids),
        "seconds": found,
    }


# --- The parent: databases, rounds, report ---------------------------------------------------


def _child(phase: list[str], env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.version_query", "--phase", *phase],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=6 * 3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg(name: str, *, fresh: bool) -> str | None:
    """The URL of PostgreSQL database `name` (made empty when `fresh`), or None when the
    server cannot be reached (the reason printed)."""
    url = urlparse(PG_URL)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    args += ["-U", url.username or "postgres"]
    try:
        if fresh:
            subprocess.run(["dropdb", *args, "--if-exists", name], check=True, capture_output=True)
            subprocess.run(["createdb", *args, name], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"PostgreSQL skipped: {getattr(exc, 'stderr', b'') or exc}", flush=True)
        return None
    return url._replace(path=f"/{name}").geturl()


def _pg_drop(name: str) -> None:
    url = urlparse(PG_URL)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    args += ["-U", url.username or "postgres", "--if-exists", name]
    subprocess.run(["dropdb", *args], check=False, capture_output=True)


def _pg_name(label: str) -> str:
    return f"{urlparse(PG_URL).path.lstrip('/')}_{label}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--per-round", type=int, default=PER_ROUND)
    parser.add_argument(
        "--refresh-articles", type=int, default=REFRESH_ARTICLES, help="0 leaves it out."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the databases built.")
    parser.add_argument("--reuse", default="", help="The directory of a run made with --keep.")
    args = parser.parse_args(argv)
    if args.phase:
        import django

        django.setup()
        kind, *rest = args.phase
        if kind == "build":
            result = phase_build(int(rest[0]))
        elif kind == "measure":
            result = phase_measure(int(rest[0]), explain=rest[1] == "explain")
        else:
            result = phase_refresh(int(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(args.reuse or tempfile.mkdtemp(prefix="astana-version-"))
    reusing = bool(args.reuse)
    targets: dict[tuple[str, int], dict] = {}
    pg_made: list[str] = []
    for database in args.databases.split(","):
        for size in sizes:
            label = f"{database}_{size}"
            if database == "sqlite":
                url = f"sqlite:///{workdir / f'{label}.sqlite3'}"
            else:
                name = _pg_name(str(size))
                found = _pg(name, fresh=not reusing)
                if found is None:
                    continue
                url = found
                pg_made.append(name)
            env = child_environment(workdir / label, url)
            (workdir / label).mkdir(parents=True, exist_ok=True)
            print(f"building {label} …", flush=True)
            built = _child(["build", str(size)], env)
            targets[(database, size)] = {"env": env, "build": built, "rounds": []}

    for n in range(args.rounds):
        for (database, size), target in targets.items():
            print(f"round {n + 1}: {database}, {size:,} articles", flush=True)
            phase = ["measure", str(args.per_round), "explain" if n == 0 else "-"]
            target["rounds"].append(_child(phase, target["env"]))

    refresh = []
    if args.refresh_articles:
        for database in args.databases.split(","):
            label = f"{database}_refresh"
            if database == "sqlite":
                url = f"sqlite:///{workdir / f'{label}.sqlite3'}"
            else:
                name = _pg_name("refresh")
                found = _pg(name, fresh=not reusing)
                if found is None:
                    continue
                url = found
                pg_made.append(name)
            (workdir / label).mkdir(parents=True, exist_ok=True)
            print(f"comparison refresh, {database} …", flush=True)
            phase = ["refresh", str(args.refresh_articles), str(REFRESH_RUNS)]
            refresh.append(_child(phase, child_environment(workdir / label, url)))

    _report(args, targets, refresh)
    if args.keep:
        print(f"kept: --reuse {workdir}", flush=True)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        for name in pg_made:
            _pg_drop(name)


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def _report(args, targets: dict, refresh: list[dict]) -> None:
    load = os.getloadavg()
    report: dict = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in load],
        "rounds": args.rounds,
        "per_round": args.per_round,
        "targets": [],
        "refresh": refresh,
    }
    for (database, _), target in targets.items():
        rounds = target["rounds"]
        report["targets"].append(
            {
                "database": database,
                "articles": rounds[0]["articles"],
                "annotations": rounds[0]["annotations"],
                "links": rounds[0]["links"],
                "build": target["build"],
                "medians_ms": {
                    kind: [round(r["medians"][kind], 3) for r in rounds]
                    for kind in rounds[0]["medians"]
                },
                "pages": rounds[0]["pages"],
                "plans": rounds[0].get("plans", {}),
            }
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "version_query.json").write_text(json.dumps(report, indent=2) + "\n")

    lines = [
        "# The version query as the corpus grows (issue 19)",
        "",
        f"Python {report['python']} on {report['cpus']} CPUs (load average afterwards "
        f"{', '.join(f'{x:.1f}' for x in load)}; the machine is shared). Produced by `python -m "
        "bench.version_query` (method: its docstring). Server time in-process through Django's "
        "test client with the production settings (page cache in files); each round is one "
        f"process of {args.per_round} requests of each kind, interleaved; medians of "
        f"{args.rounds} rounds, spread = lowest and highest round. Corpora from bench.corpus: "
        f"{ANNOTATIONS_PER_ARTICLE} annotations per article by {USERS} readers, comparison "
        "stored, planner statistics gathered (ANALYZE). The typical article has as many "
        "annotations as the median article; the busiest, the most (readers pick articles "
        "Zipf-like, so the busiest page grows with the corpus and is shown for what its size "
        "costs, not for the target).",
        "",
        "| database | articles | annotations | links | cached page, typical article | floor "
        "| version query | replaced query (5 tables counted) | cached page, busiest article |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in report["targets"]:
        m, pages = t["medians_ms"], t["pages"]
        cells = [
            f"{statistics.median(m[k]):.2f} ms ({_spread(m[k])})"
            for k in ("page", "floor", "version", "replaced", "busiest")
        ]
        for i, kind in ((0, "page"), (4, "busiest")):
            cells[i] += (
                f"; {pages[kind]['annotations']:,} annotations, "
                f"{pages[kind]['bytes'] / 1024:,.0f} KB"
            )
        lines.append(
            f"| {t['database']} | {t['articles']:,} | {t['annotations']:,} | {t['links']:,} | "
            + " | ".join(cells)
            + " |"
        )
    lines += [
        "",
        "## Target",
        "",
        "| row | target | at the smallest | at the largest | ratio (spread over rounds) | met |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for database in dict.fromkeys(t["database"] for t in report["targets"]):
        mine = sorted(
            (t for t in report["targets"] if t["database"] == database),
            key=lambda t: t["articles"],
        )
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        for kind, what in (
            ("page", "anonymous article page (typical)"),
            ("version", "version query"),
        ):
            a, b = small["medians_ms"][kind], large["medians_ms"][kind]
            ratio = statistics.median(b) / statistics.median(a)
            per_round = [y / x for x, y in zip(a, b, strict=True)]
            target = f"within {TARGET}× of {small['articles']:,}" if kind == "page" else "—"
            met = ("met" if ratio <= TARGET else "**not met**") if kind == "page" else "—"
            lines.append(
                f"| {what} at {large['articles']:,} articles ({database}) | {target} | "
                f"{statistics.median(a):.2f} ms | {statistics.median(b):.2f} ms | "
                f"{ratio:.2f}× ({_spread(per_round)}) | {met} |"
            )
    if refresh:
        lines += [
            "",
            "## Cost of the triggers on bulk writes",
            "",
            "The comparison refresh of a generated corpus from empty (every stored result "
            "deleted, then `comparison_refresh()`), with the catalogue's triggers and with them "
            f"dropped, alternately ({REFRESH_RUNS} runs each); then one `UPDATE` of every "
            f"stored link (one statement), and {ONE_ROW_UPDATES:,} one-row updates of articles "
            "in one transaction. SQLite's triggers run once per row, PostgreSQL's once per "
            "statement (and bump the counter once per transaction, at commit).",
            "",
            "| database | articles | rows written | write | with triggers | without | difference |",
            "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
        ]
        for r in refresh:
            written = sum(r["rows"].values())
            for key, what in (
                ("refresh", "comparison refresh"),
                ("inserts", "… of which inserting its rows"),
                ("update_links", f"update {r['links']:,} links, one statement"),
                ("one_row_updates", f"{r['statements']:,} one-row updates, one transaction"),
            ):
                on = statistics.median(r["seconds"]["with"][key])
                off = statistics.median(r["seconds"]["without"][key])
                lines.append(
                    f"| {r['database']} | {r['articles']:,} | {written:,} | {what} | "
                    f"{on:.2f} s ({_spread(r['seconds']['with'][key])}) | {off:.2f} s "
                    f"({_spread(r['seconds']['without'][key])}) | {on - off:+.2f} s "
                    f"({(on - off) / off:+.0%}) |"
                )
    lines += ["", "## Query plans", ""]
    for t in report["targets"]:
        for name, plan in t["plans"].items():
            lines += [
                f"{t['database']}, {t['articles']:,} articles — {name}:",
                "",
                "```",
                *plan,
                "```",
                "",
            ]
    (RESULTS / "version_query.md").write_text("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    main()
