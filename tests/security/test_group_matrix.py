"""A group's annotations are seen by its members only, everywhere: the permission matrix.

On top of the leak matrix's world (tests/security/test_leak_matrix.py), a group "marmotteam"
holds: cora's note (its tag, a group claim it carries), a reply in its thread by mia, and a
note the group's moderator hid. Viewers: anonymous, a signed-in non-member (bob), staff who
are not members (sam), a plain member (mia), the moderator (mo) and the owner (olga). Every
surface of the leak matrix (each route's addresses), the group's own pages and every address
naming a group record are read by each viewer after the members warmed the caches; a viewer
must find none of the markers they may not see, and the control shows members find theirs.
"""

import pytest
from django.contrib.auth import get_user_model

import tests.security.test_leak_matrix as base
from annotations import services
from annotations.models import Annotation, Notification
from tests.security.conftest import annotate
from tests.security.test_leak_matrix import world  # noqa: F401 (the fixture)

GROUP_NAME = "marmotteam"
GROUP_NOTE = "capybaranote"
GROUP_TAG = "capybaratag"
GROUP_CLAIM = "ibexclaim"
GROUP_REPLY = "dingoreply"
GROUP_HIDDEN = "tarsiernote"
HANDLE = base.HANDLE
EVERYTHING = {GROUP_NAME, GROUP_NOTE, GROUP_TAG, GROUP_CLAIM, GROUP_REPLY, GROUP_HIDDEN}
FORBIDDEN = {
    "anonymous": EVERYTHING,
    "bob": EVERYTHING,
    "staff": EVERYTHING,
    "member": {GROUP_HIDDEN},
    "moderator": set(),
    "owner": set(),
}
QUOTE_GROUP = "Syrian opposition groups"
QUOTE_HIDDEN = "Moscow has said"


@pytest.fixture
def groups(world):  # noqa: F811
    User = get_user_model()
    users = {
        "owner": User.objects.create_user("olga", password="pw-123456789"),
        "moderator": User.objects.create_user("mo", password="pw-123456789"),
        "member": User.objects.create_user("mia", password="pw-123456789"),
        "creator": User.objects.create_user("cora", password="pw-123456789"),
    }
    group = services.group_create(user=users["owner"], name=f"The {GROUP_NAME}")
    for who in ("moderator", "member", "creator"):
        services.group_join(user=users[who], token=group.invite_token)
    moderator = users["moderator"]
    services.group_member_set_role(
        user=users["owner"], group=group, member_id=moderator.pk, role="moderator"
    )
    claim = services.claim_create(
        user=users["creator"], text=f"The {GROUP_CLAIM} {HANDLE} holds.", group=group
    )
    note = annotate(
        users["creator"],
        world.article,
        QUOTE_GROUP,
        group=group,
        motivation="assessing",
        claim=claim,
        note=f"Our {GROUP_NOTE} {HANDLE}.",
        tags=[GROUP_TAG],
    )
    reply = services.annotation_reply(
        user=users["member"], parent=note, note=f"A {GROUP_REPLY} {HANDLE}."
    )
    hidden = annotate(
        users["creator"],
        world.article,
        QUOTE_HIDDEN,
        group=group,
        note=f"A {GROUP_HIDDEN} {HANDLE}.",
    )
    services.annotation_set_hidden(user=moderator, annotation=hidden, hidden=True)
    viewers = {
        "anonymous": None,
        "bob": world.users["bob"],
        "staff": world.users["staff"],
        **{k: users[k] for k in ("member", "moderator", "owner")},
    }
    addresses = [
        *base._addresses(world),
        group.get_absolute_url(),
        *(f"/annotations/{a.pk}/" for a in (note, reply, hidden)),
        *(f"/api/annotations/{a.pk}/" for a in (note, reply, hidden)),
        f"/api/claims/{claim.pk}/",
        f"/claims/{claim.pk}/",
        f"/tags/{base._tag_slug(GROUP_TAG)}/",
        f"/api/annotations/?tag={base._tag_slug(GROUP_TAG)}",
        f"/api/annotations/?claim={claim.pk}",
        f"/search/?q={HANDLE}&kind=annotation",
        f"/search/?q={HANDLE}&kind=claim",
        *(f"/users/{name}/" for name in ("cora", "mia")),
        *(
            f"/users/{name}/export/?format={fmt}"
            for name in ("cora", "mia")
            for fmt in ("jsonld", "csv", "md")
        ),
        *(f"/notifications/{pk}/" for pk in Notification.objects.values_list("pk", flat=True)),
        f"/compare/?articles={world.article.slug},{world.other.slug}",
    ]
    return {
        "group": group,
        "viewers": viewers,
        "users": users,
        "addresses": addresses,
        "note": note,
        "hidden": hidden,
        "claim": claim,
    }


