"""gunicorn's configuration: `gunicorn config.wsgi` reads this file from the working
directory (the repository's root), every value from the environment, with defaults
measured on this project (docs/performance-history.md). https://docs.gunicorn.org/en/stable/settings.html

Graceful reload: `kill -HUP <master pid>` starts new workers with new code and settings
and lets the old ones finish their requests (up to WEB_GRACEFUL_TIMEOUT seconds); a
deploy does that rather than a restart, so no request is dropped. SIGTERM stops the
same graceful way.
"""

import os
import sys


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Where to listen: behind the load balancer or the TLS proxy, a private address.
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
# Threads, not more processes: a request waits for PostgreSQL most of its time, and a
# waiting thread lets another run (the load benchmark, `python -m bench load`, measured 2 x 4 gthread ahead of
# 3 or 5 sync workers on 2 cores). One worker per core is a start; each holds the app
# (about 100 MB) and up to `threads` database connections.
workers = _int("WEB_WORKERS", max(2, os.cpu_count() or 1))
threads = _int("WEB_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
# Downloads hold a thread each while they stream, at most DOWNLOADS_CONCURRENT_TOTAL at
# once (config/settings.py): unless that is below this server's threads, a burst of
# downloads leaves none for pages and /healthz.
if _int("DOWNLOADS_CONCURRENT_TOTAL", 4) >= workers * threads:
    sys.stderr.write(
        f"gunicorn.conf.py: DOWNLOADS_CONCURRENT_TOTAL should be below workers x threads "
        f"({workers} x {threads}): downloads could take every thread.\n"
    )
# A request taking longer than this is killed with its worker (the statements of a page
# stop after 5 s already: config/wsgi.py); a download streams within it.
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
# Keep-alive to the load balancer: longer than nothing, shorter than its idle timeout.
keepalive = _int("WEB_KEEPALIVE", 5)
# A worker is replaced after about this many requests (0: never), jittered so they are
# not all replaced at once: a guard against slow growth in any library's memory. The
# soak benchmark turns it off to show the memory is flat without it.
max_requests = _int("WEB_MAX_REQUESTS", 5000)
max_requests_jitter = _int("WEB_MAX_REQUESTS_JITTER", max_requests // 10)
# The application is loaded once in the master and forked: faster starts, shared pages.
# Database connections are made per worker, after the fork (Django's, lazily), and so is
# the search index's reader (decisions.search.engine opens it in the process that
# searches, and again in a forked child, which it tells by its pid).
preload_app = os.environ.get("WEB_PRELOAD", "1") == "1"
# The per-request JSON lines come from the application (config/logs.py); gunicorn's own
# access log would repeat them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Behind a proxy: trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Worker heartbeat files in memory, not on a disk that may stall (gunicorn's advice
# for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Its default control socket is one path per user: two gunicorns of one user would clash.
control_socket_disable = True
