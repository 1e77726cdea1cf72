"""Pages of a list in the API: `?page=` (from 1; a page past the end is the last one)."""

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from rest_framework.request import Request

PAGE_SIZE = 50


def page_of(request: Request, items: QuerySet) -> tuple[Paginator, Page]:
    paginator = Paginator(items, PAGE_SIZE)
    number = request.query_params.get("page", "1")
    try:
        wanted = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else 1
        return paginator, paginator.page(max(1, wanted))
    except EmptyPage:
        return paginator, paginator.page(paginator.num_pages)
