"""The download doors: any list page's search as CSV or JSON lines.

`/download.csv?<the list page's parameters>` and `/download.jsonl?...` build the same
DecisionSearch as the page and stream `search.rows()`: constant memory at any size,
in the page's order, at most DOWNLOAD_MAX_ROWS rows (the file says where it stopped).
An invalid search downloads nothing: 400, with the errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from decisions.exports import rate
from decisions.exports.licence import licence_link_header
from decisions.exports.rows import COLUMNS, LOADED, capped_rows
from decisions.exports.writers import csv_lines, jsonl_lines
from decisions.models import Decision
from decisions.search.query import DecisionSearch

CSV_TYPE = "text/csv; charset=utf-8"
JSONL_TYPE = "application/x-ndjson; charset=utf-8"
SLUG = "00-000-000"  # a stand-in for each row's own


@require_GET
def download_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return download(request, "csv", CSV_TYPE, lambda rows: csv_lines(COLUMNS, rows))


@require_GET
def download_jsonl(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return download(request, "jsonl", JSONL_TYPE, jsonl_lines)


def download(
    request: HttpRequest, suffix: str, content_type: str, lines: Callable[..., Iterator[str]]
) -> HttpResponse | StreamingHttpResponse:
    if (wait := rate.seconds_to_wait(request)) is not None:
        return too_many(f"Too many downloads from your address: try again in {wait} seconds.", wait)
    search = DecisionSearch.from_params(request.GET)
    if not search.valid:
        return invalid(search, suffix)
    slot = rate.download_slot(request)
    if slot is None:
        wait = rate.BUSY_RETRY_AFTER_SECONDS
        return too_many(
            "Too many downloads are running, from your address or in all: "
            f"try again in {wait} seconds.",
            wait,
        )
    # The decision page's address, reversed once: reverse() a row took a fifth of the time.
    pattern = request.build_absolute_uri(reverse("decisions:detail", args=[SLUG]))

    def permalink(decision: Decision) -> str:
        return pattern.replace(SLUG, decision.slug)

    try:
        rows = capped_rows(
            search.rows(load=LOADED),
            settings.DOWNLOAD_MAX_ROWS,
            permalink,
            lambda: search.total.shown,
        )
        streamed = StreamingHttpResponse(
            rate.released_after(lines(rows), slot), content_type=content_type
        )
    except BaseException:
        slot.release()
        raise
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    streamed["Content-Disposition"] = f'attachment; filename="lgsco-decisions-{stamp}.{suffix}"'
    streamed["Link"] = licence_link_header(request)
    return streamed


def too_many(message: str, wait: int) -> HttpResponse:
    response = HttpResponse(f"{message}\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def invalid(search: DecisionSearch, suffix: str) -> HttpResponse:
    """400, saying which parameters were wrong: as JSON for JSON lines, else as text."""
    errors = search.errors.get_json_data()
    if suffix == "jsonl":
        messages = {name: [e["message"] for e in found] for name, found in errors.items()}
        return HttpResponse(
            json.dumps({"errors": messages}, ensure_ascii=False),
            status=400,
            content_type="application/json; charset=utf-8",
        )
    lines = [f"{name}: {e['message']}" for name, found in errors.items() for e in found]
    return HttpResponse(
        "Nothing was downloaded: the search is not valid.\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )
