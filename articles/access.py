"""Who may see and change articles and outlets.

The annotations app's access module (annotations/access.py) builds its rules on these and
answers every question for the pages, the API, search, exports and cache keys; these live
here, in the lower app, only so that the article services can ask them too (annotations may
import articles, never the reverse). No other module filters articles by status.

- Everyone reads published articles, and only published ones are listed: the article list,
  search, counts, the compare picker and "shared with" links show published articles only.
- Curators (active staff) also open an unpublished article by its address: to read it before
  it is published, or to annotate it through the API.
- Only curators change articles and outlets (status, metadata, outlets, re-extraction); the
  services that do check it and take the acting user.
- Stories: everyone sees confirmed stories and, in them, the confirmed places of articles
  they may list; curators also see proposed stories and suggested places (marked so), and only
  curators confirm, move, split and merge.
- Background jobs: whoever asked for one follows it; curators follow every job.
- What a user may not see does not exist for them (404, never 403); what they may see but not
  change is 403.
"""

from typing import TypeGuard, TypeIs

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Q, QuerySet

from .models import Article, Job, MembershipStatus, Story, StoryArticle, StoryStatus

# Who is asking: a request's user, signed in (an Account: the project's user model, as
# AUTH_USER_MODEL is Django's own) or not. The require_* checks return the signed-in account.
User = Account | AnonymousUser


class AccessDenied(Exception):
    """The user may see the record but not do this to it (HTTP 403)."""


class NotVisible(Exception):
    """No such record, as far as this user may know (HTTP 404)."""


def signed_in(user: User | None) -> TypeIs[Account]:
    return user is not None and user.is_authenticated


def is_curator(user: User | None) -> TypeGuard[Account]:
    """Active staff: the role that curates articles, outlets, tags and claims and moderates."""
    return signed_in(user) and bool(user.is_staff) and bool(user.is_active)


def require_curator(user: User | None) -> Account:
    if not is_curator(user):
        raise AccessDenied("Only curators (staff) can do this.")
    return user


LISTED = Article.Status.PUBLISHED  # the one status readers see articles in


def article_listed_q(prefix: str = "") -> Q:
    """The filter selecting the articles every reader may see listed; with a prefix (e.g.
    "b_article__") the same rule filters a related model's articles."""
    return Q(**{f"{prefix}status": LISTED})


def articles_listed() -> QuerySet[Article]:
    """The articles any reader may see in a list, a count or a search."""
    return Article.objects.filter(article_listed_q())


def articles_visible_to(user: User | None) -> QuerySet[Article]:
    """The articles this user may open by their address."""
    return Article.objects.all() if is_curator(user) else articles_listed()


def can_open(user: User | None, article: Article) -> bool:
    """Whether the user may open this article by its address (articles_visible_to, for one
    article already loaded)."""
    return article.status == LISTED or is_curator(user)


def stories_visible_to(user: User | None) -> QuerySet[Story]:
    """The stories this user may see: confirmed ones, and proposed ones for curators."""
    if is_curator(user):
        return Story.objects.all()
    return Story.objects.filter(status=StoryStatus.CONFIRMED)


def stories_listed() -> QuerySet[Story]:
    """The stories listed to every reader (home page, filters): confirmed ones."""
    return Story.objects.filter(status=StoryStatus.CONFIRMED)


def story_membership_q(user: User | None, prefix: str = "") -> Q:
    """The filter selecting the places of articles in stories this user may see: confirmed
    ones of listed articles; for curators, suggested ones too, and articles of any status."""
    if is_curator(user):
        return Q()
    return Q(**{f"{prefix}status": MembershipStatus.CONFIRMED}) & article_listed_q(
        f"{prefix}article__"
    )


def story_suggested_q(prefix: str = "") -> Q:
    """Places the clustering suggested and no curator has decided yet (the admin counts them)."""
    return Q(**{f"{prefix}status": MembershipStatus.SUGGESTED})


def story_memberships_visible_to(user: User | None) -> QuerySet[StoryArticle]:
    return StoryArticle.objects.filter(story_membership_q(user))


def listed_story_article_q(prefix: str = "") -> Q:
    """Articles in a story as every reader sees them: a confirmed place in a confirmed story
    (for filtering article lists by story: prefix "story_memberships__")."""
    return Q(
        **{
            f"{prefix}status": MembershipStatus.CONFIRMED,
            f"{prefix}story__status": StoryStatus.CONFIRMED,
        }
    )


def jobs_visible_to(user: User | None) -> QuerySet[Job]:
    """The background jobs the user may follow: their own; every job for curators."""
    if is_curator(user):
        return Job.objects.all()
    if signed_in(user):
        return Job.objects.filter(requested_by=user)
    return Job.objects.none()


def job_get_for_user(*, user: User | None, pk: int) -> Job:
    """The job if the user may follow it; NotVisible otherwise."""
    try:
        return jobs_visible_to(user).get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotVisible from None
