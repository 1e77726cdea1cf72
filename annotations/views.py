"""Pages for tags and claims, and signing up. Views call selectors and render."""

from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from taggit.models import Tag

from . import access, selectors


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
    claim = get_object_or_404(
        access.claims_visible_to(request.user).select_related("reviewed_by", "created_by"), pk=pk
    )
    groups = selectors.claim_passages(user=request.user, claim=claim)
    return render(request, "annotations/claim_detail.html", {"claim": claim, "groups": groups})


def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
