"""Mogao's settings declared as data: name, default and help, read from the environment.

Every setting lives in :data:`SETTINGS`; ``docs/settings.md`` documents each one and a test fails
when a setting is missing from it. Nothing here imports Django.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One environment setting with its default and a sentence of help."""

    name: str
    default: str
    help: str

    def get(self, environ: dict[str, str] | None = None) -> str:
        env = os.environ if environ is None else environ
        return env.get(self.name, self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("MOGAO_HOME", "./var", "Folder for the SQLite database, search index, images and caches."),
    Setting(
        "MOGAO_DATABASE_URL",
        "",
        "Database URL (e.g. postgres://user@host:5432/db); empty means SQLite at MOGAO_HOME/mogao.sqlite3.",
    ),
    Setting("MOGAO_SEARCH_URL", "tantivy://", "Search backend: tantivy:// (embedded), postgres://, memory://."),
    Setting(
        "MOGAO_STORAGE_URL", "",
        "File storage: empty or file:// means the filesystem under MOGAO_HOME/media, file:///abs/dir another "
        "folder, s3://[KEY:SECRET@]bucket?endpoint=http://host:port&region=name&prefix=dir an S3 bucket.",
    ),
    Setting(
        "MOGAO_CACHE_URL", "locmem://",
        "Cache: locmem:// (one process), or redis://host:6379/0 shared by every process and node.",
    ),
    Setting(
        "MOGAO_TASKS_URL", "database://",
        "Task queue: database:// (django-tasks-db, the worker inside `mogao serve`), "
        "amqp://user:pass@host:5672// (RabbitMQ) or redis://host:6379/N (Redis) run by `mogao worker` "
        "(Celery), immediate:// or dummy:// (tests).",
    ),
    Setting("MOGAO_TASKS_RETRIES", "5", "Retries of a task failing with a transient error (broker only)."),
    Setting(
        "MOGAO_TASKS_RETRY_SECONDS", "5",
        "Delay before the first retry of a task, in seconds; doubled at each retry up to 10 minutes.",
    ),
    Setting(
        "MOGAO_METRICS_TOKEN", "",
        "Bearer token that /metrics requires from other than loopback; empty: loopback only.",
    ),
    Setting(
        "MOGAO_BASE_URL", "http://127.0.0.1:8000",
        "Public base URL of links (IIIF ids, OAI-PMH, sitemaps); unset, links follow the request's host.",
    ),
    Setting(
        "MOGAO_SECRET_KEY", "",
        "Django secret key; empty means a random key generated once and kept in MOGAO_HOME/secret_key.",
    ),
    Setting("MOGAO_LOG_FORMAT", "text", "Console log format: text, or json (one JSON object per line)."),
    Setting("MOGAO_DEBUG", "0", "1 turns on Django's debug mode (never in production)."),
    Setting("MOGAO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]", "Comma-separated host names served."),
    Setting("MOGAO_HTTPS", "0", "1 when served behind HTTPS: secure cookies, HSTS and SSL redirect."),
    Setting("MOGAO_INGEST_ALLOW_HOSTS", "", "Comma-separated hosts that importers may fetch even if private."),
    Setting("MOGAO_IMAGE_MAX_PIXELS", "400000000", "Largest image (width x height) accepted at ingest."),
    Setting("MOGAO_IIIF_MAX_AREA", "16000000", "Largest output area (pixels) served by the IIIF Image API."),
    Setting("MOGAO_IIIF_MAX_WIDTH", "6000", "Largest output width served by the IIIF Image API."),
    Setting("MOGAO_IIIF_MAX_HEIGHT", "6000", "Largest output height served by the IIIF Image API."),
    Setting(
        "MOGAO_IIIF_NODOWNLOAD_MAX", "1200",
        "Long side (px) of the largest rendition the Image API serves of an item whose downloads are "
        "switched off (curators of the holder excepted).",
    ),
    Setting("MOGAO_IIIF_CACHE_MB", "512", "Bound of the on-disk IIIF derivative cache, in megabytes."),
    Setting(
        "MOGAO_IIIF_TILE_CACHE_MB", "256",
        "With an S3 storage: bound of the on-disk cache of pyramid tiles read by range from the bucket "
        "(and their tile layouts), in megabytes; 0 reads every tile from the bucket.",
    ),
    Setting(
        "MOGAO_IIIF_CHUNK_KB", "512",
        "With an S3 storage: a tile in no cache is read with the aligned chunk of this many kilobytes of "
        "its pyramid file around it, in one range request (its neighbours, which a viewer asks for next, "
        "then come from memory); 0 reads exactly one tile per request; at most 16384.",
    ),
    Setting(
        "MOGAO_IIIF_CHUNK_MEMORY_MB", "32",
        "With an S3 storage: memory of each server process for chunks of pyramid files, in megabytes; "
        "0 reads exactly one tile per request.",
    ),
    Setting("MOGAO_OAI_ADMIN_EMAIL", "", "Contact address the OAI-PMH Identify response gives to harvesters."),
    Setting("MOGAO_OCR_BACKEND", "rapidocr", "OCR engine: rapidocr, tesseract or fake."),
    Setting("MOGAO_SHARED_DATA", "../shared/data", "Where `mogao demo --data` and the tests find real data."),
    Setting(
        "MOGAO_PROXY_DEPTH", "0",
        "How many reverse proxies in front of Mogao append to X-Forwarded-For; 0 ignores the header.",
    ),
    Setting("MOGAO_API_ANON_RATE", "300/min", "Requests per client address allowed to anonymous API clients."),
    Setting("MOGAO_CORRECTION_RATE", "10/min", "Line corrections one reader's account may propose."),
    Setting("MOGAO_LOGIN_FAILURE_LIMIT", "5", "Failed sign-ins (per user name and address) before a lockout."),
    Setting("MOGAO_LOGIN_COOLOFF_MINUTES", "15", "How long a sign-in lockout lasts, in minutes."),
    Setting("MOGAO_EMAIL_HOST", "localhost", "SMTP server that sends account mail (verification, password reset)."),
    Setting("MOGAO_EMAIL_PORT", "25", "Port of the SMTP server."),
    Setting("MOGAO_EMAIL_USER", "", "SMTP user name; empty sends without authentication."),
    Setting("MOGAO_EMAIL_PASSWORD", "", "SMTP password."),
    Setting("MOGAO_EMAIL_TLS", "0", "1 uses STARTTLS with the SMTP server."),
    Setting("MOGAO_EMAIL_FROM", "Mogao <noreply@localhost>", "Sender address of account mail."),
    Setting("MOGAO_REACTION_RATE", "60/min", "Reactions one reader's account may toggle."),
    Setting("MOGAO_COMMENT_RATE", "10/min", "Comments (posts and edits) one reader's account may write."),
    Setting("MOGAO_REPORT_RATE", "20/hour", "Reports one reader's account may send to the moderators."),
    Setting(
        "MOGAO_COMMENT_TRANSLATION_PROVIDER", "",
        "Dotted path of a TranslationProvider class for comments; empty (the default) means none.",
    ),
    Setting("MOGAO_AUDIENCE", "1", "1 records the cookieless audience events (#18); 0 records nothing."),
    Setting("MOGAO_AUDIENCE_VISITS", "1",
            "1 counts visits with a hash salted per day (never stored past the day); 0 keeps no visit at all."),
    Setting("MOGAO_AUDIENCE_RETENTION_DAYS", "30", "Days raw audience events are kept before deletion (rollups stay)."),
    Setting("MOGAO_AUDIENCE_FLUSH_SECONDS", "2",
            "Seconds between background writes of buffered events; 0 writes only on flush()."),
    Setting("MOGAO_AUDIENCE_ROLLUP_MINUTES", "60",
            "Minutes between the daily rollups the server enqueues; 0 leaves them to `mogao audience rollup`."),
    Setting("MOGAO_DIGITIZATION_REQUEST_RATE", "20/hour",
            "Digitization requests (and joins) one account may make, like `20/hour` (#17)."),
    Setting("MOGAO_DIGITIZATION_RECOMPUTE_MINUTES", "60",
            "Minutes between recomputations of every open request's priority, enqueued by the queue page; 0: never."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Return the value of the named setting from the environment or its default."""
    return _BY_NAME[name].get()


def home() -> Path:
    """The MOGAO_HOME folder, created on first use."""
    path = Path(get("MOGAO_HOME")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def flag(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def csv_list(name: str) -> list[str]:
    return [part.strip() for part in get(name).split(",") if part.strip()]
