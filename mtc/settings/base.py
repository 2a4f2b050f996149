"""Settings shared by every environment, read from the environment (django-environ).

``local`` (the default), ``test`` and ``production`` import this module and adjust it.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    # The project's apps, bottom layer first (README, Layout).
    "ground",
    "sources",
    "systems",
    "periods",
    "transfers",
    "search",
    "aggregates",
    "timeline",
    "dataset",
]
# Apps whose models are the knowledge base's content: a change to one of their rows
# bumps the data version and notifies the listeners (ground.change_bus).
CONTENT_APPS = ("sources", "systems", "periods", "transfers")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in any query parameter is a 400 naming it, before any view or cache sees it.
    "ground.middleware.RejectUnencodableQueryMiddleware",
    # ETag (a hash of the body) and 304s for every page; the API sets its own ETags.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous reads are answered here on a hit, before sessions, CSRF, auth and the
    # view; a stored response already carries every header the inner middleware add.
    "ground.response_cache.AnonymousReadCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "ground.middleware.AdminStyleCSPMiddleware",
    # As django-axes asks, after the rest: it turns locked-out logins into a 429 page.
    "axes.middleware.AxesMiddleware",
    # Innermost: a write request's transaction holds the view only (reads open none).
    "ground.middleware.AtomicWritesMiddleware",
]

# Response cache for anonymous reads, keyed on the data version (ground/response_cache.py).
# CACHE_URL: e.g. redis://127.0.0.1:6379/1 to share it between processes; default is
# per-process memory, which is just as correct (the key carries the version).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://mtc")}
# A shared cache is on the request path (response cache, throttle counters): bound its
# calls like the broker's, so a hung Redis costs a second, not a worker.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
if "redis" in CACHES["default"]["BACKEND"].lower():
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_timeout=CACHE_TIMEOUT_SECONDS, socket_connect_timeout=CACHE_TIMEOUT_SECONDS
    )
RESPONSE_CACHE_ALIAS = "default"
# Throttle counters must be shared by every worker process (and machine), or each one
# grants the whole rate: the shared cache when CACHE_URL is set, else a cache in the
# broker's Redis, else (laptop default, one process) per-process memory.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    THROTTLE_CACHE_ALIAS = "default"
elif env("CELERY_BROKER_URL", default="").startswith(("redis://", "rediss://")):
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CELERY_BROKER_URL"),
        "KEY_PREFIX": "mtc-throttle",
        "OPTIONS": {"socket_timeout": CACHE_TIMEOUT_SECONDS, "socket_connect_timeout": CACHE_TIMEOUT_SECONDS},
    }
    THROTTLE_CACHE_ALIAS = "throttle"
else:
    THROTTLE_CACHE_ALIAS = "default"
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=600)
# Page parts the same for every request (period summaries, figures), per data version.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# API rows stored as JSON per record, sent as they are (ground.stored_rows); 0 builds
# every row per request (to compare, or to rule them out).
STORED_API_ROWS = env.bool("STORED_API_ROWS", default=True)
# A word in this many index entries or more is common: the worker keeps its search
# summary after each write (search.common_words), the commonest SEARCH_COMMON_WORDS of them.
SEARCH_COMMON_WORD_MATCHES = env.int("SEARCH_COMMON_WORD_MATCHES", default=5000)
SEARCH_COMMON_WORDS = env.int("SEARCH_COMMON_WORDS", default=200)
RESPONSE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/healthz", "/api/schema", "/api/docs", "/api/redoc"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login attempts are rate-limited: 5 failures per username and address lock
# that pair out for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy (django-csp): scripts, styles and fonts only from this site,
# no inline script, no plugins, no framing. Stored markup can therefore never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "mtc.urls"
WSGI_APPLICATION = "mtc.wsgi.application"

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
            ],
        },
    },
]

# Django's form renderer, with the <input> templates written in Python (ground.form_renderer).
FORM_RENDERER = "ground.form_renderer.QuickWidgetRenderer"

# SQLite in the project folder by default, so trying the app needs nothing installed.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Writes are atomic per request (ground.middleware.AtomicWritesMiddleware); reads open
# no transaction, so ATOMIC_REQUESTS (per view, reads included) stays off.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer a connection attempt fails fast (and /healthz says so).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=2)
    # PostgreSQL's default random_page_cost (4) models spinning disks: with it, fetching a
    # page's citations hashed all 10,000 endnotes (5.9 ms) instead of looking up the 69 it
    # needs by key (1.0 ms, at 100k records). 1.1 is the usual value for SSDs and for data
    # that fits in memory; set DB_RANDOM_PAGE_COST to your server's own if it differs.
    #
    # JIT compilation off: PostgreSQL compiles any query its planner costs over 100,000
    # (a capped count over a common word's matches at a million records) to machine code
    # first, and for queries that run for milliseconds the compiling is pure cost: 47 ms of
    # one search count's 340 ms. DB_JIT=1 gives it back.
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c random_page_cost={env.float('DB_RANDOM_PAGE_COST', default=1.1)}"
        f" -c jit={'on' if env.bool('DB_JIT', default=False) else 'off'}"
    )
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Hot compiled reads run as server-side prepared statements on PostgreSQL, planned once
# per connection (ground/plan_cache.py). Turn off behind a transaction-mode pooler.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "build" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: without a broker URL every task runs eagerly in-process (laptop default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every broker call on a request path is bounded (a broker that accepts but never
# answers, e.g. a stopped Redis, must not hold a web worker): connect and each socket
# read/write time out after BROKER_TIMEOUT_SECONDS, and a failed publish is not retried
# here; the write stands, the statistics are marked stale and the stale sweep (below)
# catches up as soon as the broker answers again.
BROKER_TIMEOUT_SECONDS = env.float("BROKER_TIMEOUT_SECONDS", default=0.5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
# /healthz gives each network probe (broker, shared cache) this long.
HEALTH_PROBE_TIMEOUT_SECONDS = env.float("HEALTH_PROBE_TIMEOUT_SECONDS", default=1.0)
CELERY_TASK_PUBLISH_RETRY = False
# Publish from a thread after the response, so a request never waits on the broker.
BROKER_PUBLISH_IN_BACKGROUND = env.bool("BROKER_PUBLISH_IN_BACKGROUND", default=True)
# After a failed publish, a process does not try again for this long (ground/broker.py).
BROKER_FAILURE_BACKOFF_SECONDS = env.float("BROKER_FAILURE_BACKOFF_SECONDS", default=5.0)
CELERY_BEAT_SCHEDULE = {
    "rebuild-statistics": {
        "task": "aggregates.tasks.rebuild_statistics",
        "schedule": env.int("STATS_REBUILD_INTERVAL_SECONDS", default=900),
    },
    # Retry for writes whose publish failed: rebuild as soon as a worker sees stale statistics.
    "sweep-stale-statistics": {
        "task": "aggregates.tasks.sweep_stale_statistics",
        "schedule": env.float("STATS_STALE_SWEEP_SECONDS", default=30),
    },
    # Retry for writes whose publish failed: the common words' search summaries of the
    # current data version (two queries when they are kept already). Expired rather than
    # queued up while no worker runs: the next one will do.
    "keep-common-searches": {
        "task": "search.tasks.refresh_common_searches",
        "schedule": env.float("SEARCH_COMMON_SWEEP_SECONDS", default=60),
        "options": {"expires": env.float("SEARCH_COMMON_SWEEP_SECONDS", default=60)},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # DRF's own two, with JSON encoded by orjson (``ground.json_renderer``: the same bytes).
    "DEFAULT_RENDERER_CLASSES": [
        "ground.json_renderer.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["ground.filtersets.AskedFiltersBackend"],
    # Writes are JSON: a record and its citations (a nested list) are one body, which form
    # encodings cannot carry; the browsable API writes JSON through its raw-data form.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only (the contract declares no other body), bounded in size (413) and nesting (400).
    "DEFAULT_PARSER_CLASSES": ["ground.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["ground.throttling.AnonWindowThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="600/minute")},
    # Proxies in front of the app that append to X-Forwarded-For (0: none, the header is ignored).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# Request bodies over this many bytes are refused (413, JSON under /api/); Django's default.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
API_JSON_MAX_DEPTH = 32
# Whole-selection exports (CSV, TimelineJS, citation formats without page/page_size) are
# streamed EXPORT_CHUNK_SIZE rows at a time; anonymous clients get at most this many rows.
EXPORT_ANON_MAX_ROWS = env.int("EXPORT_ANON_MAX_ROWS", default=10_000)
EXPORT_CHUNK_SIZE = 500

# CORS is off unless origins are listed (comma-separated), and then only for the API.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

SPECTACULAR_SETTINGS = {
    "TITLE": "MTC Timeline API",
    "DESCRIPTION": (
        "Sino-Russian military-technical cooperation since 1992, from the CSIS primer "
        "(March 2020): every record cited to the report's endnotes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies as their own components: required non-blank strings get minLength 1,
    # read-only fields are left out of what a client sends.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would load an image from swagger.io (offline, and the CSP).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ground.schema.add_error_responses",
        "ground.schema.add_citation_formats",
        "ground.schema.declare_anonymous_reads",
        "ground.schema.declare_empty_choices",
        "ground.schema.declare_request_rules",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # Django's own "django" logger has a console handler too (in DEBUG) and propagates to
    # the root: every 4xx warning was printed twice. Its records go to the root only.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

SITE_NAME = "MTC Timeline"
ADMIN_URL_PREFIX = "admin"
