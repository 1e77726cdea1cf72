"""Curation of annotations, claims and tags in the admin.

Thin: each action and page parses a form and calls one service (`services`); lists read
annotated querysets (`selectors`), so their query count does not grow with their rows.
Annotations and claims keep their history (django-simple-history); it is read-only here,
because reverting would bypass the services.

One module per admin (annotation, claim, tag, users), registered on import; what they share
is in base.py (intermediate pages, merges), forms.py, filters.py and actions.py. articles.py
extends the articles app's article admin with annotation counts and filters.
"""

from . import annotation, articles, claim, tag, users

__all__ = ["annotation", "articles", "claim", "tag", "users"]
