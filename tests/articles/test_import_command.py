"""The import_articles command: idempotency, revisions, and every kind of bad input."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleRevision, Block
from articles.selectors import outlet_signatures
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

pytestmark = pytest.mark.django_db

GOOD_TEXT = (
    "Ceasefire holds in the north\n\n"
    "DAMASCUS - The ceasefire held for a third day on Sunday, officials said.\n\n"
    "Talks are expected to resume next week in the Kazakh capital.\n"
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str, CommandError]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), excinfo.value


def snapshot() -> tuple[int, int, int]:
    return Article.objects.count(), ArticleRevision.objects.count(), Block.objects.count()


def test_default_path_imports_the_seeds():
    """With no path the command imports settings.SEEDS_DIR (the checkout's seeds/): the five
    seed files, each a published article under its own file name."""
    assert Path(settings.SEEDS_DIR) == Path(settings.BASE_DIR) / "seeds"
    assert not Article.objects.exists()
    out, err = run()  # no path argument: the default is the only source of files
    assert "5 created" in out
    assert err == ""
    published = Article.objects.published().values_list("source_name", flat=True)
    assert sorted(published) == sorted(SEED_NAMES.values())


def test_importing_twice_changes_nothing(seeds):
    """A second import of the same files reports them unchanged and writes nothing."""
    before = snapshot()
    updated = {a.pk: a.updated for a in Article.objects.all()}
    out, _ = run()
    assert "5 unchanged" in out
    assert snapshot() == before
    assert {a.pk: a.updated for a in Article.objects.all()} == updated


def test_changed_file_becomes_a_new_revision(tmp_path, seeds):
    """A changed file under the same name adds a revision; the old one is kept."""
    name = SEED_NAMES["001"]
    changed = tmp_path / name
    changed.write_bytes(seed_path("001").read_bytes().replace(b"fragile", b"delicate"))
    out, _ = run(str(changed))
    assert "revised" in out
    article = Article.objects.get(source_name=name)
    assert Article.objects.count() == 5
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]
    assert article.current_revision.number == 2
    assert "delicate" in article.current_revision.body
    first = article.revisions.get(number=1)
    assert bytes(first.raw_bytes) == seed_path("001").read_bytes()
    assert first.blocks.count() > 0
    # Re-importing the original bytes makes a third revision, never a duplicate article.
    run(str(seed_path("001")))
    article.refresh_from_db()
    assert article.current_revision.number == 3
    assert Article.objects.filter(source_name=name).count() == 1


def test_directory_is_walked_and_hidden_files_skipped(tmp_path):
    """A directory imports its text files (recursively), skipping hidden ones."""
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.txt").write_text(
        GOOD_TEXT.replace("north", "south"), encoding="utf-8"
    )
    (tmp_path / ".hidden.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")
    out, _ = run(str(tmp_path))
    assert "2 created" in out
    assert set(Article.objects.values_list("source_name", flat=True)) == {"a.txt", "b.txt"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"text with a \x00 NUL byte\n", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
    ids=["empty", "blank", "png", "nul", "control-characters"],
)
def test_bad_files_fail_clearly_and_the_others_still_import(tmp_path, data, message):
    """Each bad file gets a one-line error; good files beside it are imported; exit non-zero."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    _out, err, error = run_failing(str(bad), str(good))
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert str(bad) in error_lines[0]
    assert message in error_lines[0]
    assert "1 path(s) failed" in str(error)
    assert list(Article.objects.values_list("source_name", flat=True)) == ["good.txt"]


def test_missing_path_is_an_error_but_the_rest_imports(tmp_path):
    """A path that does not exist is reported and the command exits non-zero."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    _, err, _ = run_failing(str(missing), str(good))
    assert f"error: {missing}: no such file or directory" in err
    assert Article.objects.count() == 1


def test_file_over_the_size_limit_is_refused(tmp_path):
    """The size limit comes from the setting and can be lowered per run."""
    big = tmp_path / "big.txt"
    big.write_text(GOOD_TEXT * 50, encoding="utf-8")
    _, err, _ = run_failing(str(big), "--max-bytes", "1000")
    assert "over the limit of 1,000 bytes" in err
    with override_settings(ASTANA_IMPORT_MAX_BYTES=500):
        _, err, _ = run_failing(str(big))
    assert "over the limit of 500 bytes" in err
    assert Article.objects.count() == 0
    run(str(big))
    assert Article.objects.count() == 1


def test_non_utf8_text_is_decoded_with_a_warning(tmp_path):
    """Windows-1252 text is imported, with its curly quotes, and a warning is printed."""
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(GOOD_TEXT.replace("officials said", "“officials” said").encode("cp1252"))
    out, err = run(str(legacy))
    assert "1 created" in out
    assert "warning:" in err
    assert "cp1252" in err
    revision = Article.objects.get().current_revision
    assert "“officials”" in revision.body
    assert revision.encoding == "cp1252"
    assert revision.warnings


def test_a_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    """A crash while writing one file's blocks rolls that file back entirely; the files
    before it stay imported (and are reported), the ones after are not written."""
    from articles import services

    for name, place in (("first.txt", "north"), ("second.txt", "east"), ("third.txt", "west")):
        (tmp_path / name).write_text(GOOD_TEXT.replace("north", place), encoding="utf-8")
    original = services.blocks.blocks_insert

    def flaky_blocks_insert(rows):
        rows = list(rows)
        if any("east" in row[4] for row in rows):
            raise IntegrityError("simulated failure while writing blocks")
        return original(rows)

    monkeypatch.setattr(services.blocks, "blocks_insert", flaky_blocks_insert)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(IntegrityError):
        call_command("import_articles", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    assert list(Article.objects.values_list("source_name", flat=True)) == ["first.txt"]
    assert ArticleRevision.objects.count() == 1
    assert Block.objects.count() == Article.objects.get().current_revision.blocks.count() > 0
    assert Article.history.count() == 1
    assert "created: first.txt" in out.getvalue()
    assert "second.txt" not in out.getvalue()


def test_progress_bar_shows_for_many_files(tmp_path):
    """Importing many files draws a progress bar on stderr when asked to (a terminal)."""
    for index in range(12):
        (tmp_path / f"{index:02}.txt").write_text(
            GOOD_TEXT + f"\nItem {index}.\n", encoding="utf-8"
        )
    err = io.StringIO()
    err.isatty = lambda: True
    call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "Importing" in err.getvalue()
    assert "12/12" in err.getvalue()
    assert Article.objects.count() == 12


def test_same_title_in_two_files_gets_two_slugs(tmp_path):
    """Two files with the same headline become two articles with distinct addresses."""
    (tmp_path / "one.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "two.txt").write_text(GOOD_TEXT + "\nOne more line of text here.\n", "utf-8")
    run(str(tmp_path))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["ceasefire-holds-in-the-north", "ceasefire-holds-in-the-north-2"]


# sha256 of the shared corpus files, taken when seeds/ was copied from ../shared/seeds/.
SHARED_SEED_SHA256 = {
    "000_190fb4b02957d604.txt": "27a1dc22f45642a23912d0b08e8873306afbd601521af2014045c7eb517ad6a8",
    "001_378cecce5d93c993.txt": "1e7bf571776a72bdea5324f6516bb683f17c2ce08e34abd86678487fcff257e0",
    "002_59ac119114fdc535.txt": "374e9587ccf536d35a2ac9cc2ed49f5270efbe76898ab49203ce46b61d965102",
    "003_c4278ed1f59a72b0.txt": "cc61e1c6854137dd37cf3e44c8497cc11d1c207c5e075f98bac25c556a823f50",
    "004_ca811f35df24ace1.txt": "027090c6d42696af94bd854e67307a494526f849cb8d640d75db4684815e16c1",
}


def test_seed_copy_is_byte_identical_to_the_shared_corpus():
    """seeds/ holds the shared corpus byte for byte, under the same names."""
    local = seed_path("000").parent
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in local.glob("*.txt")}
    assert found == SHARED_SEED_SHA256
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if shared.is_dir():  # beside a development checkout, compare with the files themselves
        for name in found:
            assert (shared / name).read_bytes() == (local / name).read_bytes()


# --- Speed: the engine in worker processes, and the queries each file costs -----------------


def _write_batch(directory: Path) -> None:
    """Files that exercise every path: new, same title twice, a warning, a refusal."""
    for index in range(9):
        (directory / f"story-{index}.txt").write_text(
            GOOD_TEXT.replace("third day", f"day number {index}"), encoding="utf-8"
        )
    (directory / "twin.txt").write_text(GOOD_TEXT + "\nA twin with the same headline.\n", "utf-8")
    (directory / "legacy.txt").write_bytes(GOOD_TEXT.replace("said", "“said”").encode("cp1252"))
    (directory / "empty.txt").write_bytes(b"")


def _imported() -> list[tuple]:
    return [
        (
            a.source_name,
            a.slug,
            a.title,
            a.outlet_id,
            a.current_revision.body,
            a.current_revision.warnings,
            list(a.current_revision.blocks.values_list("kind", "start", "end", "body_start")),
        )
        for a in Article.objects.select_related("current_revision").order_by("source_name")
    ]


@pytest.mark.parametrize("start_method", ["chosen", "forkserver"])
def test_worker_processes_import_exactly_like_one_process(tmp_path, monkeypatch, start_method):
    """With the engine in worker processes, the output, errors and rows are the same."""
    from articles import parallel
    from articles.management.commands import import_articles

    _write_batch(tmp_path)
    _out, _err, _ = run_failing(str(tmp_path), "--workers", "1")
    serial = (_out, _err, _imported())
    Article.objects.all().delete()
    monkeypatch.setattr(import_articles, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(import_articles, "CHUNK", 3)
    if start_method != "chosen":  # the command forks when no other thread runs
        monkeypatch.setattr(parallel, "choose_start_method", lambda: start_method)
    out, err, error = run_failing(str(tmp_path), "--workers", "2")
    assert (out, err, _imported()) == serial
    assert "11 created" in out
    assert "1 path(s) failed" in str(error)
    assert f"error: {tmp_path / 'empty.txt'}: file is empty" in err
    assert "cp1252" in err


def _counted(**kwargs) -> int:
    """Statements one import runs, leaving out transaction control (BEGIN, SAVEPOINT, ...)."""
    with CaptureQueriesContext(connection) as captured:
        article_import(compare=False, **kwargs)
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(control))


def test_each_file_costs_a_fixed_number_of_queries():
    """A new file: 7 statements whatever its size; the same bytes again: one select."""
    outlets = outlet_signatures()
    long = seed_path("000").read_bytes()
    assert _counted(name="short.txt", data=GOOD_TEXT.encode(), outlets=outlets) == 7
    assert _counted(name="long.txt", data=long, outlets=outlets) == 7
    assert _counted(name="long.txt", data=long, outlets=outlets) == 1
    assert Article.objects.get(source_name="long.txt").history.count() == 1
