"""Following jobs: the API's long actions answer 202 Accepted with the job's address, which
shows its state, progress and result to whoever asked and to curators; the admin lists every
job for editors, and its import page hands the files to a job."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.jobs.models import Job, JobKind, JobState
from articles.jobs.services import job_enqueue, job_run
from articles.models import Article

pytestmark = pytest.mark.django_db

IMPORTS = "/api/imports/"
TEXT = {"name": "api.txt", "text": "A headline\n\nThe first paragraph of the story."}


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-editor-1234", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@override_settings(ASTANA_JOBS_BACKEND="database")
def test_an_import_through_the_api_answers_202_with_the_job(curator_client, curator):
    """POST /api/imports/ queues a job and says where to follow it; the job's address shows
    it queued, then (once a worker ran it) succeeded with what it imported."""
    response = curator_client.post(IMPORTS, TEXT, content_type="application/json")
    assert response.status_code == 202
    job = Job.objects.get()
    assert response["Location"] == f"/api/jobs/{job.pk}/"
    assert response.json()["state"] == "queued"
    assert (job.kind, job.requested_by) == (JobKind.IMPORT_FILES, curator)
    assert not Article.objects.exists()  # nothing ran inside the request

    shown = curator_client.get(response["Location"]).json()
    assert (shown["state"], shown["progress"], shown["finished"]) == (
        "queued",
        {"done": 0, "total": 0},
        False,
    )
    assert job_run(job_id=job.pk) == "succeeded"  # what a worker does
    shown = curator_client.get(response["Location"]).json()
    assert (shown["state"], shown["finished"], shown["error"]) == ("succeeded", True, None)
    assert shown["progress"] == {"done": 2, "total": 2}  # the file, then its comparison asked
    (entry,) = shown["result"]["files"]
    assert (entry["name"], entry["status"]) == ("api.txt", "created")
    comparison = Job.objects.get(pk=shown["result"]["comparison_job"])
    assert comparison.state == JobState.QUEUED  # a job of its own, for the next worker
    assert Article.objects.get().title == "A headline"


def test_on_the_immediate_backend_the_job_is_done_when_the_answer_comes(curator_client):
    """The tests' backend runs the job inside the request: still 202, already succeeded."""
    response = curator_client.post(IMPORTS, TEXT, content_type="application/json")
    assert response.status_code == 202
    assert response.json()["state"] == "succeeded"


def test_only_curators_start_imports(client, django_user_model):
    """A reader's import is refused (403), an anonymous one too; nothing is queued."""
    assert client.post(IMPORTS, TEXT, content_type="application/json").status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("reader", password="pw-r-123456"))
    assert client.post(IMPORTS, TEXT, content_type="application/json").status_code == 403
    assert not Job.objects.exists()


def test_a_request_without_a_link_or_text_is_a_400(curator_client):
    """Neither a link nor a name with text: 400, and no job."""
    response = curator_client.post(IMPORTS, {"name": "x.txt"}, content_type="application/json")
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_a_job_is_shown_to_its_owner_and_curators_only(client, curator, django_user_model):
    """Its owner and curators see a job; another reader and anonymous visitors get 404."""
    owner = django_user_model.objects.create_user("owner", password="pw-owner-12345")
    other = django_user_model.objects.create_user("other", password="pw-other-12345")
    job = job_enqueue(kind=JobKind.COMPARISON_REFRESH, user=owner, backend="database")
    url = f"/api/jobs/{job.pk}/"
    assert client.get(url).status_code == 404
    for user, status in ((other, 404), (owner, 200), (curator, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    assert client.get("/api/jobs/999999/").status_code == 404


def test_the_admin_lists_jobs_with_state_and_progress(client, editor, django_assert_num_queries):
    """Editors see every job with its state and progress, in the same number of queries
    however many jobs there are."""
    client.force_login(editor)
    url = reverse("admin:articles_job_changelist")
    job_enqueue(kind=JobKind.COMPARISON_REFRESH, user=editor, backend="database")
    client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        job_enqueue(kind=JobKind.COMPARISON_REFRESH, user=editor, backend="database")
    Job.objects.filter(pk=Job.objects.first().pk).update(
        state=JobState.RUNNING, progress_done=3, progress_total=7
    )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Refresh the comparison") >= 6
    assert "3 of 7" in page
    assert "Running" in page
    assert "Queued" in page

    done = job_enqueue(kind=JobKind.COMPARISON_REFRESH, user=editor)  # runs here and now
    detail = client.get(reverse("admin:articles_job_change", args=[done.pk])).content.decode()
    assert "Succeeded" in detail
    assert "comparison up to date" in detail


def test_readers_have_no_job_admin(client, curator):
    """Staff without the Editors' permissions do not see the job list."""
    client.force_login(curator)
    assert client.get(reverse("admin:articles_job_changelist")).status_code == 403


@override_settings(ASTANA_JOBS_BACKEND="database")
def test_the_admin_import_page_hands_the_files_to_a_job(client, editor):
    """Uploading in the admin queues one import job and opens its page."""
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_import"),
        {"name": "pasted.txt", "text": "Pasted title\n\nPasted body."},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_job_change", args=[job.pk])
    assert (job.state, job.files.get().name) == (JobState.QUEUED, "pasted.txt")
    assert not Article.objects.exists()
