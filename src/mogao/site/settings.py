"""Django settings for Mogao, built from the environment settings declared in :mod:`mogao.conf`."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mogao import conf
from mogao.core.storage import StorageUrlError, storage_backend

HOME = conf.home()
SRC = Path(__file__).resolve().parent.parent

DEBUG = conf.flag("MOGAO_DEBUG")


def _secret_key() -> str:
    """MOGAO_SECRET_KEY, or a random key kept (mode 0600) in MOGAO_HOME so sessions survive restarts."""
    if key := conf.get("MOGAO_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        import secrets

        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [*conf.csv_list("MOGAO_ALLOWED_HOSTS"), "testserver"]
# MOGAO_BASE_URL set explicitly always wins. Unset, links follow the address each request came to
# (mogao.core.urls.base_url); outside a request they use the address `mogao serve` binds
# (MOGAO_SERVED_URL, set by it for its processes) or the default.
_EXPLICIT_BASE_URL = os.environ.get("MOGAO_BASE_URL", "").strip()
BASE_URL = (_EXPLICIT_BASE_URL or os.environ.get("MOGAO_SERVED_URL", "") or conf.get("MOGAO_BASE_URL")).rstrip("/")
BASE_URL_FROM_REQUEST = not _EXPLICIT_BASE_URL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "mogao.core",
    "mogao.accounts",
    "mogao.community",
    "mogao.knowledge",
    "mogao.catalogue",
    "mogao.reading",
    "mogao.search",
    "mogao.showcase",
    "mogao.iiif",
    "mogao.ingest",
    "mogao.oai",
    "mogao.api",
    "mogao.discovery",
    "mogao.security",
    "mogao.discussion",
    "axes",
    "allauth",
    "allauth.account",
    "mogao.annotations",
    "mogao.saved",
    "mogao.audience",
    "mogao.notify",
    "mogao.stories",
    "mogao.digitization",
]

MIDDLEWARE = [
    "mogao.core.requestid.RequestIdMiddleware",  # first: every response and log record has an id (#19)
    "mogao.core.metrics.MetricsMiddleware",  # request latency for /metrics (#19)
    "mogao.security.nul.RefuseNulMiddleware",  # %00 in a path or query: a 400, never the database's 500 (#19)
    "django.middleware.security.SecurityMiddleware",
    "mogao.core.urls.BaseUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mogao.site.pagefont.PageFontMiddleware",  # a font of each reader page's CJK text (#13)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "mogao.audience.middleware.AudienceMiddleware",  # after the language is known (#18)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mogao.core.htmx.htmx_middleware",  # request.htmx, Vary and history restores (#12)
    "simple_history.middleware.HistoryRequestMiddleware",
    "mogao.security.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "mogao.site.urls"
WSGI_APPLICATION = "mogao.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mogao.core.context.site",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = conf.get("MOGAO_DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(HOME / "mogao.sqlite3"),
        # Persistent, as for PostgreSQL: closing the last connection to a WAL database
        # checkpoints and syncs it, which cost each API request ~10 ms (its rate-limit write).
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
        "TEST": {"NAME": str(HOME / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


CACHE_URL = conf.get("MOGAO_CACHE_URL")


def _cache() -> dict[str, object]:
    scheme = urlparse(CACHE_URL).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    # locmem:// (and, refused by the system check mogao.core.E002, any unknown scheme)
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mogao"}


CACHES = {"default": _cache()}
# With a shared (Redis) cache, sessions are read from it and written through to the database (#19);
# with a per-process cache they stay in the database alone, so every process sees a sign-out at once.
if str(CACHES["default"]["BACKEND"]).endswith("RedisCache"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


TASKS_URL = conf.get("MOGAO_TASKS_URL")
TASKS_RETRIES = int(conf.get("MOGAO_TASKS_RETRIES"))
TASKS_RETRY_SECONDS = float(conf.get("MOGAO_TASKS_RETRY_SECONDS"))
METRICS_TOKEN = conf.get("MOGAO_METRICS_TOKEN")


def _tasks() -> dict[str, object]:
    from mogao.core.taskqueue import BROKER_SCHEMES, QUEUES

    scheme = urlparse(TASKS_URL).scheme.lower()
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "dummy": "django_tasks.backends.dummy.DummyBackend",
    }
    # amqp:// (RabbitMQ) or redis:// run on Celery (#19); unknown schemes are refused by mogao.core.E003
    backend = "mogao.core.taskbackends.CeleryBackend" if scheme in BROKER_SCHEMES else (
        backends.get(scheme, backends["database"]))
    return {"BACKEND": backend, "QUEUES": list(QUEUES)}


TASKS = {"default": _tasks()}

SEARCH_URL = conf.get("MOGAO_SEARCH_URL")
INGEST_ALLOW_HOSTS = conf.csv_list("MOGAO_INGEST_ALLOW_HOSTS")
IMAGE_MAX_PIXELS = int(conf.get("MOGAO_IMAGE_MAX_PIXELS"))
IIIF_MAX_AREA = int(conf.get("MOGAO_IIIF_MAX_AREA"))
IIIF_MAX_WIDTH = int(conf.get("MOGAO_IIIF_MAX_WIDTH"))
IIIF_MAX_HEIGHT = int(conf.get("MOGAO_IIIF_MAX_HEIGHT"))
IIIF_CACHE_MB = int(conf.get("MOGAO_IIIF_CACHE_MB"))
IIIF_TILE_CACHE_MB = float(conf.get("MOGAO_IIIF_TILE_CACHE_MB"))
IIIF_CHUNK_KB = float(conf.get("MOGAO_IIIF_CHUNK_KB"))
IIIF_CHUNK_MEMORY_MB = float(conf.get("MOGAO_IIIF_CHUNK_MEMORY_MB"))
IIIF_NODOWNLOAD_MAX = int(conf.get("MOGAO_IIIF_NODOWNLOAD_MAX"))
OCR_BACKEND = conf.get("MOGAO_OCR_BACKEND")
OAI_ADMIN_EMAIL = conf.get("MOGAO_OAI_ADMIN_EMAIL")
SHARED_DATA = Path(conf.get("MOGAO_SHARED_DATA"))
IMAGE_ROOT = HOME / "images"

# Abuse limits (mogao.security): client address behind proxies, shared rate limits, login lockout.
PROXY_DEPTH = int(conf.get("MOGAO_PROXY_DEPTH"))
API_ANON_RATE = conf.get("MOGAO_API_ANON_RATE")
CORRECTION_RATE = conf.get("MOGAO_CORRECTION_RATE")
COMMENT_RATE = conf.get("MOGAO_COMMENT_RATE")
REPORT_RATE = conf.get("MOGAO_REPORT_RATE")
COMMENT_TRANSLATION_PROVIDER = conf.get("MOGAO_COMMENT_TRANSLATION_PROVIDER")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before any check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",  # readers sign in with user name or e-mail
]
AXES_FAILURE_LIMIT = int(conf.get("MOGAO_LOGIN_FAILURE_LIMIT"))
AXES_COOLOFF_TIME = timedelta(minutes=int(conf.get("MOGAO_LOGIN_COOLOFF_MINUTES")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mogao.security.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_VERBOSE = False
# The readers' sign-in (allauth) names the account in "login" (a user name or an e-mail address).
AXES_USERNAME_CALLABLE = "mogao.accounts.signin.axes_username"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Readers sign in on the site's own pages (allauth, #15); curators still sign in to the admin at
# /admin/login/, whose own view redirects there. LOGIN_REDIRECT_URL is where the admin's sign-in
# lands when `next` is absent or refused; the readers' sign-in lands on "My Mogao" (the adapter).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"

# Reader accounts (django-allauth, #15): e-mail verified before the first sign-in, one account per
# address, sign-up refused to bots filling the hidden field, rate limits on every sensitive form.
ACCOUNT_ADAPTER = "mogao.accounts.signin.AccountAdapter"
ACCOUNT_FORMS = {"signup": "mogao.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mogao] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if conf.flag("MOGAO_HTTPS") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_email": "1/m/user",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}

# Account mail goes through Django's SMTP backend to the server the deployment names.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = conf.get("MOGAO_EMAIL_HOST")
EMAIL_PORT = int(conf.get("MOGAO_EMAIL_PORT"))
EMAIL_HOST_USER = conf.get("MOGAO_EMAIL_USER")
EMAIL_HOST_PASSWORD = conf.get("MOGAO_EMAIL_PASSWORD")
EMAIL_USE_TLS = conf.flag("MOGAO_EMAIL_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = conf.get("MOGAO_EMAIL_FROM")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
REACTION_RATE = conf.get("MOGAO_REACTION_RATE")
AUDIENCE_ENABLED = conf.flag("MOGAO_AUDIENCE")
AUDIENCE_VISITS = conf.flag("MOGAO_AUDIENCE_VISITS")
AUDIENCE_RETENTION_DAYS = int(conf.get("MOGAO_AUDIENCE_RETENTION_DAYS"))
AUDIENCE_FLUSH_SECONDS = float(conf.get("MOGAO_AUDIENCE_FLUSH_SECONDS"))
AUDIENCE_ROLLUP_MINUTES = int(conf.get("MOGAO_AUDIENCE_ROLLUP_MINUTES"))
DIGITIZATION_REQUEST_RATE = conf.get("MOGAO_DIGITIZATION_REQUEST_RATE")
DIGITIZATION_RECOMPUTE_MINUTES = int(conf.get("MOGAO_DIGITIZATION_RECOMPUTE_MINUTES"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("fr", "Français"),
]
LOCALE_PATHS = [SRC / "site" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from it once `collectstatic` fills it
STATICFILES_DIRS = [SRC / "site" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Font subsets live under a folder named by their package version (frontend/install_assets.py): a
# new version gets new URLs, so browsers may keep them for good; everything else is revalidated.
# Per-page CJK font subsets for devices without a CJK font (mogao/site/pagefont.py, #13).
MOGAO_PAGE_FONT = True
MOGAO_ITEM_PAGE_CACHE = True  # the item page of anonymous readers, per process (mogao.catalogue.pagecache, #19)
MOGAO_PAGE_FONT_DIR = HOME / "cache" / "pagefonts"
#: New page fonts one client may have cut per window (each costs seconds of CPU); cut ones are free.
MOGAO_PAGE_FONT_BUILD_RATE = "30/min"
WHITENOISE_IMMUTABLE_FILE_TEST = r"/vendor/fonts/[^/]+/files-[^/]+/[^/]+\.woff2$"
MEDIA_ROOT = HOME / "media"
MEDIA_URL = "/media/"
# One storage layer (#19): MOGAO_STORAGE_URL chooses it; an unknown scheme falls back to the
# filesystem here and is refused by the system check mogao.core.E001.
STORAGE_URL = conf.get("MOGAO_STORAGE_URL")
try:
    _default_storage = storage_backend(STORAGE_URL, HOME)
except StorageUrlError:
    _default_storage = storage_backend("", HOME)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security: safe by default; HTTPS-only features switch on with MOGAO_HTTPS.
HTTPS = conf.flag("MOGAO_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # load balancers probe nodes over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
CSRF_TRUSTED_ORIGINS = [BASE_URL] if BASE_URL.startswith("http") else []
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Console logs with the request id of each record (mogao.core.requestid), as text or, with
# MOGAO_LOG_FORMAT=json, one JSON object per line for a log collector (#19).
LOG_FORMAT = conf.get("MOGAO_LOG_FORMAT").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mogao.core.requestid.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "mogao.core.requestid.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
