"""send_alerts in a child process that dies at one step, as `kill -9` would: no clean-up,
no commit of anything in progress (tests/test_alerts_reruns.py).

    python -m tests.support.alerts_child STEP
"""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    django.setup()
    from decisions.alerts import sending

    step = sys.argv[1]

    def checkpoint(reached: str) -> None:
        if reached == step:
            os._exit(9)

    sending.run("daily", checkpoint=checkpoint)


if __name__ == "__main__":
    main()
