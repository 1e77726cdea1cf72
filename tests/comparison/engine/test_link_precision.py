"""Precision rules of sentence linking: fragments, who is quoted, a specific shared claim."""

from __future__ import annotations

from articles.comparison.engine import compare
from articles.comparison.engine.frames import match_frames, sentence_frame, strong_families

SPEAKER_A = (
    "Rescue work went on in the north of the island on Monday.\n\n"
    "National Disaster Mitigation Agency spokesman Sutopo Purwo Nugroho told reporters "
    "that the damage was massive in the northern villages near the coast."
)
SPEAKER_B = (
    "Ferries carried hundreds of visitors back to the main harbour overnight.\n\n"
    "National Disaster Mitigation Agency spokesman Sutopo Purwo Nugroho told reporters "
    "some 200 foreign tourists had already been taken off the small islands."
)


def _links(a: str, b: str) -> list[tuple[str, str, str]]:
    found = compare({"a": a, "b": b}).links
    return [
        (link.kind, a[link.a_start : link.a_end], b[link.b_start : link.b_end]) for link in found
    ]


def test_a_shared_speaker_phrase_is_no_verbatim_or_near_link():
    """The same "spokesman X told reporters" opening two different statements links nothing:
    a short phrase of names and who-said-it words inside two different sentences."""
    kinds = [kind for kind, _, _ in _links(SPEAKER_A, SPEAKER_B)]
    assert "verbatim" not in kinds
    assert "near" not in kinds


def test_a_shared_speaker_makes_no_paraphrase():
    """Two sentences alike only by who is quoted are not one fact, however high their cosine."""
    assert _links(SPEAKER_A, SPEAKER_B) == []


def test_a_short_phrase_that_says_something_is_still_linked():
    """A fragment with words of its own (an act and what it did) is still a verbatim link."""
    a = (
        "The governor spoke on Monday as a powerful earthquake flattened houses and toppled "
        "bridges across the northern districts of the island."
    )
    b = (
        "Officials in the capital said late on Sunday that a powerful earthquake flattened "
        "houses and toppled bridges, while phone lines stayed down."
    )
    shared = [(kind, x) for kind, x, _ in _links(a, b) if kind == "verbatim"]
    assert ("verbatim", "a powerful earthquake flattened houses and toppled bridges") in shared


def test_a_place_phrase_alone_is_no_verbatim_link():
    """ "navy ships in the Kerch Strait" in two different sentences is no shared passage."""
    a = "Russia seizes three Ukrainian navy ships in the Kerch Strait after a long chase"
    b = (
        "Moscow says it is holding 24 sailors who were detained on board the navy ships in "
        "the Kerch Strait on Sunday, an agency cited a rights official as saying."
    )
    assert not [kind for kind, _, _ in _links(a, b) if kind in ("verbatim", "near")]


def test_frames_mark_who_is_quoted():
    """Names next to a reporting verb are the frame's speakers, before or after the verb."""
    before = sentence_frame("Agency spokesman Sutopo Purwo Nugroho told a news conference.")
    assert {"sutop", "purwo", "nugro"} <= before.speakers
    after = sentence_frame("Only 2.3 million people voted, said Jordi Turull on Monday.")
    assert {"jordi", "turul"} <= after.speakers
    acted = sentence_frame("Jordi Turull was arrested in Barcelona on Monday.")
    assert not acted.speakers


def test_shared_speakers_are_counted_apart_from_other_anchors():
    """A match says how many of its anchors are only who is quoted."""
    a = sentence_frame("Spokesman Sutopo Purwo Nugroho told reporters the damage was massive.")
    b = sentence_frame("Spokesman Sutopo Purwo Nugroho told reporters 200 tourists left.")
    match = match_frames(a, b)
    assert match.anchors >= 3
    assert match.speaker_anchors == match.anchors


def test_stop_and_halt_are_one_act():
    """Sending police to stop a vote and trying to halt it share a specific act."""
    stop = sentence_frame("Spain sent police to stop the vote.")
    halt = sentence_frame("Police tried to halt the ballot.")
    assert "stop" in strong_families(match_frames(stop, halt))
