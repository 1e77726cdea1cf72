"""Pages for tags and claims, and signing up. Views call selectors and render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from taggit.models import Tag

from . import access, claims, selectors, services
from .forms import SignUpForm


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    groups = selectors.passages_with_tag(user=request.user, slug=slug)
    if not groups:
        raise Http404("No passage you can see carries this tag.")
    return render(request, "annotations/tag_detail.html", {"tag": tag, "groups": groups})


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
