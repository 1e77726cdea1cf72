"""The story timeline's layout as a pure function."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.stories import timeline
from articles.stories.timeline import Item

START = datetime(2023, 2, 6, 1, 17, tzinfo=UTC)


def _item(key: str, outlet: str, hours: float | None) -> Item:
    when = None if hours is None else START + timedelta(hours=hours)
    return Item(key=key, outlet=outlet, when=when, title=f"Title {key}", url=f"/articles/{key}/")


def test_rows_by_outlet_in_order_of_first_article_and_dots_by_time():
    laid = timeline.layout(
        [
            _item("b1", "BBC", 30),
            _item("r1", "Reuters", 0),
            _item("r2", "Reuters", 96),
            _item("u", "Nobody", None),
        ]
    )
    assert [row.outlet for row in laid.rows] == ["Reuters", "BBC"]
    reuters = laid.rows[0]
    assert [d.x for d in reuters.dots] == [timeline.MARGIN, 100 - timeline.MARGIN]
    assert 0 < laid.rows[1].dots[0].x < 50
    assert [item.key for item in laid.undated] == ["u"]
    assert laid.first == START
    assert laid.last == START + timedelta(hours=96)
    assert laid.ticks[0].anchor == "start"
    assert laid.ticks[-1].anchor == "end"
    assert laid.rows[1].line_y > laid.rows[0].line_y
    assert laid.axis_y > laid.rows[1].line_y


def test_articles_close_in_time_share_a_numbered_dot():
    laid = timeline.layout(
        [_item(str(i), "AP", i * 0.1) for i in range(5)] + [_item("z", "AP", 200)]
    )
    first = laid.rows[0].dots[0]
    assert len(first.items) == 5
    assert first.label == "5"
    assert first.radius > 6
    assert laid.rows[0].dots[1].label == ""


def test_one_instant_centres_and_nothing_dated_draws_nothing():
    laid = timeline.layout([_item("a", "AP", 0)])
    assert laid.rows[0].dots[0].x == 50.0
    assert len(laid.ticks) == 1
    empty = timeline.layout([_item("a", "AP", None)])
    assert empty.empty
    assert empty.height == 0
    assert len(empty.undated) == 1


@given(
    st.lists(
        st.tuples(st.sampled_from(["AP", "BBC", "TASS", "El País"]), st.floats(0, 24 * 400)),
        min_size=1,
        max_size=60,
    )
)
@settings(max_examples=100, deadline=None)
def test_every_dated_article_is_drawn_once_inside_the_margins(entries):
    items = [_item(str(i), outlet, hours) for i, (outlet, hours) in enumerate(entries)]
    laid = timeline.layout(items)
    drawn = [item.key for row in laid.rows for dot in row.dots for item in dot.items]
    assert sorted(drawn) == sorted(item.key for item in items)
    for row in laid.rows:
        assert all(timeline.MARGIN <= dot.x <= 100 - timeline.MARGIN for dot in row.dots)
        assert row.count == sum(len(dot.items) for dot in row.dots)
    assert len(laid.ticks) <= timeline.MAX_TICKS + 1
