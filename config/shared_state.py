"""Where the state every web process must share lives: the caches and the uploads.

Several gunicorn workers, on one machine or many behind a load balancer, must reuse one
another's whole-archive counts (decisions.search.whole_archive). So no cache is per
process: by default it is Django's database cache (a table in the primary, made by
migrations, so a fresh clone needs nothing more), and CACHE_URL points it at Redis or
memcached instead:

    CACHE_URL=redis://cache.internal:6379/0        Django's RedisCache (pip: redis)
    CACHE_URL=rediss://user:pass@cache:6380/0      the same over TLS
    CACHE_URL=memcached://cache1:11211,cache2:11211  PyMemcacheCache (pip: pymemcache)

A client's API requests and downloads are counted in no cache but in PostgreSQL, one
atomic increment each (decisions.limits): a cache's read-then-write let parallel
requests all pass.
https://docs.djangoproject.com/en/5.2/topics/cache/
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The database cache's table (migration decisions/0015).
CACHE_TABLE = "archive_cache"
# Rows kept before Django culls: every entry is a few hundred bytes, and every write
# counts the table, so thousands, not millions.
DATABASE_CACHE_MAX_ENTRIES = 10_000


def caches_from_url(url: str) -> dict[str, dict[str, object]]:
    """settings.CACHES for CACHE_URL ("" for the database cache): the "default" cache
    (whole-archive counts, sessions)."""
    if not url.strip():
        return {"default": database_cache(CACHE_TABLE)}
    return {"default": server_cache(url.strip())}


def database_cache(table: str) -> dict[str, object]:
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_MAX_ENTRIES},
    }


def server_cache(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme in {"memcached", "pymemcache"}:
        servers = [server for server in parts.netloc.split(",") if server]
        if not servers:
            raise ImproperlyConfigured(f"CACHE_URL {url!r} names no memcached server")
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": servers,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL {url!r}: use redis://, rediss:// or memcached:// (or leave it unset "
        "for the database cache)"
    )


def storage_from_environment(backend: str, options: str) -> dict[str, object]:
    """settings.STORAGES["default"], where admin uploads are kept until imported: the
    local folder MEDIA_ROOT unless STORAGE_BACKEND names another Django storage, e.g.
    django-storages' "storages.backends.s3.S3Storage" with STORAGE_OPTIONS as JSON
    ({"bucket_name": "archive-uploads"}), so every web machine and worker reads the same
    files. https://docs.djangoproject.com/en/5.2/ref/settings/#storages"""
    try:
        parsed = json.loads(options) if options.strip() else {}
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"STORAGE_OPTIONS is not JSON: {error}") from error
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured("STORAGE_OPTIONS must be a JSON object of the storage's options")
    if not backend.strip():
        # No location: the folder follows settings.MEDIA_ROOT (and a test's change of it).
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": parsed}
    return {"BACKEND": backend.strip(), "OPTIONS": parsed}
