"""The start of curation in the admin: outlets (outlets.py), articles with their actions and
own pages (articles.py, actions.py, pages.py, filters.py), revisions and their blocks,
read-only (revisions.py), the framing lexicon (framing.py), stories (stories.py) and the
background jobs, read-only (jobs.py). Each module registers its admins on import. The
annotations app extends `ArticleAdmin` and builds on `YesNoFilter`; both are importable from
here."""

from . import articles, framing, jobs, outlets, revisions, stories
from .actions import ArticleActionsMixin, OutletAttachForm
from .articles import ArticleAdmin, RevisionInline
from .filters import OutletSuggestionFilter, YesNoFilter
from .framing import FRAMING_TERM_HELP, FramingFamilyAdmin, FramingTermInline
from .outlets import OutletAdmin
from .pages import ArticlePagesMixin
from .revisions import ArticleRevisionAdmin, BlockInline

__all__ = [
    "FRAMING_TERM_HELP",
    "ArticleActionsMixin",
    "ArticleAdmin",
    "ArticlePagesMixin",
    "ArticleRevisionAdmin",
    "BlockInline",
    "FramingFamilyAdmin",
    "FramingTermInline",
    "OutletAdmin",
    "OutletAttachForm",
    "OutletSuggestionFilter",
    "RevisionInline",
    "YesNoFilter",
    "articles",
    "framing",
    "jobs",
    "outlets",
    "revisions",
    "stories",
]
