"""WSGI entry point: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A page's statements fail after 5 s (a 503, config.availability) rather than hold a
# worker; commands and the import worker run without a limit (config/settings.py).
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")

application = get_wsgi_application()

# gunicorn runs none of Django's system checks: say at start-up what the archive's own
# find, such as CONTACT_EMAIL unset with DEBUG off (decisions.W001).
from decisions.checks import log_warnings_at_start  # noqa: E402  (needs the apps loaded)

log_warnings_at_start()
