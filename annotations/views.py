"""Pages for tags and claims, and signing up. Views call selectors and render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from taggit.models import Tag

from . import access, selectors, services
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
    groups = selectors.claim_passages(user=request.user, claim=claim)
    return render(request, "annotations/claim_detail.html", {"claim": claim, "groups": groups})


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return fallback
    return next_url


@require_POST
@login_required
def claim_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The compare page's "apply this claim to the linked passages" button."""
    try:
        annotation = access.annotation_get_for_user(user=request.user, pk=pk)
    except access.NotVisible:
        raise Http404("No such annotation.") from None
    try:
        created = services.claim_apply_across(user=request.user, annotation=annotation)
    except services.AnnotationInvalid as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        if created:
            outlets = ", ".join(a.article.title for a in created)
            messages.success(
                request,
                f"Claim “{annotation.claim.text}” marked on {len(created)} linked passage(s): "
                f"{outlets}.",
            )
        else:
            messages.info(request, "Every linked passage already carries this claim.")
    return redirect(_safe_next(request, annotation.article.get_absolute_url()))


def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, "/")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
