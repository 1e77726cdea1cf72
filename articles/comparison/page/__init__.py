"""The compare page's model, built from stored comparison rows by
`annotations.pages.compare.comparison_view`: `build_page` (build.py) arranges them into a
`ComparePage` of columns, passage groups, disagreements, framing and quotations (parts.py),
joining passages into groups (groups.py), setting disagreements apart (differences.py) and
cutting each column into pieces (columns.py). MIN_ARTICLES and MAX_ARTICLES bound how many
articles one page compares."""

from .build import build_page
from .columns import Mark
from .groups import COUNTERPARTS_SHOWN, WireCopy, engine_links
from .parts import (
    DIFFERENCE_KIND_LABELS,
    DIFFERENCE_LABELS,
    EVIDENCE_LABELS,
    LINK_KIND_LABELS,
    MAX_ARTICLES,
    MIN_ARTICLES,
    PATTERNS,
    TINTS,
    Column,
    ComparePage,
    Counterpart,
    DifferenceSection,
    Disagreement,
    Fact,
    Group,
    Item,
    Member,
    Piece,
    Reading,
    Side,
    article_label,
)

__all__ = [
    "COUNTERPARTS_SHOWN",
    "DIFFERENCE_KIND_LABELS",
    "DIFFERENCE_LABELS",
    "EVIDENCE_LABELS",
    "LINK_KIND_LABELS",
    "MAX_ARTICLES",
    "MIN_ARTICLES",
    "PATTERNS",
    "TINTS",
    "Column",
    "ComparePage",
    "Counterpart",
    "DifferenceSection",
    "Disagreement",
    "Fact",
    "Group",
    "Item",
    "Mark",
    "Member",
    "Piece",
    "Reading",
    "Side",
    "WireCopy",
    "article_label",
    "build_page",
    "engine_links",
]
