"""A reader's own pages in a real browser: the header's Tags link opens the tag index with
counts, the reader's name opens their page (/users/<name>/) listing what they wrote across
articles; the tag, kind and article filters narrow it, and the export links download exactly
the filtered list as JSON-LD, CSV and Markdown. Someone else's private note shows nowhere.

Annotations are made through the services; the expected lists and counts are worked out here
from what was made (who wrote it, whether it is private), not copied from the pages. Nothing
sleeps: every step waits for a condition.
"""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation

from .test_annotating import alice, annotate, bob, make_user  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

# (who, seed, phrase, fields): plain ASCII phrases, each once in its article.
MADE = {
    "alloush": (
        "alice",
        "004",
        "Mohammad Alloush",
        {"motivation": "commenting", "note": "He will head the delegation.", "tags": ["people"]},
    ),
    "ceasefire": (
        "alice",
        "004",
        "the matter of the ceasefire",
        {"motivation": "highlighting", "colour": "green", "tags": ["ceasefire"]},
    ),
    "abu_zaid": (
        "alice",
        "002",
        "Osama Abu Zaid",
        {"motivation": "commenting", "note": "A spokesman, quoted by Reuters.", "tags": ["people"]},
    ),
    "ongoing": (
        "alice",
        "002",
        "the ongoing ceasefire",
        {
            "motivation": "questioning",
            "note": "Which terms, exactly?",
            "visibility": "private",
            "tags": ["ceasefire"],
        },
    ),
    "southern_front": ("bob", "002", "Southern Front", {"tags": ["people"]}),
    "malahifji": (
        "bob",
        "004",
        "Zakaria Malahifji",
        {
            "motivation": "commenting",
            "note": "Bob keeps this one to himself.",
            "visibility": "private",
            "tags": ["people", "bobs-secret"],
        },
    ),
}


@pytest.fixture
def made(seeded, alice, bob) -> dict[str, Annotation]:  # noqa: F811
    users = {"alice": alice, "bob": bob}
    return {
        key: annotate(users[who], seeded[seed], phrase, **fields)
        for key, (who, seed, phrase, fields) in MADE.items()
    }


@pytest.fixture
def alice_page(make_page, seeded, alice, sign_in) -> Page:  # noqa: F811
    page = make_page()
    sign_in(page, alice)
    return page


def visible_to(username: str, made: dict[str, Annotation]) -> dict[str, Annotation]:
    """What this reader may see: their own annotations and everyone's public ones."""
    return {
        key: a
        for key, a in made.items()
        if a.creator.username == username or a.visibility == "public"
    }


def listed(page: Page, count: int) -> set[int]:
    """The annotations the person's page lists (after waiting for exactly `count`)."""
    items = page.locator("ol.person-items > li.person-item")
    expect(items).to_have_count(count)
    return {
        int(i.removeprefix("annotation-")) for i in items.evaluate_all("els => els.map(e => e.id)")
    }


def pks(made: dict[str, Annotation], *keys: str) -> set[int]:
    return {made[key].pk for key in keys}


def apply_filters(page: Page, **values: str) -> None:
    """Choose filters in the form (tag, kind, article; "" for all) and submit it."""
    form = page.get_by_role("form", name="Filter the annotations")
    for name, value in values.items():
        form.locator(f"select[name={name}]").select_option(value=value)
    form.get_by_role("button", name="Filter").click()
    for name, value in values.items():
        if value:
            expect(page).to_have_url(re.compile(rf"[?&]{name}={re.escape(value)}(&|$)"))
        else:
            expect(page).not_to_have_url(re.compile(rf"[?&]{name}=[^&]"))  # sent empty


def download(page: Page, link_name: str) -> tuple[str, str]:
    """Click an export link; the downloaded file's suggested name and text."""
    with page.expect_download() as info:
        page.locator(".person-export").get_by_role("link", name=link_name).click()
    file = info.value
    assert file.failure() is None, file.failure()
    return file.suggested_filename, Path(file.path()).read_text(encoding="utf-8")


def jsonld_quotes(text: str) -> set[str]:
    data = json.loads(text)
    items = data["first"]["items"] if data.get("first") else []
    assert data["total"] == len(items)
    quotes = set()
    for item in items:
        for selector in item["target"]["selector"]:
            if selector["type"] == "TextQuoteSelector":
                quotes.add(selector["exact"])
    return quotes


def test_header_tags_link_shows_tags_with_counts(alice_page: Page, made, seeded):
    """The Tags link in the header opens /tags/: each tag on a passage the reader may see,
    with how many such passages carry it; a tag only on someone's private note is not there."""
    page = alice_page
    page.goto(f"/articles/{seeded['004'].slug}/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Tags").click()
    expect(page).to_have_url(re.compile(r"/tags/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tags")

    expected: dict[str, int] = {}
    for key in visible_to("alice", made):
        for tag in MADE[key][3]["tags"]:
            expected[tag] = expected.get(tag, 0) + 1
    rows = page.locator("table.tag-index tbody tr")
    expect(rows).to_have_count(len(expected))
    shown = {
        row.locator("td").nth(0).inner_text(): int(row.locator("td").nth(1).inner_text())
        for row in rows.all()
    }
    assert shown == expected
    expect(page.get_by_role("link", name="bobs-secret")).to_have_count(0)

    # A tag's row leads to its passages.
    page.get_by_role("link", name="people", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tags/people/$"))


def test_own_page_lists_filters_and_exports_annotations(alice_page: Page, made, seeded):
    """The reader's name in the header opens their page with all their annotations across
    articles (private ones included); tag, kind and article filters narrow the list, and the
    export links download just the filtered annotations."""
    page = alice_page
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="alice").click()
    expect(page).to_have_url(re.compile(r"/users/alice/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Annotations by alice")

    mine = {k: a for k, a in made.items() if a.creator.username == "alice"}
    assert listed(page, len(mine)) == pks(made, *mine)
    for seed in {MADE[k][1] for k in mine}:  # across articles
        expect(
            page.locator(".person-item__meta").get_by_role("link", name=seeded[seed].title)
        ).not_to_have_count(0)
    private = page.locator(f"#annotation-{made['ongoing'].pk}")
    expect(private.locator(".badge", has_text="private")).to_be_visible()

    # Each filter narrows the list.
    apply_filters(page, tag="people")
    assert listed(page, 2) == pks(made, "alloush", "abu_zaid")
    apply_filters(page, tag="", kind="highlighting")
    assert listed(page, 1) == pks(made, "ceasefire")
    apply_filters(page, kind="", article=seeded["002"].slug)
    assert listed(page, 2) == pks(made, "abu_zaid", "ongoing")
    apply_filters(page, tag="ceasefire")  # with the article still chosen
    assert listed(page, 1) == pks(made, "ongoing")
    page.get_by_role("link", name="Remove filter Article").click()
    assert listed(page, 2) == pks(made, "ceasefire", "ongoing")

    # The exports follow the filter in force: tag "people".
    apply_filters(page, tag="people")
    wanted = [made["alloush"], made["abu_zaid"]]
    left_out = [a for a in mine.values() if a not in wanted]
    assert left_out  # so the Markdown check below can catch an export that ignores the filter
    for fmt, link_name in (("jsonld", "W3C JSON-LD"), ("csv", "CSV"), ("md", "Markdown")):
        href = page.locator(".person-export").get_by_role("link", name=link_name)
        expect(href).to_have_attribute("href", re.compile(rf"format={fmt}"))
        expect(href).to_have_attribute("href", re.compile(r"[?&]tag=people(&|$)"))

    name, text = download(page, "W3C JSON-LD")
    assert name.endswith(".jsonld"), name
    assert jsonld_quotes(text) == {a.exact for a in wanted}

    name, text = download(page, "CSV")
    assert name.endswith(".csv"), name
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(r["id"]) for r in rows} == {a.pk for a in wanted}
    assert all("people" in r["tags"].split(", ") for r in rows)
    assert {r["creator"] for r in rows} == {"alice"}

    name, text = download(page, "Markdown")
    assert name.endswith(".md"), name
    for a in wanted:
        assert a.exact in text, a.exact
    for a in left_out:
        assert a.exact not in text, a.exact

    # A second filter changes the files too: Markdown of the questions only (one, private).
    apply_filters(page, tag="", kind="questioning")
    assert listed(page, 1) == pks(made, "ongoing")
    _, text = download(page, "Markdown")
    assert made["ongoing"].exact in text
    assert made["alloush"].exact not in text


def test_another_readers_private_note_is_not_on_their_page(alice_page: Page, made):
    """On someone else's page the reader sees that person's public annotations only."""
    page = alice_page
    page.goto("/users/bob/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annotations by bob")
    theirs = {k for k, a in visible_to("alice", made).items() if a.creator.username == "bob"}
    assert listed(page, len(theirs)) == pks(made, *theirs)
    secret = made["malahifji"]
    expect(page.locator(f"#annotation-{secret.pk}")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(secret.exact)
    expect(page.locator("main")).not_to_contain_text(secret.note)
    expect(page.locator("main")).not_to_contain_text("bobs-secret")
    _, text = download(page, "CSV")
    assert {int(r["id"]) for r in csv.DictReader(io.StringIO(text))} == pks(made, *theirs)
