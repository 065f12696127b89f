"""What every web server of the archive runs with, gunicorn (config/wsgi.py) and
`manage.py runserver` (`make run`) alike: a page's statements fail after 5 s (a 503,
config.availability) rather than hold a thread while a lock or a slow query keeps them.
Commands and the import worker run without a limit (config/settings.py).

Set in the environment before the settings are read; a DB_STATEMENT_TIMEOUT_MS given
there wins.
"""

from __future__ import annotations

import os

WEB_STATEMENT_TIMEOUT_MS = 5000


def use_web_timeouts() -> None:
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", str(WEB_STATEMENT_TIMEOUT_MS))
