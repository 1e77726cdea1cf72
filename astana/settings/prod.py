"""Production: every required variable must be set, or the process refuses to start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

# What Django's deploy check (security.W009) asks of a key, refused here rather than warned.
_KEY_MIN_LENGTH = 50
_KEY_MIN_DISTINCT = 5
_KEY_INSECURE_PREFIX = "django-insecure-"


def _secret_key_problem(key: str) -> str | None:
    """What is wrong with `key` as a production secret key; None if nothing."""
    if not key:
        return "is not set"
    if len(key) < _KEY_MIN_LENGTH:
        return f"has {len(key)} characters, fewer than {_KEY_MIN_LENGTH}"
    if len(set(key)) < _KEY_MIN_DISTINCT:
        return f"has fewer than {_KEY_MIN_DISTINCT} distinct characters"
    if key.startswith(_KEY_INSECURE_PREFIX):
        return f"starts with {_KEY_INSECURE_PREFIX!r}, Django's prefix for generated dev keys"
    return None


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if problem := _secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY {problem}: production needs a random string of at least "
        f"{_KEY_MIN_LENGTH} characters (e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the host names this site answers to (comma-separated)."
    )
if env_bool("DJANGO_DEBUG", False):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG must be off in production (unset or 0): debug pages show settings, "
        "code and data to anyone who causes an error."
    )
DEBUG = False
ASTANA_DEMO_USER = False
ASTANA_FETCH_ALLOW_HOSTS: list[str] = []  # links to loopback: for tests only, never here

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not SECURE_SSL_REDIRECT:
    # DJANGO_SECURE_SSL_REDIRECT=0 is for a proxy that terminates TLS and redirects HTTP to
    # HTTPS itself (README, Deploying); it tells Django a request came over HTTPS with
    # X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER above), so secure cookies, HSTS and CSRF's
    # origin checks still hold. The deploy check cannot see the proxy's redirect: its
    # "SECURE_SSL_REDIRECT is not True" warning does not apply to this setup.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
