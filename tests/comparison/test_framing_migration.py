"""Migration articles/0013: a lexicon seeded before the context rules existed gets them for its
"opposition" term, so "an opposition news website" stops counting as an armed-group term; a
curator's own rules are never overwritten, and unapplying gives the old lexicon back."""

import importlib

import pytest
from django.apps import apps

from articles.comparison.engine import frame_article
from articles.comparison.store import framing_lexicon
from articles.models import FramingTerm

MIGRATION = importlib.import_module("articles.migrations.0013_framing_opposition_context")
TEXT = "Rebels said so, an opposition news website reported, and the armed opposition agreed."


def opposition() -> FramingTerm:
    return FramingTerm.objects.get(family__name="armed groups", phrase="opposition")


def counted() -> int:
    framing = frame_article("k", TEXT, framing_lexicon())
    return framing.counts.get("armed groups", {}).get("opposition", 0)


@pytest.mark.django_db
def test_an_old_lexicon_gets_the_rules_and_loses_them_on_unapply():
    """Before: both uses of "opposition" count; after: only the armed one; unapplied: both."""
    FramingTerm.objects.filter(pk=opposition().pk).update(not_after=[], not_before=[])
    assert counted() == 2
    MIGRATION.add_rules(apps, None)
    assert "website" in opposition().not_before
    assert counted() == 1
    MIGRATION.remove_rules(apps, None)
    assert opposition().not_before == []
    assert opposition().not_after == []
    assert counted() == 2


@pytest.mark.django_db
def test_a_curators_own_rules_stay():
    """A term with rules of its own is left exactly as the curator wrote it."""
    FramingTerm.objects.filter(pk=opposition().pk).update(not_after=["syrian"], not_before=[])
    MIGRATION.add_rules(apps, None)
    term = opposition()
    assert term.not_after == ["syrian"]
    assert term.not_before == []
