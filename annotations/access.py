"""Who may see and change annotations and claims. Every view and service asks here.

- Anyone reads public annotations on published articles; a signed-in user also reads their own
  private ones. A hidden annotation is seen only by staff and its creator.
- Only the creator edits or deletes an annotation; staff hide and unhide any (moderation).
- A claim is seen by whoever may see at least one annotation carrying it, and by its creator.
  So a claim carried only by a private annotation is seen by that annotation's creator (and
  the claim's); one carried only by a hidden annotation by staff and the creators; a claim
  made through /api/claims/ that no passage carries yet only by its creator, until a passage
  the viewer may see carries it. Staff get no more than that: like annotations, they see
  hidden ones but never someone else's private ones (curators see every claim in the admin).
  Changing a claim (its creator, or staff as reviewers) requires seeing it. Every list, count,
  search and export of claims uses this one rule, as annotations use theirs.
- Articles: the rules of articles/access.py (published articles for everyone, unpublished
  ones by address for curators), imported here so that this is the one module every page,
  count, search, API view, export and cache key asks.
- What a user may not see does not exist for them (404, never 403), so a private record's
  existence is not revealed; what they may see but not change is 403.
"""

from typing import TypeGuard

from django.contrib.auth.models import User as Account
from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.access import (
    AccessDenied,
    NotVisible,
    User,
    article_listed_q,
    articles_listed,
    articles_visible_to,
    can_open,
    is_curator,
    require_curator,
)
from articles.access import signed_in as _signed_in
from articles.models import Article

from .models import Annotation, Claim, Visibility

__all__ = [
    "AccessDenied",
    "Account",
    "NotVisible",
    "User",
    "article_listed_q",
    "articles_listed",
    "articles_visible_to",
    "can_open",
    "is_curator",
    "require_curator",
]


def _own_visibility_q(user: User | None, prefix: str = "") -> Q:
    def q(**lookups: object) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    public = q(visibility=Visibility.PUBLIC) & article_listed_q(f"{prefix}article__")
    if not _signed_in(user):
        return public & q(is_hidden=False)
    if user.is_staff:
        return public | q(creator=user)
    return (public & q(is_hidden=False)) | q(creator=user)


def annotation_visibility_q(user: User | None, prefix: str = "") -> Q:
    """The filter selecting the annotations a user may read.

    A reply is readable only when its thread's first annotation is too, so a public reply
    never reveals a private or hidden annotation. With a prefix (e.g. "annotations__") the
    same rule filters the annotations of a related model, as in a Count's filter.
    """
    return _own_visibility_q(user, prefix) & (
        Q(**{f"{prefix}parent__isnull": True}) | _own_visibility_q(user, f"{prefix}parent__")
    )


def annotations_visible_to(user: User | None) -> QuerySet[Annotation]:
    return Annotation.objects.filter(annotation_visibility_q(user))


def annotations_listed_for(user: User | None) -> QuerySet[Annotation]:
    """The annotations a user may find in a list of articles' passages (search, its filters):
    those they may read, on a listed article. (Their own on an unpublished article they read
    in their own pages and exports, not in search.)"""
    return annotations_visible_to(user).filter(article_listed_q("article__"))


def annotation_get_for_user(*, user: User | None, pk: int) -> Annotation:
    """The annotation if the user may read it; NotVisible otherwise."""
    try:
        return (
            annotations_visible_to(user)
            .select_related("article", "creator", "anchor_revision", "claim", "parent")
            .get(pk=pk)
        )
    except (Annotation.DoesNotExist, ValueError, TypeError):
        raise NotVisible from None


def can_create(user: User | None) -> TypeGuard[Account]:
    return _signed_in(user) and user.is_active


def can_change(user: User | None, annotation: Annotation) -> TypeGuard[Account]:
    return _signed_in(user) and annotation.creator_id == user.pk


def can_moderate(user: User | None) -> TypeGuard[Account]:
    return is_curator(user)


def require_create(user: User | None) -> Account:
    if not can_create(user):
        raise AccessDenied("Sign in to annotate.")
    return user


def require_change(user: User | None, annotation: Annotation) -> Account:
    if not can_change(user, annotation):
        raise AccessDenied("Only the annotation's creator can change or delete it.")
    return user


def require_moderate(user: User | None) -> Account:
    if not can_moderate(user):
        raise AccessDenied("Only staff can hide or unhide annotations.")
    return user


def article_get_for_annotating(*, user: User | None, slug: str) -> Article:
    """An article the user may open (articles_visible_to) with its current revision."""
    try:
        return articles_visible_to(user).select_related("current_revision", "outlet").get(slug=slug)
    except Article.DoesNotExist:
        raise NotVisible from None


def claim_visibility_q(user: User | None) -> Q:
    """The filter selecting the claims a user may read: carried by an annotation they may
    read, or their own."""
    carried = Q(Exists(annotations_visible_to(user).filter(claim=OuterRef("pk"))))
    if not _signed_in(user):
        return carried
    return carried | Q(created_by=user)


def claims_visible_to(user: User | None) -> QuerySet[Claim]:
    return Claim.objects.filter(claim_visibility_q(user))


def claim_get_for_user(*, user: User | None, pk: int) -> Claim:
    """The claim if the user may read it; NotVisible otherwise."""
    try:
        return claims_visible_to(user).select_related("reviewed_by", "created_by").get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise NotVisible from None


def can_change_claim(user: User | None, claim: Claim) -> TypeGuard[Account]:
    """The claim's creator or staff (reviewers) may edit a claim."""
    return is_curator(user) or (_signed_in(user) and claim.created_by_id == user.pk)


def require_change_claim(user: User | None, claim: Claim) -> Account:
    if not can_change_claim(user, claim):
        raise AccessDenied("Only the claim's creator or a reviewer can change it.")
    return user


def require_delete_claim(user: User | None, claim: Claim) -> Account:
    return require_change_claim(user, claim)
