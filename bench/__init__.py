"""Benchmarks. They measure and report; they never assert on time."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_environment(data_dir: Path | str, database_url: str | None = None) -> dict[str, str]:
    """The environment of a bench's child process: this one's, with the bench settings, its
    own data directory and (when given) database, and none of the caller's database, Redis or
    settings choices leaking in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        ASTANA_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env