def _warm(g) -> None:
    for who in ("creator", "owner", "moderator", "member"):
        client = base._client(g["users"][who])
        for address in g["addresses"]:
            base._read(client, address)


def test_no_surface_shows_a_group_record_to_whoever_may_not_see_it(groups):
    """The members warm every cache first; then each kind of viewer reads every address and
    finds none of the markers they may not see (one world for the six viewers: building it
    and warming the caches is most of the cost)."""
    _warm(groups)
    leaks = []
    for viewer in sorted(FORBIDDEN):
        client = base._client(groups["viewers"][viewer])
        for address in groups["addresses"]:
            body = base._read(client, address)
            leaks += [
                (viewer, address, marker)
                for marker in sorted(FORBIDDEN[viewer])
                if marker in body and marker not in address
            ]
    assert leaks == []


SHOWN_TO_MEMBERS = {
    "article page": (
        lambda g, w: f"/articles/{w.article.slug}/",
        {GROUP_NOTE, GROUP_TAG, GROUP_CLAIM, GROUP_REPLY, GROUP_NAME},
    ),
    "search": (lambda g, w: f"/search/?q={HANDLE}&kind=annotation", {GROUP_NOTE}),
    "tag page": (lambda g, w: f"/tags/{base._tag_slug(GROUP_TAG)}/", {GROUP_NOTE}),
    "claim page": (lambda g, w: f"/claims/{g['claim'].pk}/", {GROUP_CLAIM}),
    "api list": (
        lambda g, w: f"/api/annotations/?article={w.article.slug}",
        {GROUP_NOTE, GROUP_REPLY},
    ),
    "export": (lambda g, w: "/users/cora/export/?format=jsonld", {GROUP_NOTE}),
    "group page": (
        lambda g, w: g["group"].get_absolute_url(),
        {GROUP_NAME},
    ),
    "person page": (lambda g, w: "/users/cora/", {GROUP_NOTE}),
}


def test_members_see_the_group_s_records(groups, world):  # noqa: F811
    """The control: each member role finds the group's markers on each surface."""
    missing = []
    for viewer in ("member", "moderator", "owner"):
        client = base._client(groups["viewers"][viewer])
        for surface, (build, markers) in sorted(SHOWN_TO_MEMBERS.items()):
            body = base._read(client, build(groups, world))
            missing += [(viewer, surface, m) for m in sorted(markers) if m not in body]
    assert missing == []


def test_an_invite_link_shows_its_holder_the_group_s_name_and_nothing_of_its_records(groups):
    """The join page names the group (whoever holds the link was told of it) and holds no
    record of it; a revoked link names nothing."""
    bob = base._client(groups["viewers"]["bob"])
    link = f"/groups/join/{groups['group'].invite_token}/"
    body = base._read(bob, link)
    assert GROUP_NAME in body
    assert not (EVERYTHING - {GROUP_NAME}) & {m for m in EVERYTHING if m in body}
    services.group_invite_renew(user=groups["users"]["owner"], group=groups["group"])
    assert bob.get(link).status_code == 404


def test_moderators_and_the_owner_see_what_their_moderator_hid(groups, world):  # noqa: F811
    page = f"/articles/{world.article.slug}/"
    for viewer in ("moderator", "owner"):
        assert GROUP_HIDDEN in base._read(base._client(groups["viewers"][viewer]), page)
    assert GROUP_HIDDEN in base._read(base._client(groups["users"]["creator"]), page)
    assert GROUP_HIDDEN not in base._read(base._client(groups["viewers"]["member"]), page)


def test_a_member_who_leaves_no_longer_sees_the_group(groups, world):  # noqa: F811
    page = f"/articles/{world.article.slug}/"
    mia = groups["users"]["member"]
    client = base._client(mia)
    assert GROUP_NOTE in base._read(client, page)  # cached for her now
    services.group_member_remove(user=mia, group=groups["group"], member_id=mia.pk)
    assert GROUP_NOTE not in base._read(client, page)
    assert not Annotation.objects.filter(pk=groups["note"].pk, group__members=mia).exists()


def test_a_member_made_moderator_sees_what_was_hidden_at_once(groups, world):  # noqa: F811
    """Her cached sidebar must not outlive her new role (the key follows memberships)."""
    page = f"/articles/{world.article.slug}/"
    mia = groups["users"]["member"]
    client = base._client(mia)
    assert GROUP_HIDDEN not in base._read(client, page)
    services.group_member_set_role(
        user=groups["users"]["owner"], group=groups["group"], member_id=mia.pk, role="moderator"
    )
    assert GROUP_HIDDEN in base._read(client, page)
