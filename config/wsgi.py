"""WSGI entry point: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.web import use_web_timeouts

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
use_web_timeouts()

application = get_wsgi_application()

# gunicorn runs none of Django's system checks: say at start-up what the archive's own
# find, such as CONTACT_EMAIL unset with DEBUG off (decisions.W001).
from decisions.checks import log_warnings_at_start  # noqa: E402  (needs the apps loaded)

log_warnings_at_start()
