#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["runserver"]:
        # The web's statement timeout, as gunicorn has it (config/wsgi.py): runserver
        # reads the settings before it loads config.wsgi, too late to set it there.
        from config.web import use_web_timeouts

        use_web_timeouts()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
