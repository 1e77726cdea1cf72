"""Fixtures for the hostile-input tests: the seeds, two readers and their annotations."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.html import escape
from taggit.models import Tag

from annotations import services
from annotations.models import Annotation, Claim, TaggedAnnotation, TaggedClaim
from articles.models import Article, ArticleRevision, Block
from tests.annotations.conftest import alice, bob  # noqa: F401 (fixtures)

QUOTE = "Vladimir Putin said that that Syrian opposition groups"  # only in seed 001


def annotate(user, article: Article, quote: str = QUOTE, **fields) -> Annotation:
    start = article.current_revision.body.index(quote)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(quote), exact=quote, **fields
    ).annotation


CARD = re.compile(r'<article class="card[^"]*" id="card-(\d+)"([^>]*)>')
CONFIG = re.compile(r'<script id="annotator-config" type="application/json">(.*?)</script>', re.S)


def cards_as_own(html: str) -> set[int]:
    """The cards a reading page presents as the reader's own: marked by the server
    (data-mine) or by the annotator's script, which marks those whose author is the reader
    its config names (static/js/annotator/card-actions.js)."""
    config = CONFIG.search(html)
    username = json.loads(config.group(1))["username"] if config else ""
    authored = f'data-author="{escape(username)}"'
    return {
        int(match.group(1))
        for match in CARD.finditer(html)
        if 'data-mine="1"' in match.group(2) or (username and authored in match.group(2))
    }


def snapshot() -> dict:
    """Everything a refused request must leave as it was: counts and the rows that matter."""
    models = (
        Annotation,
        Claim,
        Tag,
        TaggedAnnotation,
        TaggedClaim,
        Article,
        ArticleRevision,
        Block,
        get_user_model(),
    )
    return {
        "counts": {model._meta.label: model.objects.count() for model in models},
        "annotations": list(
            Annotation.objects.order_by("pk").values_list(
                "pk",
                "version",
                "note",
                "colour",
                "visibility",
                "motivation",
                "claim_id",
                "start",
                "end",
                "exact",
                "is_hidden",
                "modified",
            )
        ),
        "tagged": sorted(TaggedAnnotation.objects.values_list("content_object_id", "tag__name")),
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk", "text", "claimant", "kind", "rating", "reviewer_notes", "modified"
            )
        ),
        "articles": list(
            Article.objects.order_by("pk").values_list(
                "pk", "slug", "source_name", "title", "current_revision_id", "status"
            )
        ),
    }


@dataclass
class World:
    """Seeds, alice signed in, and records of both readers to aim hostile requests at."""

    client: Client
    alice: object
    bob: object
    article: Article  # seed 001
    other: Article  # seed 004
    mine: Annotation  # alice's public highlight, edited once
    stale_etag: str  # mine's ETag before that edit
    bobs_private: Annotation
    bobs_public: Annotation
    claim: Claim  # alice's, carried by `assessed`
    assessed: Annotation  # alice's assessing annotation
    bobs_claim: Claim
    free_claim: Claim  # alice's, carried by nothing


@pytest.fixture
def world(client, seeds, alice, bob) -> World:  # noqa: F811 (the fixtures imported above)
    article = seeds["001"]
    mine = annotate(alice, article, note="Original", tags=["first"])
    stale = mine.etag
    mine = services.annotation_update(
        user=alice, annotation=mine, expected_version=mine.version, note="Edited once"
    )
    claim = services.claim_create(user=alice, text="The truce is fragile.")
    assessed = annotate(
        alice, article, "very fragile", motivation="assessing", claim=claim, tags=["truce"]
    )
    client.force_login(alice)
    return World(
        client=client,
        alice=alice,
        bob=bob,
        article=article,
        other=seeds["004"],
        mine=mine,
        stale_etag=stale,
        bobs_private=annotate(bob, article, "ceasefire deal", visibility="private", note="bob's"),
        bobs_public=annotate(bob, article, "Moscow has said", note="bob's public"),
        claim=claim,
        assessed=assessed,
        bobs_claim=services.claim_create(user=bob, text="Bob's claim."),
        free_claim=services.claim_create(user=alice, text="Nobody carries this claim."),
    )


@pytest.fixture
def forget_content_types() -> Iterator[None]:
    """For tests that flush and restore: flushing recreates the content types under new ids
    and the next test reloads the old ones, so this process's cache of them is forgotten."""
    yield
    ContentType.objects.clear_cache()
