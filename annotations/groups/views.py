"""The group pages: my groups (and a new one), a group's page for its members (members and
roles, the invite link, its latest annotations), and the page an invite link opens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import access, services
from ..models import Membership, Role
from ..services import AnnotationInvalid

LATEST = 20


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    """The reader's groups, and a form to make one (POST)."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            group = services.group_create(
                user=request.user,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
            )
        except AnnotationInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Group “{group.name}” made. Invite people with its link.")
            return redirect(group.get_absolute_url())
    memberships = (
        Membership.objects.filter(user_id=int(request.user.pk or 0))
        .select_related("group")
        .order_by("group")
    )
    return render(
        request,
        "annotations/group_list.html",
        {"memberships": memberships, "errors": errors, "values": request.POST},
        status=400 if errors else 200,
    )


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        group = access.group_get_for_member(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No group of yours at that address.") from None
    role = access.group_role(request.user, group.pk)
    members = (
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("role", "user__username")
    )
    latest = (
        access.annotations_visible_to(request.user)
        .filter(group=group, parent__isnull=True)
        .select_related("article", "creator")
        .order_by("-created", "-pk")[:LATEST]
    )
    invite = request.build_absolute_uri(
        reverse("annotations:group-join", kwargs={"token": group.invite_token})
    )
    return render(
        request,
        "annotations/group_detail.html",
        {
            "group": group,
            "role": role,
            "members": members,
            "latest": latest,
            "invite_url": invite,
            "manages": role in access.MODERATING,
            "owns": role == Role.OWNER,
            "roles": Role,
        },
    )


@login_required
@require_POST
def group_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's and moderators' actions: revoke the link, close or open joining, remove a
    member, change a role; and anyone's: leave."""
    try:
        group = access.group_get_for_member(user=request.user, slug=slug)
    except access.NotVisible:
        raise Http404("No group of yours at that address.") from None
    action = request.POST.get("action", "")
    member = request.POST.get("member", "")
    try:
        if action == "renew-link":
            services.group_invite_renew(user=request.user, group=group)
            messages.success(request, "The old invite link no longer works; here is a new one.")
        elif action in ("close", "open"):
            services.group_invite_renew(user=request.user, group=group, open_=action == "open")
            messages.success(
                request, "Joining is open." if action == "open" else "Joining is closed."
            )
        elif action == "remove" and member.isdigit():
            services.group_member_remove(user=request.user, group=group, member_id=int(member))
            messages.success(request, "Removed from the group.")
        elif action == "role" and member.isdigit():
            services.group_member_set_role(
                user=request.user,
                group=group,
                member_id=int(member),
                role=request.POST.get("role", ""),
            )
            messages.success(request, "Role changed.")
        elif action == "leave":
            services.group_member_remove(
                user=request.user, group=group, member_id=int(request.user.pk or 0)
            )
            messages.success(request, f"You left “{group.name}”.")
            return redirect("annotations:group-list")
        else:
            messages.error(request, "Nothing to do.")
    except access.AccessDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except access.NotVisible:
        raise Http404("No such member.") from None
    except AnnotationInvalid as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    return redirect(group.get_absolute_url())


def group_join(request: HttpRequest, token: str) -> HttpResponse:
    """What an invite link opens: the group's name and a button to join (sign in first)."""
    try:
        group = services.group_for_invite(token=token)
    except access.NotVisible:
        raise Http404(
            "This invite link is not valid: it was revoked, or joining is closed."
        ) from None
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if access.group_role(request.user, group.pk) is not None:
        return redirect(group.get_absolute_url())
    if request.method == "POST":
        services.group_join(user=request.user, token=token)
        messages.success(request, f"You joined “{group.name}”.")
        return redirect(group.get_absolute_url())
    return render(request, "annotations/group_join.html", {"group": group})
