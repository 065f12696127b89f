"""Settings for the test suite: the real ones, with a fixed key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# That key is short on purpose: tests and their child processes serve nobody.
os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")

from config.settings import *  # noqa: E402,F403

# Tests render templates without running collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

# A test database per test process: two runs at once on one server (two developers'
# shells, an editor's test runner) must not drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_archive_{os.getpid()}"}  # noqa: F405

# The API's throttle out of the way, except in the test of the throttle itself.
API_THROTTLE_RATE = "100000/min"

# Each test starts with an empty default cache (tests/conftest.py's empty_cache), which
# tests that use no database must be able to do: so the tests' default cache is this
# process's memory. tests/test_shared_state.py checks the real one, the database's,
# shared between processes.
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405

# Each search brings the test's own index (tests/conftest.py, in tmp_path) up to date
# first, synchronously: the test's writes are in a transaction no writer process sees.
# A gunicorn started by a test reads the index as production does: SEARCH_INDEX_CATCH_UP_ON_READ=0.
SEARCH_INDEX_CATCH_UP_ON_READ = env_bool("SEARCH_INDEX_CATCH_UP_ON_READ", True)  # noqa: F405
