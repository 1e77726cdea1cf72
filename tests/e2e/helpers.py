"""Small helpers shared by the e2e tests."""

from django.urls import reverse

NARROW = {"width": 375, "height": 812}  # a small phone, portrait


def detail_url(article) -> str:
    return reverse("articles:detail", args=[article.slug])


def source_url(article) -> str:
    return reverse("articles:source", args=[article.slug])


def view_url(view: str, article=None) -> str:
    """The address of the list ("list"), or of an article's "detail" or "source" view."""
    if view == "list":
        return reverse("articles:list")
    return {"detail": detail_url, "source": source_url}[view](article)
