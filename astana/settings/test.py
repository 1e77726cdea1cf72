"""Test runs: fast hashing, plain static storage, the database from DATABASE_URL or SQLite."""

from .base import *  # noqa: F403
from .env import env_str

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
