"""Reads of annotations, claims and tags, always through the access filter (access.py):

- reads.py: what readers list (annotations, claims, tag suggestions, passages by tag or claim)
- links.py: where an annotated passage is carried by other articles, agreeing or differing
- curation.py: usage counts and word search for curators (the admin)

The pages' own selectors (the reading page's cards, compare, search) are in pages/.
Callers import the selectors from here.
"""

from .curation import (
    Occurrence,
    annotations_with_usage,
    body_occurrences,
    claims_with_usage,
    tags_with_usage,
)
from .links import LinkedPassage, linked_passages
from .reads import (
    ANNOTATION_FILTERS,
    ClaimSides,
    OutletGroup,
    annotation_list,
    claim_list,
    claim_passages,
    passages_with_tag,
    tag_suggestions,
)

__all__ = [
    "ANNOTATION_FILTERS",
    "ClaimSides",
    "LinkedPassage",
    "Occurrence",
    "OutletGroup",
    "annotation_list",
    "annotations_with_usage",
    "body_occurrences",
    "claim_list",
    "claim_passages",
    "claims_with_usage",
    "linked_passages",
    "passages_with_tag",
    "tag_suggestions",
    "tags_with_usage",
]
