"""Fixtures for the concurrency tests: two readers (the seeds come from tests/conftest.py)."""

from tests.annotations.conftest import alice, bob  # noqa: F401 (fixtures)
