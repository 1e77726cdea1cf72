"""Settings shared by every environment; dev, test and prod only override."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("ASTANA_DATA_DIR", str(BASE_DIR / "data")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The database queue of background jobs (its tables, its admin, its `db_worker`).
    "django_tasks_db",
    "articles",
    "annotations",
]

MIDDLEWARE = [
    # First: every error under /api/ leaves as JSON, whichever layer below made it.
    "annotations.api.errors.JSONErrorsMiddleware",
    "astana.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "astana.urls"
WSGI_APPLICATION = "astana.wsgi.application"
ASGI_APPLICATION = "astana.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "annotations.context_processors.notifications",
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict:
    """An SQLite database that several gunicorn workers can write to at once.

    WAL lets readers run beside the single writer; IMMEDIATE transactions take the write lock
    when a transaction starts (so two writers queue instead of failing on lock upgrade), and
    queue for it in the kernel (astana/sqlite); the timeout makes a write outside a
    transaction wait rather than raise "database is locked".
    """
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    return {
        # Django's SQLite backend whose transactions queue for the write lock in the kernel
        # rather than in SQLite's sleeping busy handler (astana/sqlite/base.py).
        "ENGINE": "astana.sqlite",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Opening a connection (and running the pragmas above) costs more than a cached page
        # takes to serve: each worker keeps its connection between requests.
        "CONN_MAX_AGE": env_int("ASTANA_SQLITE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }


def database_from_env(default_sqlite: Path) -> dict:
    url = env_str("DATABASE_URL").strip()
    if not url:
        return sqlite_database(default_sqlite)
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite_database(Path(config["NAME"]))
    if config["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
        # psycopg 3's connection pool, one per process (each gunicorn worker has its own).
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 4),
            "timeout": 10,
        }
    return config


DATABASES = {"default": database_from_env(DATA_DIR / "astana.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Who may see and change what is decided in one place: annotations/access.py.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["annotations.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    # Annotation writes per user (annotations/api/throttling.py), counted in a cache every
    # gunicorn worker shares (CACHES["throttle"]).
    "DEFAULT_THROTTLE_RATES": {
        "annotation-writes": env_str("ASTANA_ANNOTATION_WRITE_RATE", "120/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Astana Reader API",
    "DESCRIPTION": "Articles, W3C Web Annotations and claims.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation's Swagger UI comes from drf-spectacular-sidecar: served from here.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Ingest
SEEDS_DIR = BASE_DIR / "seeds"
ASTANA_IMPORT_MAX_BYTES = env_int("ASTANA_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Import by link (articles/fetch/): seconds for a whole fetch, redirects included; the size
# cap is ASTANA_IMPORT_MAX_BYTES. ASTANA_FETCH_ALLOW_HOSTS lists "host:port" pairs that may
# resolve to loopback, for tests serving pages from 127.0.0.1 only: never set it elsewhere
# (it is not read from the environment, and production resets it to empty).
ASTANA_FETCH_TIMEOUT = env_int("ASTANA_FETCH_TIMEOUT", 15)
ASTANA_FETCH_ALLOW_HOSTS: list[str] = []
ASTANA_ARTICLES_PER_PAGE = 25
SERIALIZATION_MODULES = {"backup-json": "astana.serializers"}
# How long a rendered article body and sidebar may be kept; keys change whenever the content
# does (annotations.pages.cache.reader_cache_key), so this only bounds the cache's size.
ASTANA_PAGE_CACHE_SECONDS = env_int("ASTANA_PAGE_CACHE_SECONDS", 24 * 3600)


def cache_from_env(directory: Path, *, timeout: int = 300, max_entries: int | None = None) -> dict:
    """Redis when REDIS_URL is set; otherwise files under data/, shared by every worker.
    `timeout` (seconds) is what `set` without one, `incr` and `decr` of files give a key."""
    url = env_str("REDIS_URL").strip()
    if url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "astana",
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(directory),
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": max_entries or env_int("ASTANA_CACHE_MAX_ENTRIES", 20_000)},
    }


CACHES = {
    "default": cache_from_env(DATA_DIR / "cache"),
    # Throttle counters, shared by every gunicorn worker: files of their own (two per active
    # writer) unless Redis is configured; on files a count changes under a lock on a file in
    # that directory (annotations/api/throttling.py), so the limit is exact across workers.
    # Not the database: on SQLite every count would take the write lock beside the write it
    # counts. Incrementing a file rewrites it with the cache's timeout, so that covers two
    # windows of the longest rate ("n/day"). Each write lists the directory (the file cache's
    # cull check) and counters of past windows stay until culled, so it is kept small: at
    # 1,000 files a third are dropped at random (a writer whose count goes is let off lightly
    # once).
    "throttle": cache_from_env(DATA_DIR / "throttle", timeout=2 * 86400, max_entries=1_000),
}

# --- Background jobs ----------------------------------------------------------------------------

# Long work (imports, comparison refreshes, re-anchoring; articles/jobs/) runs in workers, handed
# over by Django's tasks framework. ASTANA_TASKS chooses the queue:
# - "database" (the default): a table in this database; `manage.py jobs_worker` runs the jobs
#   (`make run` starts one beside gunicorn). No other service needed.
# - "rq": RQ on the Redis that REDIS_URL names; start `manage.py jobs_worker` on as many
#   machines as wanted, each against the same database and Redis.
# - "immediate": each job runs inside the call that asks for it (the tests' default).
ASTANA_TASKS = env_str("ASTANA_TASKS", "database")
# The queue the jobs go to, and the backend alias of TASKS that carries them.
ASTANA_JOBS_QUEUE = env_str("ASTANA_JOBS_QUEUE", "default")
ASTANA_JOBS_BACKEND = "default"
# A job whose step raises is tried again, up to this many attempts in all, waiting this many
# seconds times the attempt number in between (on queues that can wait).
ASTANA_JOBS_MAX_ATTEMPTS = env_int("ASTANA_JOBS_MAX_ATTEMPTS", 3)
ASTANA_JOBS_RETRY_DELAY = env_int("ASTANA_JOBS_RETRY_DELAY", 10)
# A running job is its worker's for this many seconds after its last step; past that, the
# worker is taken for dead and the job goes back to the queue. Longer than any one step.
ASTANA_JOBS_LEASE_SECONDS = env_int("ASTANA_JOBS_LEASE_SECONDS", 600)
# A comparison refresh with more candidate pairs than this shares them out in jobs of this
# many pairs, which every worker takes (0: the refresh links them all itself, forking on
# this machine's cores). For a distributed queue with workers on several machines.
ASTANA_COMPARE_BATCH_PAIRS = env_int("ASTANA_COMPARE_BATCH_PAIRS", 0)

TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}


def tasks_from_env(kind: str, queue: str) -> dict:
    """The TASKS entry of a kind of queue (ASTANA_TASKS)."""
    if kind not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"ASTANA_TASKS must be one of {', '.join(TASK_BACKENDS)}, got {kind!r}"
        )
    return {"BACKEND": TASK_BACKENDS[kind], "QUEUES": [queue]}


def rq_queues(queue: str, url: str) -> dict:
    """django-rq's queues: the one the jobs use, on the Redis at `url`."""
    return {queue: {"URL": url, "DEFAULT_TIMEOUT": 3600}}


