"""The highlight cutter: segments rebuild the text exactly, overlaps carry every id."""

from hypothesis import given
from hypothesis import strategies as st

from articles.highlights import Span, segments


def test_overlapping_spans_share_the_middle_segment():
    """Two overlapping annotations give three segments, the middle one with both ids."""
    text = "abcdefghij"
    result = segments(text, 100, [Span(1, 100, 106, "yellow"), Span(2, 104, 110, "red")])
    assert [s.text for s in result] == ["abcd", "ef", "ghij"]
    assert [s.ids for s in result] == ["1", "1 2", "2"]
    assert result[0].first_of == (1,)
    assert result[1].first_of == (2,)


def test_spans_outside_the_block_are_ignored():
    """Spans that do not touch the block leave it as one plain segment."""
    result = segments("hello", 10, [Span(1, 0, 10, "yellow"), Span(2, 15, 20, "red")])
    assert [(s.text, s.ids) for s in result] == [("hello", "")]


@given(
    st.text(min_size=1, max_size=60),
    st.integers(0, 50),
    st.lists(st.tuples(st.integers(0, 120), st.integers(1, 40)), max_size=8),
)
def test_segments_rebuild_the_text_and_cover_spans(text, offset, raw):
    """Joined segments are the text; each character lists exactly the spans covering it."""
    spans = [Span(i, s, s + n, "yellow") for i, (s, n) in enumerate(raw)]
    result = segments(text, offset, spans)
    assert "".join(s.text for s in result) == text
    position = offset
    for segment in result:
        assert segment.start == position
        for index in range(len(segment.text)):
            at = position + index
            expected = {sp.id for sp in spans if sp.start <= at < sp.end}
            assert {sp.id for sp in segment.spans} == expected
        position += len(segment.text)
