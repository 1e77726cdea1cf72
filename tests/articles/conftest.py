"""Fixtures shared by the articles tests."""

from collections.abc import Iterator

import pytest

from tests.ingest.pageserver import PageServer


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    """A local web server for link imports (tests/ingest/pageserver.py), one per module."""
    running = PageServer().start()
    yield running
    running.stop()