TASKS = {"default": tasks_from_env(ASTANA_TASKS, ASTANA_JOBS_QUEUE)}
if ASTANA_TASKS == "rq":
    if not env_str("REDIS_URL"):
        raise ImproperlyConfigured("ASTANA_TASKS=rq needs REDIS_URL (the Redis RQ runs on).")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = rq_queues(ASTANA_JOBS_QUEUE, env_str("REDIS_URL"))

# --- Security --------------------------------------------------------------------------------

# A Content-Security-Policy on every response: scripts only from this site (modules) or with
# the request's nonce; no plugins; no framing; forms post only here. Styles likewise: the
# stylesheets, or a <style> with the nonce (Django's admin has one); no style attributes or
# inline styles in our templates (scripts set styles through CSSOM, which CSP allows).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The largest request body accepted (bytes); larger ones get 413 before any view runs. File
# uploads in the admin are bounded by it too.
ASTANA_MAX_REQUEST_BYTES = env_int("ASTANA_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000

# Sign-in attempts: 5 failures for one username from one address lock it for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ASTANA_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ASTANA_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
TAGGIT_CASE_INSENSITIVE = True

# E-mail: notifications for readers who opt in (annotations/notifications.py). SMTP as the
# environment configures it; development prints mail to the console; tests keep it in memory
# (Django's test set-up swaps every mailer for its locmem backend).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailer_from_env() -> dict:
    backend = env_str("DJANGO_EMAIL_BACKEND", SMTP_BACKEND)
    if backend != SMTP_BACKEND:
        return {"BACKEND": backend}
    return {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 25),
            "username": env_str("DJANGO_EMAIL_HOST_USER"),
            "password": env_str("DJANGO_EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
            "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10),
        },
    }


MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Astana Reader <noreply@localhost>")
# The site's address as e-mails link to it (no request to read the host from there).
ASTANA_SITE_URL = env_str("ASTANA_SITE_URL", "http://127.0.0.1:8000")
