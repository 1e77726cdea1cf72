"""Pages for tags and claims, and signing up. Views call selectors and render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
    urlencode,
)
from django.views.decorators.http import require_http_methods, require_POST
from taggit.models import Tag

from . import access, claims, people, permalinks, selectors, services, tag_index
from .forms import SignUpForm
from .notification_forms import NotificationSettingsForm
from .notifications import (
    annotation_url,
    notification_get_for_user,
    notification_mark_all_read,
    notification_mark_read,
    notification_settings_for,
    notification_settings_update,
    notifications_for,
)


def _page_number(value: str | None) -> int:
    """?page= as a whole number from 1; anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return max(int(value), 1)
    return 1


def tag_list(request: HttpRequest) -> HttpResponse:
    query = tag_index.TagIndexQuery.parse(query=request.GET.get("q"), sort=request.GET.get("sort"))
    rows = tag_index.tag_index(user=request.user, query=query)
    page = Paginator(rows, tag_index.PER_PAGE).get_page(_page_number(request.GET.get("page")))
    return render(request, "annotations/tag_list.html", {"page": page, "query": query})


def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    try:
        person = people.person_get(username=username)
    except access.NotVisible:
        raise Http404("No such user.") from None
    shown = people.person_page(
        viewer=request.user,
        person=person,
        filters=people.PersonFilters.parse(request.GET),
        page_number=_page_number(request.GET.get("page")),
    )
    return render(request, "annotations/user_detail.html", {"shown": shown})


def user_export(request: HttpRequest, username: str) -> HttpResponse:
    """The person's page, as filtered, as a file: ?format=jsonld, csv or md."""
    try:
        person = people.person_get(username=username)
    except access.NotVisible:
        raise Http404("No such user.") from None
    try:
        document = people.person_export(
            viewer=request.user,
            person=person,
            filters=people.PersonFilters.parse(request.GET),
            fmt=request.GET.get("format", "jsonld"),
            absolute=request.build_absolute_uri,
            collection_id=request.build_absolute_uri(),
        )
    except ValueError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    return response


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    groups = selectors.passages_with_tag(user=request.user, slug=slug)
    if not groups:
        raise Http404("No passage you can see carries this tag.")
    return render(request, "annotations/tag_detail.html", {"tag": tag, "groups": groups})


def annotation_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """A share link: to the article at the annotation, or a page saying it cannot be shown."""
    try:
        annotation = permalinks.annotation_get_for_permalink(user=request.user, pk=pk)
    except access.NotVisible:
        return render(request, "annotations/annotation_unavailable.html", status=404)
    return redirect(permalinks.permalink_target(annotation))


def claim_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    claims = selectors.claim_list(user=request.user, query=query)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(request, "annotations/claim_list.html", {"page": page, "q": query})


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        claim = access.claim_get_for_user(user=request.user, pk=pk)
    except access.NotVisible:
        raise Http404("No such claim.") from None
    sides = selectors.claim_passages(user=request.user, claim=claim)
    return render(request, "annotations/claim_detail.html", {"claim": claim, "sides": sides})


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return fallback
    return next_url


def _outlets(offers) -> str:
    return ", ".join(offer.outlet for offer in offers)


def _applied_message(request: HttpRequest, claim, result: claims.ClaimApplyResult) -> None:
    carrying = [offer for offer, _ in result.carrying]
    disputing = [offer for offer, _ in result.disputing]
    if carrying:
        messages.success(
            request,
            f"Claim “{claim.text}” marked on {len(carrying)} linked passage(s) that carry it: "
            f"{_outlets(carrying)}.",
        )
    if disputing:
        messages.success(
            request,
            f"Recorded {len(disputing)} linked passage(s) as disputing “{claim.text}”: "
            f"{_outlets(disputing)}.",
        )
    if result.already:
        messages.info(
            request,
            f"Already marked with this claim: {_outlets(result.already)}.",
        )
    if not (carrying or disputing or result.already):
        messages.info(request, "No passage was chosen; nothing was marked.")


@require_http_methods(["GET", "HEAD", "POST"])
def claim_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a passage's claim to the passages linked to it: GET previews which would carry it
    and which dispute it; POST (with `confirm`) marks the chosen ones."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
    except access.NotVisible:
        raise Http404("No such annotation.") from None
    fallback = (
        reverse("annotations:claim-detail", args=[annotation.claim_id])
        if annotation.claim_id
        else annotation.article.get_absolute_url()
    )
    next_url = _safe_next(request, fallback)
    preview_url = reverse("annotations:claim-apply", args=[pk])
    if request.method == "POST" and "confirm" not in request.POST:
        # A form from before previews existed: show what it would do first.
        return redirect(f"{preview_url}?{urlencode({'next': next_url})}", permanent=False)
    if request.method == "POST":
        try:
            result = claims.claim_apply(
                user=request.user,
                annotation=annotation,
                carry=request.POST.getlist("carry"),
                dispute=request.POST.getlist("dispute"),
            )
        except services.AnnotationInvalid as exc:
            for problems in exc.errors.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect(f"{preview_url}?{urlencode({'next': next_url})}")
        _applied_message(request, annotation.claim, result)
        return redirect(next_url)
    preview, problems = None, []
    try:
        preview = claims.claim_apply_preview(user=request.user, annotation=annotation)
    except services.AnnotationInvalid as exc:
        problems = [problem for found in exc.errors.values() for problem in found]
    return render(
        request,
        "annotations/claim_apply.html",
        {"annotation": annotation, "preview": preview, "problems": problems, "next": next_url},
        status=400 if problems else 200,
    )


def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, "/")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, newest first, unread ones marked."""
    page = Paginator(notifications_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "annotations/notification_list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to its annotation in context."""
    try:
        notification = notification_get_for_user(user=request.user, pk=pk)
    except access.NotVisible:
        raise Http404("No such notification.") from None
    notification_mark_read(user=request.user, notification=notification)
    return redirect(annotation_url(notification.annotation))


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    count = notification_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{pluralize(count)} marked read.")
    return redirect("annotations:notification-list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which notifications the reader also wants by e-mail."""
    current = notification_settings_for(user=request.user)
    initial = {
        "email": request.user.email,
        "email_replies": current.email_replies,
        "email_claims": current.email_claims,
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("annotations:notification-settings")
    return render(request, "annotations/notification_settings.html", {"form": form})
