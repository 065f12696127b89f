"""Logs a collector can read: JSON lines on standard error, one per request and one per
event, each carrying the id of the request it belongs to.

`RequestLogMiddleware` gives every request an id (the caller's X-Request-ID when it is
well formed, else a new one), returns it in the X-Request-ID header, puts it on the 500
and 503 pages so a person can quote it, and logs one line when the response is ready:

    {"time": "...", "level": "INFO", "logger": "archive.requests", "message": "GET /",
     "request_id": "6f1c...", "method": "GET", "path": "/", "status": 200, "duration_ms": 12.3}

Any logger's `extra={...}` fields become keys of its line; an exception's traceback
becomes "traceback". https://docs.python.org/3/library/logging.html#logrecord-attributes
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only if it is short and plain, so it cannot forge log lines.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)
request_logger = logging.getLogger("archive.requests")

# What every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}
# Django's own request logging adds the request object itself: its repr says nothing
# the request line does not.
_LEFT_OUT = frozenset({"request"})


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, extra fields,
    traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := current_request_id.get():
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in _LEFT_OUT:
                entry[key] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if _WELL_FORMED_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: it times everything after it, error pages included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        # Ours, not one HttpRequest declares; the error pages read it (config.availability).
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            request_logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s",
                request.method,
                request.path,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
