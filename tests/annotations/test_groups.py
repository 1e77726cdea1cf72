"""Groups: making one, invite links, roles, publishing to a group, moderation within it, and
the group pages; the reading page's queries stay flat as groups and memberships grow."""

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import access, services
from annotations.models import Annotation, Membership, Role, Visibility
from annotations.services import AnnotationInvalid
from tests.security.conftest import annotate

pytestmark = pytest.mark.django_db
QUOTE = "Moscow has said"


@pytest.fixture
def people(django_user_model):
    return {
        name: django_user_model.objects.create_user(name, password="pw-123456789")
        for name in ("olga", "mia", "bob", "mo")
    }


@pytest.fixture
def team(people):
    group = services.group_create(user=people["olga"], name="Desk team", description="Fact checks")
    for who in ("mia", "mo"):
        services.group_join(user=people[who], token=group.invite_token)
    services.group_member_set_role(
        user=people["olga"], group=group, member_id=people["mo"].pk, role=Role.MODERATOR
    )
    return group


def test_the_creator_owns_a_new_group_and_the_link_lets_others_join(people, team):
    roles = dict(Membership.objects.filter(group=team).values_list("user__username", "role"))
    assert roles == {"olga": "owner", "mia": "member", "mo": "moderator"}
    services.group_join(user=people["mia"], token=team.invite_token)  # twice: nothing new
    assert Membership.objects.filter(group=team).count() == 3
    with pytest.raises(AnnotationInvalid):
        services.group_create(user=people["bob"], name="   ")
    with pytest.raises(access.AccessDenied):
        services.group_create(user=None, name="Anonymous")


def test_a_revoked_or_closed_link_lets_nobody_in(people, team):
    old = team.invite_token
    services.group_invite_renew(user=people["mo"], group=team)  # moderators manage the link
    with pytest.raises(access.NotVisible):
        services.group_join(user=people["bob"], token=old)
    services.group_invite_renew(user=people["olga"], group=team, open_=False)
    team.refresh_from_db()
    with pytest.raises(access.NotVisible):
        services.group_join(user=people["bob"], token=team.invite_token)
    with pytest.raises(access.AccessDenied):
        services.group_invite_renew(user=people["mia"], group=team)  # a member may not


def test_only_the_owner_removes_members_and_a_group_keeps_an_owner(people, team):
    with pytest.raises(access.AccessDenied):
        services.group_member_remove(user=people["mo"], group=team, member_id=people["mia"].pk)
    services.group_member_remove(user=people["olga"], group=team, member_id=people["mia"].pk)
    assert not Membership.objects.filter(group=team, user=people["mia"]).exists()
    with pytest.raises(AnnotationInvalid):  # the only owner cannot leave
        services.group_member_remove(user=people["olga"], group=team, member_id=people["olga"].pk)
    services.group_member_set_role(
        user=people["olga"], group=team, member_id=people["mo"].pk, role=Role.OWNER
    )
    services.group_member_remove(user=people["olga"], group=team, member_id=people["olga"].pk)
    assert access.group_role(people["mo"], team.pk) == Role.OWNER


def test_publishing_to_a_group_needs_membership_and_replies_stay_in_it(seeds, people, team):
    article = seeds["001"]
    with pytest.raises(AnnotationInvalid):
        annotate(people["bob"], article, QUOTE, group=team)
    with pytest.raises(AnnotationInvalid):
        annotate(people["mia"], article, QUOTE, visibility=Visibility.GROUP)  # which group?
    note = annotate(people["mia"], article, QUOTE, group=team, note="Ours.")
    assert (note.visibility, note.group_id) == (Visibility.GROUP, team.pk)
    reply = services.annotation_reply(user=people["olga"], parent=note, note="Agreed.")
    assert (reply.visibility, reply.group_id) == (Visibility.GROUP, team.pk)
    assert list(access.annotations_visible_to(people["bob"]).filter(group=team)) == []
    assert set(access.annotations_visible_to(people["mo"]).filter(group=team)) == {note, reply}


def test_moving_an_annotation_out_of_its_group(seeds, people, team):
    note = annotate(people["mia"], seeds["001"], QUOTE, group=team)
    moved = services.annotation_update(
        user=people["mia"], annotation=note, expected_version=None, visibility="public"
    )
    assert (moved.visibility, moved.group_id) == ("public", None)
    back = services.annotation_update(
        user=people["mia"], annotation=moved, expected_version=None, group=team
    )
    assert (back.visibility, back.group_id) == ("group", team.pk)


def test_a_group_claim_is_carried_in_its_group_only(seeds, people, team):
    claim = services.claim_create(user=people["mia"], text="Only we say so", group=team)
    with pytest.raises(AnnotationInvalid):
        annotate(people["mia"], seeds["001"], QUOTE, motivation="assessing", claim=claim)
    annotate(people["mia"], seeds["001"], QUOTE, motivation="assessing", claim=claim, group=team)
    assert list(access.claims_visible_to(people["bob"]).filter(pk=claim.pk)) == []
    assert list(access.claims_visible_to(people["olga"]).filter(pk=claim.pk)) == [claim]
    with pytest.raises(AnnotationInvalid):
        services.claim_create(user=people["bob"], text="Not mine to make", group=team)


def test_moderators_hide_within_their_group_and_staff_do_not(seeds, people, team, curator):
    note = annotate(people["mia"], seeds["001"], QUOTE, group=team)
    with pytest.raises(access.AccessDenied):
        services.annotation_set_hidden(user=curator, annotation=note, hidden=True)
    with pytest.raises(access.AccessDenied):
        services.annotation_set_hidden(user=people["bob"], annotation=note, hidden=True)
    services.annotation_set_hidden(user=people["mo"], annotation=note, hidden=True)
    note.refresh_from_db()
    assert note.is_hidden
    others = access.annotations_visible_to
    assert others(people["olga"]).filter(pk=note.pk).exists()  # the owner sees it
    assert others(people["mia"]).filter(pk=note.pk).exists()  # its creator sees it
    member = Membership.objects.get(group=team, user=people["mo"])
    assert member.role == Role.MODERATOR
    services.group_join(user=people["bob"], token=team.invite_token)
    assert not others(people["bob"]).filter(pk=note.pk).exists()  # a plain member does not


def test_group_pages_are_their_members_only(client, people, team):
    assert client.get(team.get_absolute_url()).status_code == 404
    client.force_login(people["bob"])
    assert client.get(team.get_absolute_url()).status_code == 404
    response = client.post(f"{team.get_absolute_url()}manage/", {"action": "renew-link"})
    assert response.status_code == 404
    client.force_login(people["mia"])
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Desk team" in page
    assert "olga" in page
    assert team.invite_token not in page  # the link is for the owner and moderators
    assert (
        client.post(f"{team.get_absolute_url()}manage/", {"action": "renew-link"}).status_code
        == 403
    )
    client.force_login(people["olga"])
    assert team.invite_token in client.get(team.get_absolute_url()).content.decode()


def test_making_and_joining_a_group_through_the_pages(client, people):
    client.force_login(people["olga"])
    response = client.post("/groups/", {"name": "Newsroom", "description": "Desk"})
    assert response.status_code == 302
    group = access.groups_of(people["olga"]).get()
    client.force_login(people["bob"])
    link = f"/groups/join/{group.invite_token}/"
    assert "Join the group" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert access.group_role(people["bob"], group.pk) == Role.MEMBER
    assert client.get("/groups/join/not-a-token/").status_code == 404


def test_the_api_and_w3c_record_carry_the_group_as_audience(seeds, client, people, team):
    article = seeds["001"]
    client.force_login(people["mia"])
    start = article.current_revision.body.index(QUOTE)
    record = {
        "type": "Annotation",
        "target": {
            "source": f"http://testserver{article.get_absolute_url()}",
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": start + len(QUOTE)}
            ],
        },
        "group": team.slug,
    }
    made = client.post("/api/annotations/", record, content_type="application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["visibility"] == "group"
    assert data["group"] == team.slug
    assert data["audience"]["id"].endswith(team.get_absolute_url())
    client.force_login(people["bob"])
    refused = client.post("/api/annotations/", record, content_type="application/json")
    assert refused.status_code == 400
    assert "not a group you are a member of" in refused.content.decode()
    # By the audience's IRI alone, for a member.
    client.force_login(people["olga"])
    by_iri = {**record, "audience": data["audience"]}
    del by_iri["group"]
    assert (
        client.post("/api/annotations/", by_iri, content_type="application/json").json()["group"]
        == team.slug
    )


def test_the_reading_page_costs_the_same_queries_with_more_groups(seeds, client, people):
    article = seeds["001"]
    client.force_login(people["mia"])

    def queries() -> int:
        django_cache.clear()  # the whole page drawn, the shared part and the reader's own
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(ctx)

    group = services.group_create(user=people["mia"], name="First")
    annotate(people["mia"], article, QUOTE, group=group)
    few = queries()
    for n in range(6):
        more = services.group_create(user=people["olga"], name=f"Team {n}")
        for who in ("mia", "bob", "mo"):
            services.group_join(user=people[who], token=more.invite_token)
        annotate(people["olga"], article, QUOTE, group=more)
    assert queries() == few
    assert Annotation.objects.filter(visibility="group").count() == 7


def test_curators_do_not_find_other_groups_annotations_in_the_admin(seeds, client, people, team):
    note = annotate(people["mia"], seeds["001"], QUOTE, group=team, note="Desk only")
    public = annotate(people["bob"], seeds["001"], QUOTE, note="For all")
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root", password="pw-123456789")
    client.force_login(admin_user)
    listed = client.get("/admin/annotations/annotation/").content.decode()
    assert f"/admin/annotations/annotation/{public.pk}/change/" in listed
    assert f"/admin/annotations/annotation/{note.pk}/change/" not in listed
    assert client.get(f"/admin/annotations/annotation/{note.pk}/change/").status_code == 302
