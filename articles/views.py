"""The source view: the original file of an article and what was kept from it. The pages that
show articles with their annotations (list, reading, compare, search) are in
annotations/pages/."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .ingest import Kind
from .models import Article
from .reading import kind_counts, raw_pieces
from .selectors import article_get_for_reading


def article_source(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = article_get_for_reading(user=request.user, slug=slug)
    except Article.DoesNotExist:
        raise Http404("No published article with that address.") from None
    revision = article.current_revision
    blocks = revision.ordered_blocks
    return render(
        request,
        "articles/article_source.html",
        {
            "article": article,
            "revision": revision,
            "pieces": raw_pieces(revision.raw_text, blocks),
            "readable": [b for b in blocks if b.body_start is not None],
            "counts": kind_counts(blocks),
            "kinds": list(Kind),
        },
    )
