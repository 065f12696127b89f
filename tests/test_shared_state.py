"""Web processes share their state (config/shared_state.py): what one process counts,
another reads. Each "process" here is a real one, with the production settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.shared_state import caches_from_url, storage_from_environment
from tests.conftest import child_process_env, import_samples

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_shared_caches(transactional_db):
    """The cache table is no model's, so no test flush empties it: this does (and the
    counters, which a transactional test's flush empties only after it)."""

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM archive_cache")
            cursor.execute("DELETE FROM rate_counter")

    empty()
    yield
    empty()


def in_another_process(*args: str, **environment: str) -> object:
    env = child_process_env() | {"ALLOW_INSECURE_SECRET_KEY": "1", "ALLOWED_HOSTS": "testserver"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.shared_state_child", *args],
        cwd=ROOT,
        env=env | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_processes_share_one_api_throttle(empty_shared_caches):
    assert in_another_process("api", "3", API_THROTTLE_RATE="3/min") == [200, 200, 200]
    # The same client address, another process: its allowance is already spent.
    assert in_another_process("api", "1", API_THROTTLE_RATE="3/min") == [429]


def test_a_count_one_process_made_is_read_by_another(empty_shared_caches):
    import_samples()
    counted = in_another_process("count")
    assert counted == 56
    assert in_another_process("cached") == counted


def test_with_no_cache_url_every_cache_is_a_database_table():
    caches = caches_from_url("")
    assert caches["default"]["LOCATION"] == "archive_cache"
    assert {cache["BACKEND"] for cache in caches.values()} == {
        "django.core.cache.backends.db.DatabaseCache"
    }


def test_a_cache_url_names_redis_or_memcached_for_both_caches():
    redis = caches_from_url("redis://cache.internal:6379/0")
    assert redis["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    memcached = caches_from_url("memcached://one:11211,two:11211")
    assert memcached["default"]["LOCATION"] == ["one:11211", "two:11211"]


def test_an_unknown_cache_url_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL 'mongodb://x'"):
        caches_from_url("mongodb://x")


def test_the_uploads_storage_comes_from_the_environment():
    assert storage_from_environment("", "") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }
    s3 = storage_from_environment("storages.backends.s3.S3Storage", '{"bucket_name": "up"}')
    assert s3 == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "up"}}
    with pytest.raises(ImproperlyConfigured, match="STORAGE_OPTIONS is not JSON"):
        storage_from_environment("storages.backends.s3.S3Storage", "{bucket")
