"""Settings for the benchmarks that serve pages: production's, over plain HTTP on 127.0.0.1.

Production settings (DEBUG off, whitenoise's manifest storage, secure headers) with what a
throwaway local server needs: a fixed secret, 127.0.0.1 allowed, cookies and redirects
without HTTPS, the data directory and database from the environment the benchmark sets up
(ASTANA_DATA_DIR, DATABASE_URL), static files collected there, the bench URLs (the project's
plus a hello-world floor), and annotation writes not throttled (the load test measures what
the server can write, not the per-user limit).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from astana.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"annotation-writes": "1000000/min"},
}
