"""Who may see and change annotations and claims. Every view and service asks here.

- Anyone reads public annotations on published articles; a signed-in user also reads their own
  private ones. A hidden annotation is seen only by staff and its creator.
- An annotation published to a group is seen only by the group's members, everywhere (not
  by staff who are not members); hidden there, only by its creator and the group's owner and
  moderators, who hide and unhide within their group. A reply is published to its thread's
  audience.
- Only the creator edits or deletes an annotation; staff hide and unhide any public one, a
  group's owner and moderators those of their group (moderation).
- A claim is seen by whoever may see at least one annotation carrying it, and by its creator;
  a group's claim only by the group's members (and then by the same rule).
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

from typing import Any, TypeGuard

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
    job_get_for_user,
    require_curator,
    story_memberships_visible_to,
)
from articles.access import signed_in as _signed_in
from articles.models import Article

from .models import Annotation, Claim, Group, Membership, Role, Visibility

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
    "job_get_for_user",
    "require_curator",
    "story_memberships_visible_to",
]


MODERATING = (Role.OWNER, Role.MODERATOR)


def group_ids_of(user: User | None, *, roles: tuple[str, ...] = ()) -> "QuerySet[Membership, Any]":
    """The ids of the groups the user is a member of (with one of `roles`, when given), as a
    subquery."""
    if not _signed_in(user):
        return Membership.objects.none().values("group_id")
    rows = Membership.objects.filter(user=user)
    if roles:
        rows = rows.filter(role__in=roles)
    return rows.values("group_id")


def _own_visibility_q(user: User | None, prefix: str = "") -> Q:
    def q(**lookups: object) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    listed = article_listed_q(f"{prefix}article__")
    public = q(visibility=Visibility.PUBLIC) & listed
    if not _signed_in(user):
        return public & q(is_hidden=False)
    grouped = (
        q(visibility=Visibility.GROUP)
        & q(group__in=group_ids_of(user))
        & listed
        & (q(is_hidden=False) | q(group__in=group_ids_of(user, roles=MODERATING)))
    )
    if user.is_staff:
        return public | grouped | q(creator=user)
    return (public & q(is_hidden=False)) | grouped | q(creator=user)


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
            .select_related("article", "creator", "anchor_revision", "claim", "parent", "group")
            .get(pk=pk)
        )
    except (Annotation.DoesNotExist, ValueError, TypeError):
        raise NotVisible from None


def can_create(user: User | None) -> TypeGuard[Account]:
    return _signed_in(user) and user.is_active


def can_change(user: User | None, annotation: Annotation) -> TypeGuard[Account]:
    return _signed_in(user) and annotation.creator_id == user.pk


def can_moderate(user: User | None, annotation: Annotation | None = None) -> TypeGuard[Account]:
    """Staff moderate public (and private) annotations; a group's annotations are moderated by
    its owner and moderators alone."""
    if annotation is not None and annotation.group_id is not None:
        return _signed_in(user) and group_role(user, annotation.group_id) in MODERATING
    return is_curator(user)


def require_create(user: User | None) -> Account:
    if not can_create(user):
        raise AccessDenied("Sign in to annotate.")
    return user


def require_change(user: User | None, annotation: Annotation) -> Account:
    if not can_change(user, annotation):
        raise AccessDenied("Only the annotation's creator can change or delete it.")
    return user


def require_moderate(user: User | None, annotation: Annotation | None = None) -> Account:
    if not can_moderate(user, annotation):
        if annotation is not None and annotation.group_id is not None:
            raise AccessDenied("Only the group's owner and moderators can hide or unhide this.")
        raise AccessDenied("Only staff can hide or unhide annotations.")
    return user


# --- Groups ------------------------------------------------------------------------------------


def annotations_curated_by(user: User | None) -> QuerySet[Annotation]:
    """The annotations curators work on in the admin: all but the groups' they are not in (a
    group's annotations are its members' and its moderators' alone, there too)."""
    return Annotation.objects.filter(Q(group__isnull=True) | Q(group__in=group_ids_of(user)))


def claims_curated_by(user: User | None) -> QuerySet[Claim]:
    """The claims curators see in the admin: all but the groups' they are not in."""
    return Claim.objects.filter(Q(group__isnull=True) | Q(group__in=group_ids_of(user)))


def group_role(user: User | None, group_id: int) -> str | None:
    """The user's role in the group, or None for someone not in it."""
    if not _signed_in(user):
        return None
    return (
        Membership.objects.filter(user=user, group_id=group_id)
        .values_list("role", flat=True)
        .first()
    )


def groups_of(user: User | None) -> QuerySet[Group]:
    """The groups the user is a member of (what they may publish to and read)."""
    if not _signed_in(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=group_ids_of(user))


def group_get_for_member(*, user: User | None, slug: str) -> Group:
    """A group the user is a member of; NotVisible otherwise (a group is not listed to others)."""
    try:
        return groups_of(user).get(slug=slug)
    except Group.DoesNotExist:
        raise NotVisible from None


def can_publish_to(user: User | None, group: Group | None) -> bool:
    """Whether the user may publish an annotation or a claim to this group (None: no group)."""
    return group is None or group_role(user, group.pk) is not None


def require_publish_to(user: User | None, group: Group | None) -> None:
    if not can_publish_to(user, group):
        raise AccessDenied("Only the group's members can publish to it.")


def can_manage_group(user: User | None, group: Group) -> bool:
    """Owners and moderators manage the invite link; owners also members and roles."""
    return group_role(user, group.pk) in MODERATING


def require_manage_group(user: User | None, group: Group) -> Account:
    if not can_manage_group(user, group):
        raise AccessDenied("Only the group's owner and moderators can do this.")
    assert _signed_in(user)
    return user


def require_own_group(user: User | None, group: Group) -> Account:
    if group_role(user, group.pk) != Role.OWNER:
        raise AccessDenied("Only the group's owner can do this.")
    assert _signed_in(user)
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
        return carried & Q(group__isnull=True)
    return (carried | Q(created_by=user)) & (
        Q(group__isnull=True) | Q(group__in=group_ids_of(user))
    )


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
