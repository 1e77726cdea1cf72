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

from dataclasses import dataclass
from typing import Any, TypeGuard

from django.contrib.auth.models import User as Account
from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.access import (
    LISTED,
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


def annotations_beyond_public_q(user: User | None) -> Q:
    """The annotations a signed-in reader (not staff) may read that an anonymous reader may
    not, on a published article: their own that are not public or are hidden, and their
    groups'. Where none are on an article, the reader reads exactly what everyone reads
    there (replies included: a reply hidden from everyone hangs under one of these), and may
    be given the page shared by such readers (annotations/pages/shared.py). Staff, who also
    read what is hidden, always match everything."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    own = Q(creator=user) & (~Q(visibility=Visibility.PUBLIC) | Q(is_hidden=True))
    return own | Q(group__in=group_ids_of(user))


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


def claim_visibility_q(user: User | None, prefix: str = "") -> Q:
    """The filter selecting the claims a user may read: carried by an annotation they may
    read, or their own. With a prefix (e.g. "content_object__") the same rule filters a
    related model's claims."""

    def q(**lookups: object) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    carried = Q(Exists(annotations_visible_to(user).filter(claim=OuterRef(f"{prefix}pk"))))
    if not _signed_in(user):
        return carried & q(group__isnull=True)
    return (carried | q(created_by=user)) & (
        q(group__isnull=True) | q(group__in=group_ids_of(user))
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


# --- What a reader reads beyond everyone --------------------------------------------------------

# Past this many, a reader's own ids are read by a subquery instead of being listed.
BEYOND_LISTED = 1_000


def annotations_beyond_everyone(user: User | None) -> QuerySet[Annotation]:
    """Annotations the user may read, among them every one an anonymous reader may not:
    annotations_visible_to(user) is annotations_visible_to(None) and these together.

    Found from the user's own rows, by index: their own that not everyone reads, their
    groups', for staff the hidden ones, and the replies in those threads (a reply everyone
    may not read hangs under one of them). So what every reader is shown can be kept once
    and given each reader with their additions, at the cost of their rows, never of
    everyone's. None for an anonymous reader."""
    if not _signed_in(user):
        return Annotation.objects.none()
    # Their own that not everyone reads (~_own_visibility_q(None)): not public, hidden, or on
    # an article not listed, read among the few such articles rather than for each row.
    unlisted = Article.objects.filter(
        status__in=[status for status in Article.Status.values if status != LISTED]
    ).values("pk")
    own = Q(creator=user) & (
        ~Q(visibility=Visibility.PUBLIC) | Q(is_hidden=True) | Q(article__in=unlisted)
    )
    threads = [
        Annotation.objects.filter(own),
        Annotation.objects.filter(group__in=group_ids_of(user)),
    ]
    if user.is_staff:
        threads.append(Annotation.objects.filter(is_hidden=True))
    replies = [
        # The replies in those threads: under the reader's own, joined from their rows by
        # index; under the others, read by parent among the threads found.
        Annotation.objects.filter(parent__creator=user, parent__in=threads[0].values("pk")),
        *(Annotation.objects.filter(parent__in=first.values("pk")) for first in threads[1:]),
    ]
    # One set of ids (a union, which both databases read by index, where an OR of subqueries
    # would have PostgreSQL read every row): the threads' first annotations and their replies.
    ids = [rows.order_by().values("pk") for rows in (*threads, *replies)]
    return annotations_visible_to(user).filter(pk__in=ids[0].union(*ids[1:], all=True))


@dataclass(frozen=True, slots=True)
class Beyond:
    """What one reader may read that an anonymous reader may not, read once for a page
    (reader_beyond): the annotations of annotations_beyond_everyone and the claims the
    reader may read beyond everyone, as ids (or, for a reader with very many, as subqueries).
    Pages built on what everyone reads add these: `annotations_q` and `claims_q`."""

    annotations: "frozenset[int] | QuerySet[Annotation, Any]" = frozenset()
    claims: "frozenset[int] | QuerySet[Claim, Any]" = frozenset()

    def annotations_q(self, prefix: str = "") -> Q:
        """The reader's annotations beyond everyone's (with a prefix, a related model's)."""
        return Q(**{f"{prefix}pk__in": self.annotations})

    def claims_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}pk__in": self.claims})

    @property
    def empty(self) -> bool:
        """Nothing beyond what everyone reads (never said of ids read by subqueries)."""
        listed = (self.annotations, self.claims)
        return all(isinstance(ids, frozenset) and not ids for ids in listed)


def reader_beyond(user: User | None) -> Beyond:
    """What the user may read beyond everyone (two queries; none for an anonymous reader).

    Claims: those the user may read that an anonymous reader may not are carried by one of
    these annotations (a group's claim is carried in its group only) or their own, and in
    no group or one of theirs."""
    if not _signed_in(user):
        return Beyond()
    rows = annotations_beyond_everyone(user).order_by().values_list("pk", "claim_id")
    found = list(rows[: BEYOND_LISTED + 1])
    annotations: frozenset[int] | QuerySet[Annotation, Any] = frozenset(pk for pk, _ in found)
    carried: Any = {claim for _, claim in found if claim is not None}
    if len(found) > BEYOND_LISTED:
        annotations = rows.values("pk")
        carried = rows.filter(claim__isnull=False).values("claim_id")
    claim_rows = Claim.objects.filter(
        (Q(pk__in=carried) | Q(created_by=user))
        & (Q(group__isnull=True) | Q(group__in=group_ids_of(user)))
    ).values("pk")
    found_claims = list(claim_rows.values_list("pk", flat=True)[: BEYOND_LISTED + 1])
    claims: frozenset[int] | QuerySet[Claim, Any] = frozenset(found_claims)
    if len(found_claims) > BEYOND_LISTED:
        claims = claim_rows
    return Beyond(annotations, claims)


def annotations_listed_with(beyond: Beyond) -> QuerySet[Annotation]:
    """annotations_listed_for(user) as what everyone may find and the reader's own
    additions (reader_beyond(user)): the same rows, by a cheaper rule to check."""
    return Annotation.objects.filter(annotation_visibility_q(None) | beyond.annotations_q()).filter(
        article_listed_q("article__")
    )


def claims_visible_with(beyond: Beyond) -> QuerySet[Claim]:
    """claims_visible_to(user) as what everyone may read and the reader's own additions."""
    return Claim.objects.filter(claim_visibility_q(None) | beyond.claims_q())
