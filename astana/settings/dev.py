"""Local development: debug on by default, a throwaway secret, localhost only."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
ASTANA_DEMO_USER = True
if not env_str("DJANGO_EMAIL_BACKEND"):  # mail is printed to the console, never sent
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
