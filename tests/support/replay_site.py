"""A replay of the LGSCO's site on loopback, for the harvester's tests: no network.

`ReplaySite` serves, from pytest-httpserver on 127.0.0.1, decision pages built from the
real fixtures (tests/fixtures/lgo_pages.jsonl and the saved pages), listing pages of
them in the two known forms, robots.txt, and faults played in order per path
(`site.fault(path, response, ...)`): a 404 or 410, a 429 with Retry-After, a 500 then
success, a slow answer, a changed page, an empty search shell, an error page, a
malformed page, a trickled or streamed one. Every request is logged with its time, path, query and headers, so a
test asserts what was fetched and how far apart.

The listing markup is this module's own (the fixtures hold no listing HTML), close to
the site's: "Archive has N results" / "Your search has N results", ten a page, items
linking "Organisation (24 012 973)" to the decision, and, in the archive form only, a
"Next" link; the search form is walked by its page number.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from decisions.parsing import ParseError, parse_decision
from tests.conftest import FIXTURES

PER_PAGE = 10
LAST_MODIFIED = "Mon, 01 Dec 2025 09:00:00 GMT"
ROBOTS_ALLOW_ALL = "User-agent: *\nAllow: /\n"


@dataclass
class ReplayDecision:
    path: str
    reference: str
    organisation: str
    decision_date: date
    html: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.html.encode()).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Logged:
    at: float  # time.monotonic() when the request arrived
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def page_html(title: str, text: str) -> str:
    """A page's real text as HTML: its lines as paragraphs, in chrome like the site's."""
    paragraphs = "\n".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.split("\n") if line.strip()
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - Local Government and Social Care Ombudsman</title>"
        f'</head><body><nav><a href="/">Home</a> <a href="/decisions">Decisions</a></nav>'
        f'<main id="main">\n{paragraphs}\n</main>'
        f'<footer><a href="/privacy">Privacy</a></footer></body></html>'
    )


def fixture_decisions() -> list[ReplayDecision]:
    """Every dated LGSCO decision of lgo_pages.jsonl, as the site would serve it."""
    decisions = []
    for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        try:
            parsed = parse_decision(record["text"], url=record["url"])
        except ParseError:
            continue  # the listing pages among them
        if parsed.decision_date is None:
            continue
        title = f"{parsed.organisation or 'Decision'} ({parsed.reference})"
        decisions.append(
            ReplayDecision(
                urlsplit(record["url"]).path,
                parsed.reference,
                parsed.organisation or "",
                parsed.decision_date,
                page_html(title, record["text"]),
            )
        )
    return decisions


Fault = Response | Callable[[], Response]


@dataclass
class ReplaySite:
    server: HTTPServer
    decisions: dict[str, ReplayDecision] = field(default_factory=dict)
    forms: tuple[str, ...] = ("archive", "search")
    robots: str | None = ROBOTS_ALLOW_ALL  # None: no robots.txt (404)
    log: list[Logged] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Answers a request instead of the site when it returns a response (a broken site).
    broken: Callable[[Request], Response | None] | None = None

    def __post_init__(self) -> None:
        import re

        self.server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def add(self, *decisions: ReplayDecision) -> None:
        for decision in decisions:
            self.decisions[decision.path] = decision

    def remove(self, path: str) -> None:
        del self.decisions[path]

    def fault(self, path: str, *responses: Fault) -> None:
        """Answer the next requests for `path` with these, in order, then as normal."""
        self.faults.setdefault(path, []).extend(responses)

    def fetched(self, path_prefix: str = "") -> list[Logged]:
        return [entry for entry in self.log if entry.path.startswith(path_prefix)]

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.log.append(
                Logged(time.monotonic(), request.path, dict(request.args), dict(request.headers))
            )
            queued = self.faults.get(request.path)
            fault = queued.pop(0) if queued else None
        if fault is not None:
            # A Response is callable too (a WSGI app): only a plain function is called.
            return fault if isinstance(fault, Response) else fault()
        if self.broken is not None and (answer := self.broken(request)) is not None:
            return answer
        if request.path == "/robots.txt" and self.robots is not None:
            return Response(self.robots, content_type="text/plain")
        if request.path in ("/Decisions/Archive", "/Decisions/SearchResults"):
            return self.listing(request)
        decision = self.decisions.get(request.path)
        if decision is None:
            return Response("<h1>Page not found</h1>", status=404, content_type="text/html")
        if request.headers.get("If-None-Match") == decision.etag:
            return Response(status=304, headers={"ETag": decision.etag})
        return Response(
            decision.html,
            content_type="text/html; charset=utf-8",
            headers={"ETag": decision.etag, "Last-Modified": LAST_MODIFIED},
        )

    def listing(self, request: Request) -> Response:
        form = "archive" if request.path.endswith("Archive") else "search"
        if form not in self.forms:
            return Response("<h1>Page not found</h1>", status=404, content_type="text/html")
        try:
            since = date.fromisoformat(request.args["fd"])
            until = date.fromisoformat(request.args["td"])
            page = int(request.args.get("page", "1"))
        except (KeyError, ValueError):
            return Response("<h1>Bad request</h1>", status=400, content_type="text/html")
        matching = sorted(
            (d for d in self.decisions.values() if since <= d.decision_date <= until),
            key=lambda d: (d.decision_date, d.reference),
            reverse=True,
        )
        shown = matching[(page - 1) * PER_PAGE : page * PER_PAGE]
        return Response(
            listing_html(form, matching, shown, request.args.to_dict(), page),
            content_type="text/html; charset=utf-8",
        )


def listing_html(form: str, matching: list, shown: list, args: dict[str, str], page: int) -> str:
    heading = "Archive has" if form == "archive" else "Your search has"
    items = "\n".join(
        f'<li><h3><a href="{d.path}">{html.escape(d.organisation)} ({d.reference})</a></h3>'
        f"<p>Statement {d.decision_date:%d-%b-%Y}</p></li>"
        for d in shown
    )
    more = page * PER_PAGE < len(matching)
    next_link = (
        f'<a href="/Decisions/Archive?{urlencode(args | {"page": page + 1})}">Next &gt;</a>'
        if form == "archive" and more
        else ""
    )
    return (
        "<!DOCTYPE html><html><head><title>Decisions</title></head><body><main>"
        f"<p>{heading} {len(matching)} results</p><ul>{items}</ul>"
        f'<nav class="pagination">{next_link}</nav></main></body></html>'
    )


def empty_shell(count: int = 12) -> Response:
    """A search page whose results a script fills in: a count, no links."""
    return Response(
        f'<html><body><p>Your search has {count} results</p><div id="results"></div>'
        '<script src="/js/results.js"></script></body></html>',
        content_type="text/html",
    )


def error_page_with_200() -> Response:
    return Response(
        "<html><head><title>Sorry</title></head><body><h1>Sorry, something went wrong"
        "</h1></body></html>",
        content_type="text/html",
    )


def slow(seconds: float, then: Response) -> Callable[[], Response]:
    def answer() -> Response:
        time.sleep(seconds)
        return then

    return answer


def trickle(body: bytes, every: float) -> Callable[[], Response]:
    """An answer sent a byte at a time, `every` seconds apart (no Content-Length): each
    read is quick, the whole answer slow."""

    def answer() -> Response:
        def bytes_one_by_one() -> Iterator[bytes]:
            for byte in body:
                time.sleep(every)
                yield bytes([byte])

        return Response(bytes_one_by_one(), content_type="text/html")

    return answer


def streamed(body: bytes, chunk: int = 4096) -> Callable[[], Response]:
    """An answer streamed in chunks, with no Content-Length to say how big it is."""

    def answer() -> Response:
        pieces = (body[at : at + chunk] for at in range(0, len(body), chunk))
        return Response(pieces, content_type="text/html")

    return answer


def serve(port: int) -> None:
    """Serve the replay by hand, to try the commands against it:

    python -m tests.support.replay_site 8001
    DEBUG=1 python manage.py harvest_lgsco --since 2025-01-01 --base-url http://127.0.0.1:8001
    """
    server = HTTPServer(host="127.0.0.1", port=port, threaded=True)
    site = ReplaySite(server)
    site.add(*fixture_decisions())
    server.start()
    print(f"Replaying {len(site.decisions)} decisions at {site.base_url}; Ctrl-C stops.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    import sys

    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 8001)
