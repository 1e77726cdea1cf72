"""A headline of one or two words is still the headline when nothing else stands above the story
(seen in the search tests' "Typhoon talks" articles), but never beside a longer headline."""

import pytest

from articles.ingest import Kind, extract


@pytest.mark.parametrize(
    ("headline", "lead"),
    [
        ("Typhoon talks", "A typhoon hit the hotel."),
        ("Ceasefire", "The two sides agreed to stop firing at midnight on Sunday."),
        ("Перемирие", "Стороны договорились прекратить огонь в полночь в воскресенье."),
    ],
)
def test_a_short_headline_alone_above_the_story_is_the_title(headline: str, lead: str) -> None:
    result = extract(f"{headline}\n\n{lead}\n")
    assert result.title == headline
    assert not result.title_derived
    assert [b.kind for b in result.blocks] == [Kind.TITLE, Kind.PARAGRAPH]


def test_a_short_label_above_a_longer_headline_is_not_the_title() -> None:
    result = extract(
        "International\n\nPeace deal signed in Geneva today\n\n"
        "The two sides signed a deal in Geneva on Monday after long talks.\n"
    )
    assert result.title == "Peace deal signed in Geneva today"
    assert result.blocks[0].kind is Kind.BREADCRUMB
