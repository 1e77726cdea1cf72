"""`manage.py backup` and `restore`: a round trip gives the same database; failures change
nothing."""

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import services
from annotations.management.commands.backup import excluded
from annotations.models import Annotation, Claim
from articles.models import Article, ArticleRevision, Outlet, PassageLink

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dump() -> list:
    out = io.StringIO()
    call_command(
        "dumpdata",
        format="backup-json",
        exclude=excluded(),  # what a backup leaves out (derived counters among them)
        natural_foreign=True,  # and every primary key: a restore keeps them all
        stdout=out,
    )
    return sorted(json.dumps(record, sort_keys=True) for record in json.loads(out.getvalue()))


@pytest.fixture
def corpus(seeds, django_user_model):
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    body = seeds["001"].current_revision.body
    claim = services.claim_create(user=alice, text="Rebels will attend", tags=["talks"])
    services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=0,
        end=12,
        note="A note with ünïcödé 🕊️ and <b>markup</b>",
        tags=["people", "Astana"],
    )
    services.annotation_create(
        user=alice,
        article=seeds["001"],
        start=body.index("Ankara"),
        end=body.index("Ankara") + 6,
        motivation="assessing",
        claim=claim,
        visibility="private",
    )
    return seeds


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_backup_then_restore_gives_the_same_database(corpus, tmp_path: Path, name):
    before = dump()
    target = tmp_path / name
    call_command("backup", str(target), stdout=io.StringIO())
    if name.endswith(".gz"):
        with gzip.open(target) as packed:
            assert packed.read(1) == b"["
    # change things, then restore over them
    Annotation.objects.filter(note__startswith="A note").delete()
    Outlet.objects.create(name="New outlet", slug="new-outlet")
    call_command("restore", str(target), "--replace", stdout=io.StringIO())
    assert dump() == before
    assert ArticleRevision.objects.filter(raw_bytes__isnull=False).count() == 5
    assert PassageLink.objects.exists()
    assert Claim.objects.get().tags.count() == 1


def test_restore_refuses_a_database_with_content(corpus, tmp_path):
    target = tmp_path / "b.json"
    call_command("backup", str(target), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(target), stdout=io.StringIO())


def test_a_damaged_backup_changes_nothing(corpus, tmp_path):
    before = dump()
    target = tmp_path / "b.json"
    call_command("backup", str(target), stdout=io.StringIO())
    records = json.loads(target.read_text())
    # keep the first half, then a record pointing at an article that does not exist
    broken = records[: len(records) // 2]
    annotation = next(r for r in records if r["model"] == "annotations.annotation")
    annotation = {
        **annotation,
        "pk": 999_999,
        "fields": {**annotation["fields"], "article": 424242},
    }
    broken.append(annotation)
    target.write_text(json.dumps(broken))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(target), "--replace", stdout=io.StringIO())
    assert dump() == before
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path / "junk.json"), "--replace", stdout=io.StringIO())
    assert dump() == before


def test_backup_never_leaves_a_partial_file(corpus, tmp_path, monkeypatch):
    target = tmp_path / "b.json"

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("annotations.management.commands.backup.call_command", failing)
    with pytest.raises(RuntimeError):
        call_command("backup", str(target), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_to_overwrite(corpus, tmp_path):
    target = tmp_path / "b.json"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(target), stdout=io.StringIO())
    assert target.read_text() == "keep me"
    assert Article.objects.count() == 5


def test_restore_renders_notes_again_instead_of_trusting_the_files_html(corpus, tmp_path):
    """HTML stored in a backup is input: a crafted note_html, or none at all (a file from
    before notes were stored rendered), is replaced by the note rendered and sanitised."""
    target = tmp_path / "b.json"
    call_command("backup", str(target), stdout=io.StringIO())
    expected = {a.pk: a.note_html for a in Annotation.objects.all()}
    records = json.loads(target.read_text())
    notes = [r for r in records if r["model"] == "annotations.annotation" and r["fields"]["note"]]
    assert notes
    notes[0]["fields"]["note_html"] = '<script>alert("restored")</script>'
    for record in notes[1:]:
        del record["fields"]["note_html"]
    target.write_text(json.dumps(records))
    call_command("restore", str(target), "--replace", stdout=io.StringIO())
    restored = {a.pk: a.note_html for a in Annotation.objects.all()}
    assert restored == expected
    assert "<script" not in "".join(restored.values())
