"""The bench reads the held-out part of the labelled story set (tests/data/stories/holdout/)
whole. Nothing here clusters or scores it: the holdout is reported by bench/stories.py and must
never become a floor that changes are tuned against."""

import json
from datetime import date

from bench import stories as bench


def test_the_holdout_loader_reads_every_listed_article_with_its_label():
    """Every article holdout.json lists is read from its file, in order, with its event and,
    when its page gives no day, the labelled one."""
    listed = json.loads(bench.HOLDOUT.read_text(encoding="utf-8"))["articles"]
    loaded = bench.load("holdout")
    assert [a.key for a in loaded] == [item["file"] for item in listed]
    for article, item in zip(loaded, listed, strict=True):
        assert article.event == item["event"]
        assert article.title.strip(), article.key
        assert article.body.strip(), article.key
        if article.day_from == "label":
            assert article.day == date.fromisoformat(item["published"])
        elif article.day_from == "none":
            assert item["published"] is None
