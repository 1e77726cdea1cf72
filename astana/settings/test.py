"""Test runs: fast hashing, plain static storage, the database from DATABASE_URL or SQLite."""

import os

from .base import *  # noqa: F403
from .env import env_str

LOCAL_REDIS = "redis://127.0.0.1:6379/0"

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "test-only-secret-key")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
ASTANA_DEMO_USER = False
# Each test starts with an empty cache (tests/conftest.py clears it); REDIS_URL still wins.
_LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {
    "default": cache_from_env(DATA_DIR / "cache") if env_str("REDIS_URL") else _LOCAL,  # noqa: F405
    "throttle": {**_LOCAL, "LOCATION": "throttle"},
}
# Tests write far faster than people; the throttle tests set their own rate.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"annotation-writes": "100000/min"},
}
# Background jobs run inside the call that asks for them (the immediate backend), as the work
# did before it was a job, unless ASTANA_TASKS says otherwise. The tests of the queues
# (tests/jobs/) use the other two aliases by name, with workers of their own, on a queue named
# for this test run so that two runs side by side never take each other's jobs.
ASTANA_TASKS = env_str("ASTANA_TASKS", "immediate")
ASTANA_JOBS_QUEUE = env_str("ASTANA_JOBS_QUEUE", f"test-{os.getpid()}")
ASTANA_JOBS_RETRY_DELAY = 0
TASKS = {
    "default": tasks_from_env(ASTANA_TASKS, ASTANA_JOBS_QUEUE),  # noqa: F405
    "database": tasks_from_env("database", ASTANA_JOBS_QUEUE),  # noqa: F405
    "rq": tasks_from_env("rq", ASTANA_JOBS_QUEUE),  # noqa: F405
}
RQ_QUEUES = rq_queues(  # noqa: F405
    ASTANA_JOBS_QUEUE, env_str("REDIS_URL") or env_str("ASTANA_TEST_REDIS_URL", LOCAL_REDIS)
)
INSTALLED_APPS = list(dict.fromkeys([*INSTALLED_APPS, "django_rq"]))  # noqa: F405
