"""Tag and claim pages, and the claim and tag API lists, run a number of queries that does not
grow with the number of rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add(alice, article, n: int, claim) -> None:
    body = article.current_revision.body
    for i in range(n):
        start = (i * 37) % (len(body) - 20)
        services.annotation_create(
            user=alice,
            article=article,
            start=start,
            end=start + 12,
            motivation="assessing",
            claim=claim,
            tags=["people", f"extra-{i}"],
            note=f"note {i} with **markdown**",
        )
        services.claim_create(user=alice, text=f"Claim number {i}", tags=[f"c{i}"])


@pytest.mark.parametrize(
    "url",
    ["/tags/people/", "/claims/", "CLAIM", "/api/claims/", "/api/tags/", "/api/annotations/"],
)
def test_query_counts_do_not_grow_with_rows(client, seeds, alice, url):
    claim = services.claim_create(user=alice, text="The shared claim")
    target = f"/claims/{claim.pk}/" if url == "CLAIM" else url
    add(alice, seeds["001"], 3, claim)
    few = count(client, target)
    add(alice, seeds["004"], 27, claim)
    many = count(client, target)
    assert few == many, target
