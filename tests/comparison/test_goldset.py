"""The gold set loader and scorer (tests/comparison/goldset.py), on a tiny hand-made event.

The event (tests/data/comparison/fixtures/tiny.json) is invented for these tests; they check
the scoring rules, never the engine's quality.
"""

import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from articles.comparison.engine import Comparison, Difference, Link

from . import goldset
from .goldset import GoldError, evaluate_comparison, gold_comparison, load_event

TINY = goldset.DATA / "fixtures" / "tiny.json"


@cache
def tiny() -> goldset.Event:
    return load_event(TINY, "fixtures")


def _link(kind, a, a_text, b, b_text, stance="agree") -> Link:
    event = tiny()
    sa = event.articles[a].body.index(a_text)
    sb = event.articles[b].body.index(b_text)
    return Link(kind, a, sa, sa + len(a_text), b, sb, sb + len(b_text), 0.5, stance=stance)


def _write(tmp_path: Path, change) -> Path:
    data = json.loads(TINY.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_loader_locates_every_text_once():
    """Every gold text is found in its body, and readings fall inside their contexts."""
    event = tiny()
    assert set(event.articles) == {"a", "b", "c"}
    assert event.published == {"a": goldset.date(2017, 1, 16), "c": goldset.date(2017, 1, 17)}
    first = event.links[0]
    assert event.text(first.a) == event.text(first.b)
    assert event.differences
    for item in event.differences:
        assert item.a_context[1] <= item.a[1] < item.a[2] <= item.a_context[2]
        assert event.text(item.a) in event.text(item.a_context)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["links"][0].update(a_text="never written anywhere"), "not found"),
        (lambda d: d["links"][0].update(b_text="the"), "more than once"),
        (lambda d: d["links"][0].update(kind="similar"), "is not one of"),
        (lambda d: d["differences"][0].update(a_text="31 December"), "not inside its context"),
        (lambda d: d["not_links"][0].update(a="z"), "unknown article"),
        (lambda d: d["articles"]["a"].update(published="16/01/2017"), "not an ISO date"),
    ],
)
def test_loader_rejects_bad_items(tmp_path, change, message):
    """A text missing or repeated, an unknown kind or article, a bad date: all refused."""
    with pytest.raises(GoldError, match=message):
        load_event(_write(tmp_path, change))


def test_loader_resolves_seed_paths():
    """Article files under seeds/ are read from the repository root."""
    assert goldset.article_path("seeds/x.txt") == goldset.ROOT / "seeds" / "x.txt"
    assert goldset.article_path("dev/e/a.txt") == goldset.DATA / "dev" / "e" / "a.txt"


def test_the_gold_itself_scores_perfectly():
    """Reporting exactly the gold gives 1.0 everywhere and nothing shown as agreement."""
    report = evaluate_comparison(tiny(), gold_comparison(tiny()))
    for category in goldset.CATEGORIES:
        score = report.scores[category]
        assert score.recall == 1.0, category
        assert score.precision in (1.0, None), category
    assert report.scores["differences"].precision == 1.0
    assert report.shown_as_agreement == []
    assert report.false_links == report.missed_links == []


def test_a_missing_link_lowers_recall_only():
    """Leaving out a required link lowers its kind's recall, not precision."""
    perfect = gold_comparison(tiny())
    links = tuple(link for link in perfect.links if link.kind != "near")
    report = evaluate_comparison(tiny(), replace(perfect, links=links))
    assert report.scores["near"].recall == 0.0
    assert report.scores["links"].recall == 3 / 4
    assert report.scores["links"].precision == 1.0
    assert len(report.missed_links) == 1


def test_optional_links_are_neither_needed_nor_false():
    """A required=false link adds no recall need and counts correct when reported."""
    perfect = gold_comparison(tiny())
    optional = [i for i, item in enumerate(tiny().links) if not item.required]
    kept = tuple(link for i, link in enumerate(perfect.links) if i not in optional)
    report = evaluate_comparison(tiny(), replace(perfect, links=kept))
    assert report.scores["links"].recall == 1.0
    assert report.scores["links"].required == 4


def test_an_extra_link_lowers_precision():
    """A link no gold item supports is false; one on a must-not-link pair is false too."""
    perfect = gold_comparison(tiny())
    stray = _link("paraphrase", "b", "An opposition news website", "c", "the agency added")
    banned = _link(
        "paraphrase",
        "b",
        "An opposition news website reported that the talks will open on 23 January.",
        "c",
        "Several opposition factions have refused to attend the talks",
    )
    report = evaluate_comparison(tiny(), replace(perfect, links=(*perfect.links, stray)))
    assert report.scores["paraphrase"].precision < 1.0
    assert report.scores["must-not-link"].recall == 1.0
    report = evaluate_comparison(tiny(), replace(perfect, links=(*perfect.links, banned)))
    assert report.scores["links"].precision == 6 / 7
    assert report.scores["must-not-link"].recall == 0.0
    assert len(report.not_links_reported) == 1


def test_a_must_not_link_match_wins_over_a_gold_match(tmp_path):
    """A link matching a gold link and a must-not-link pair at once is false."""
    path = _write(
        tmp_path,
        lambda d: d["not_links"].append(
            {"a": "a", "a_text": "Some armed Syrian", "b": "c", "b_text": "Several opposition"}
        ),
    )
    event = load_event(path)
    report = evaluate_comparison(event, gold_comparison(event))
    assert report.scores["paraphrase"].precision == 2 / 3
    assert report.scores["paraphrase"].recall == 1 / 2
    assert report.scores["must-not-link"].recall == 1 / 2


def test_a_correct_link_counts_under_the_gold_kind():
    """A near link on a gold verbatim passage is correct, counted as verbatim."""
    link = _link(
        "near",
        "a",
        "have decided to attend peace talks with the government in Kazakhstan next week",
        "b",
        "have decided to attend peace talks with the government in Kazakhstan",
    )
    report = evaluate_comparison(tiny(), Comparison((link,), (), ()))
    assert report.scores["verbatim"].precision == 1.0
    assert report.scores["near"].reported == 0
    assert report.kind_confusion[("near", "verbatim")] == 1


def test_an_agree_link_on_a_differ_pair_is_shown_as_agreement():
    """Linking a differing pair with stance agree counts as shown as agreement."""
    perfect = gold_comparison(tiny())
    links = tuple(
        replace(link, stance="agree") if link.kind == "near" else link for link in perfect.links
    )
    report = evaluate_comparison(tiny(), replace(perfect, links=links))
    assert len(report.shown_as_agreement) == 1
    assert report.scores["differ"].recall == 2 / 3
    assert report.scores["near"].recall == 1.0


def test_a_differ_link_on_an_agreeing_pair_is_a_false_differ():
    """Stance differ on a pair that agrees lowers the precision of differ."""
    perfect = gold_comparison(tiny())
    links = tuple(
        replace(link, stance="differ") if link.kind == "verbatim" else link
        for link in perfect.links
    )
    report = evaluate_comparison(tiny(), replace(perfect, links=links))
    assert report.scores["differ"].precision == 3 / 5
    assert report.scores["differ"].recall == 1.0


def test_differences_need_their_kind_and_context_and_no_false_alarm():
    """A difference of the wrong kind, elsewhere, or on a not-difference is false."""
    event = tiny()
    perfect = gold_comparison(event)
    date = next(d for d in perfect.differences if d.kind == "date")
    body_a, body_b = event.articles["a"].body, event.articles["b"].body
    start_a, start_b = body_a.index("Syrian opposition groups"), body_b.index("militant groups")
    alarm = Difference(
        "name",
        "a",
        start_a,
        start_a + 24,
        "Syrian opposition groups",
        "b",
        start_b,
        start_b + 15,
        "militant groups",
        "near",
    )
    elsewhere = replace(date, a_start=0, a_end=6, b_start=0, b_end=9)
    for wrong in (replace(date, kind="number"), alarm, elsewhere):
        report = evaluate_comparison(
            event, replace(perfect, differences=(*perfect.differences, wrong))
        )
        assert report.scores["differences"].precision == 3 / 4, wrong
        assert report.scores["differences"].recall == 1.0
    others = tuple(d for d in perfect.differences if d.kind != "date")
    report = evaluate_comparison(event, replace(perfect, differences=others))
    assert report.scores["differences"].recall == 2 / 3


def test_the_engine_runs_on_a_part():
    """evaluate runs the engine on each event and fills every category."""
    report = goldset.evaluate("fixtures")
    assert report.events == ["tiny"]
    assert set(report.scores) == set(goldset.CATEGORIES)
    assert report.scores["links"].required == 4
    assert "| verbatim |" in goldset.table(report)


def test_the_cli_validates_and_prints(capsys):
    """The command line checks a part and prints its table."""
    assert goldset.main(["fixtures", "--check"]) == 0
    assert "all texts found once" in capsys.readouterr().out
    assert goldset.main(["fixtures", "--brief"]) == 0
    assert "| must-not-link |" in capsys.readouterr().out
    assert goldset.main(["no-such-part"]) == 1
