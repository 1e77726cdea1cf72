"""Groups: create one, invite by a link that can be revoked, join, leave, remove members,
appoint moderators. Access in annotations/access.py."""

from django.db import transaction
from django.utils.text import slugify

from .. import access
from ..groups.models import new_invite_token
from ..models import Group, Membership, Role
from .common import AnnotationInvalid, check_text

MAX_NAME = 100
MAX_DESCRIPTION = 2_000


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80].strip("-") or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def group_create(*, user: access.User | None, name: str, description: str = "") -> Group:
    """A new group, its creator its owner."""
    account = access.require_create(user)
    name = check_text("name", name, MAX_NAME).strip()
    if not name:
        raise AnnotationInvalid({"name": ["A group needs a name."]})
    description = check_text("description", description, MAX_DESCRIPTION).strip()
    group = Group.objects.create(
        name=name, slug=_unique_slug(name), description=description, created_by=account
    )
    Membership.objects.create(group=group, user=account, role=Role.OWNER)
    return group


@transaction.atomic
def group_update(*, user: access.User | None, group: Group, name: str, description: str) -> Group:
    access.require_own_group(user, group)
    name = check_text("name", name, MAX_NAME).strip()
    if not name:
        raise AnnotationInvalid({"name": ["A group needs a name."]})
    group.name = name
    group.description = check_text("description", description, MAX_DESCRIPTION).strip()
    group.save(update_fields=["name", "description", "modified"])
    return group


@transaction.atomic
def group_invite_renew(*, user: access.User | None, group: Group, open_: bool = True) -> Group:
    """Revoke the invite link (a new one replaces it), or close joining (open_=False)."""
    access.require_manage_group(user, group)
    group.invite_token = new_invite_token()
    group.invites_open = open_
    group.save(update_fields=["invite_token", "invites_open", "modified"])
    return group


def group_for_invite(*, token: str) -> Group:
    """The group an invite link opens; NotVisible when the link is unknown, revoked or closed."""
    group = Group.objects.filter(invite_token=token, invites_open=True).first()
    if not token or group is None:
        raise access.NotVisible
    return group


@transaction.atomic
def group_join(*, user: access.User | None, token: str) -> Group:
    """Join by an invite link (joining twice changes nothing)."""
    account = access.require_create(user)
    group = group_for_invite(token=token)
    Membership.objects.get_or_create(group=group, user=account, defaults={"role": Role.MEMBER})
    return group


def _owners(group: Group) -> int:
    return Membership.objects.filter(group=group, role=Role.OWNER).count()


@transaction.atomic
def group_member_remove(*, user: access.User | None, group: Group, member_id: int) -> None:
    """The owner removes a member (or anyone leaves: member_id their own). A group keeps at
    least one owner."""
    account = access.require_create(user)
    if member_id != account.pk:
        access.require_own_group(account, group)
    membership = Membership.objects.select_for_update().filter(group=group, user_id=member_id)
    found = membership.first()
    if found is None:
        raise access.NotVisible
    if found.role == Role.OWNER and _owners(group) == 1:
        raise AnnotationInvalid({"member": ["A group needs an owner: appoint another first."]})
    found.delete()


@transaction.atomic
def group_member_set_role(
    *, user: access.User | None, group: Group, member_id: int, role: str
) -> Membership:
    """The owner makes a member a moderator, an owner, or a member again."""
    access.require_own_group(user, group)
    if role not in Role.values:
        raise AnnotationInvalid({"role": [f"One of: {', '.join(Role.values)}."]})
    membership = Membership.objects.select_for_update().filter(group=group, user_id=member_id)
    found = membership.first()
    if found is None:
        raise access.NotVisible
    if found.role == Role.OWNER and role != Role.OWNER and _owners(group) == 1:
        raise AnnotationInvalid({"role": ["A group needs an owner: appoint another first."]})
    found.role = role
    found.save(update_fields=["role", "modified"])
    return found
