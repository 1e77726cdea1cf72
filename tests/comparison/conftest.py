"""Fixtures for the comparison pages: the seeds, two readers and a compare address."""

import pytest

from tests.annotations.conftest import alice, bob  # noqa: F401 (fixtures)


@pytest.fixture
def compare_url():
    def _url(*articles) -> str:
        return "/compare/?articles=" + ",".join(a.slug for a in articles)

    return _url
