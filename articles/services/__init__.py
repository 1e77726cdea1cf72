"""Writes to articles and outlets, keyword-only and typed; access checked in access.py.

- imports.py: a file imported as a new article or as a new revision of one; the comparison
  that follows, as a background job (articles/jobs/)
- curation.py: the curators' writes (reclassify, extract again, status, outlets, metadata),
  each taking the acting user
- stories.py: stories suggested as articles come in, and the curators' story decisions
- blocks.py: writing a revision's blocks and the fields its extraction decides, which both
  share

Callers import the services from here.
"""

from .curation import (
    CurationInvalid,
    RevisionResult,
    article_metadata_edit,
    article_metadata_release,
    article_metadata_reread,
    article_outlet_attach,
    article_outlet_from_suggestion,
    article_reclassify,
    article_reextract,
    articles_outlet_attach,
    articles_set_status,
    outlets_merge,
)
from .imports import (
    IMPORT_BATCH,
    SLUG_MAX,
    ImportFile,
    ImportResult,
    ImportStatus,
    article_import,
    articles_import,
    comparison_enqueue,
)
from .stories import (
    SuggestReport,
    articles_profile,
    stories_confirm,
    stories_merge,
    stories_refresh_summary,
    stories_suggest,
    stories_suggest_stale,
    story_create,
    story_memberships_confirm,
    story_memberships_move,
    story_memberships_reject,
    story_split,
    story_update,
)

__all__ = [
    "IMPORT_BATCH",
    "SLUG_MAX",
    "CurationInvalid",
    "ImportFile",
    "ImportResult",
    "ImportStatus",
    "RevisionResult",
    "SuggestReport",
    "article_import",
    "article_metadata_edit",
    "article_metadata_release",
    "article_metadata_reread",
    "article_outlet_attach",
    "article_outlet_from_suggestion",
    "article_reclassify",
    "article_reextract",
    "articles_import",
    "articles_outlet_attach",
    "articles_profile",
    "articles_set_status",
    "comparison_enqueue",
    "outlets_merge",
    "stories_confirm",
    "stories_merge",
    "stories_refresh_summary",
    "stories_suggest",
    "stories_suggest_stale",
    "story_create",
    "story_memberships_confirm",
    "story_memberships_move",
    "story_memberships_reject",
    "story_split",
    "story_update",
]
