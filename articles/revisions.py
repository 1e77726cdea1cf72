"""What must follow when an article gets a new current revision, decided outside this app.

The services here make new revisions (a changed file on import, a curator's reclassification,
re-extraction or metadata re-read). Records that other apps pin to a revision's text must
follow it: the annotations app re-anchors its annotations. It registers that work here once,
in its AppConfig.ready(); the services call `revision_follow` in the same transaction, right
after the new revision is made current, so a failure rolls back the revision together with
what followed it. This keeps the dependency one way (annotations may import articles, never
the reverse) while the call stays in plain sight in the services, not in a signal.
"""

from collections.abc import Callable, Mapping
from typing import Protocol

from .models import Article, ArticleRevision


class FollowReport(Protocol):
    """What a follower did: counts by outcome, and a one-line summary for people."""

    @property
    def counts(self) -> Mapping[str, int]: ...

    def summary(self) -> str: ...


Follower = Callable[..., FollowReport]  # called as follower(article=..., revision=...)

_follower: list[Follower] = []


def revision_follower_set(follower: Follower) -> None:
    """Register what follows every new current revision (one follower: the re-anchoring)."""
    _follower[:] = [follower]


def revision_follow(*, article: Article, revision: ArticleRevision) -> FollowReport | None:
    """Run the registered follower for the article's new current revision; None when no app
    registered one."""
    return _follower[0](article=article, revision=revision) if _follower else None
