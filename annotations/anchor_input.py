"""Anchoring a selector that a client sends: the one path for the API, services and import.

A target may give a quote (TextQuoteSelector: exact, prefix, suffix), a position
(TextPositionSelector: start, end), or both. `anchor_target` checks it against an article's body
and returns where it lands, or refuses it:

- a position alone must lie inside the body;
- a quote at its given position is taken as it is;
- otherwise the quote is looked up with the anchoring engine (`anchoring.locate`), which treats
  typographic variants (curly and straight quotes, dashes, no-break spaces) and runs of
  whitespace (a line break where the body has a paragraph break) as equal;
- a quote that fits several places equally well (a repeated phrase with no context and no
  position) is refused with `TargetAmbiguous`, which lists the places, never attached to one;
- a quote that is nowhere, or only nearly somewhere (a typo), is refused with `TargetNotFound`,
  which names the closest passage when there is one.

Django-free: views and services translate the exceptions into their own errors.
"""

from dataclasses import dataclass
from typing import NotRequired, TypedDict

from .anchoring import CONTEXT, AnchorStatus, Selector, locate

__all__ = [
    "AMBIGUOUS_LISTED",
    "Occurrence",
    "Target",
    "TargetAmbiguous",
    "TargetInvalid",
    "TargetNotFound",
    "anchor_target",
]

AMBIGUOUS_LISTED = 20
"""At most this many places are listed when a quote is ambiguous."""


class TargetFields(TypedDict):
    """A target as a client sends it: a position, a quote with its context, or both."""

    start: int | None
    end: int | None
    exact: str | None
    prefix: NotRequired[str]
    suffix: NotRequired[str]


class TargetInvalid(ValueError):
    """The target cannot name a passage of this body (bad or missing selectors)."""


class TargetNotFound(TargetInvalid):
    """The quote is not in the body, not even approximately."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a quote could be: its offsets and the text around it."""

    start: int
    end: int
    prefix: str
    suffix: str

    def as_dict(self) -> dict[str, int | str]:
        """The JSON shape an API client gets."""
        return {"start": self.start, "end": self.end, "prefix": self.prefix, "suffix": self.suffix}


class TargetAmbiguous(TargetInvalid):
    """The quote fits several places equally well; `occurrences` lists (some of) them."""

    def __init__(self, occurrences: list[Occurrence], total: int) -> None:
        self.occurrences = occurrences
        self.total = total
        where = ", ".join(f"{o.start}-{o.end}" for o in occurrences)
        more = f" and {total - len(occurrences)} more" if total > len(occurrences) else ""
        super().__init__(
            f"The quote occurs {total} times (at {where}{more}); give its prefix and suffix "
            "or its position to say which."
        )


@dataclass(frozen=True, slots=True)
class Target:
    """Where a target landed, and how."""

    start: int
    end: int
    corrected: bool  # the position was missing or did not hold the quote
    status: AnchorStatus
    score: float


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def anchor_target(
    body: str,
    *,
    start: int | None,
    end: int | None,
    exact: str | None,
    prefix: str = "",
    suffix: str = "",
) -> Target:
    """Where the target (quote and/or position; None or -1 for a missing position) lands."""
    start = -1 if start is None else start
    end = -1 if end is None else end
    if not (_is_int(start) and _is_int(end)):
        raise TargetInvalid("start and end must be integers.")
    in_range = 0 <= start < end <= len(body)
    if exact is None:
        if not in_range:
            raise TargetInvalid(f"start and end must satisfy 0 <= start < end <= {len(body)}.")
        return Target(start, end, False, AnchorStatus.ANCHORED, 1.0)
    if not exact:
        raise TargetInvalid("exact cannot be empty.")
    if in_range and body[start:end] == exact:
        return Target(start, end, False, AnchorStatus.ANCHORED, 1.0)
    anchor = locate(body, Selector(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end))
    if anchor.status is AnchorStatus.AMBIGUOUS:
        places = [
            Occurrence(s, e, body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT])
            for s, e in anchor.candidates[:AMBIGUOUS_LISTED]
        ]
        raise TargetAmbiguous(places, len(anchor.candidates))
    if anchor.start is None or anchor.end is None:
        raise TargetNotFound(
            "The exact text does not match the article body at start..end, nor anywhere else."
        )
    if anchor.score < 1.0:
        # A near miss (a typo in the quote) is not the quote: a client must say which words it
        # means. Typographic variants and runs of whitespace count as the same text (score 1.0).
        raise TargetNotFound(
            "The exact text does not match the article body at start..end, nor anywhere else; "
            f"the closest passage is at {anchor.start}-{anchor.end}: "
            f"{body[anchor.start : anchor.end]!r}."
        )
    corrected = (anchor.start, anchor.end) != (start, end)
    return Target(anchor.start, anchor.end, corrected, anchor.status, anchor.score)
