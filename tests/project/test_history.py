"""Change history of the curated models: recorded as before, its manager class made once."""

import pytest

from annotations.models import Annotation, Claim
from articles.models import Article, Outlet


@pytest.mark.parametrize("model", [Annotation, Claim, Article, Outlet])
def test_the_history_manager_class_is_made_once(model):
    assert type(model.history) is type(model.history)
    assert model.history.model is model.history.model  # each model's own historical model
    assert model.history.model._meta.object_name == f"Historical{model.__name__}"


@pytest.mark.django_db
def test_writes_still_record_their_history():
    outlet = Outlet.objects.create(name="Wire", slug="wire")
    outlet.name = "Wire (renamed)"
    outlet.save()
    assert [h.name for h in outlet.history.all()] == ["Wire (renamed)", "Wire"]
    assert Article.history.count() == 0
