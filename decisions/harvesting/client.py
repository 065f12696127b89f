"""The one HTTP client of the harvester: httpx with connection reuse, timeouts, retries
with backoff on 429, 5xx and network errors (honouring Retry-After), conditional requests,
redirects followed only where robots.txt allows, and a stop after repeated failures.

Each answer has an overall deadline (HARVEST_TIMEOUT_SECONDS from the request to the
body's last byte) and a size limit (HARVEST_MAX_PAGE_BYTES): httpx's own timeouts bound
each read, so a server sending a byte a second would otherwise hold the run for as long
as it liked. An answer past either is refused at once, not retried: a trickling or
enormous page is how that server serves it, not a passing fault.

Every request goes through `HarvestClient.get`, which waits its turn (politeness.Throttle)
and counts itself, so a run's record says exactly how many requests it made.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from decisions.harvesting.options import HarvestOptions
from decisions.harvesting.politeness import RobotsRules, Throttle, user_agent
from decisions.numbers import whole_number

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
MAX_REDIRECTS = 5


class HarvestStopped(Exception):
    """The run cannot go on (the message says why); what it finished stays recorded."""


class BudgetSpent(HarvestStopped):
    """The run made as many requests as it may (check_sources' budget)."""


class FetchFailed(Exception):
    """One request failed after its retries: the message names the address and why."""


@dataclass(frozen=True)
class Validators:
    """What makes a request conditional: the last answer's ETag and Last-Modified."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    """An answer: its final address, status, headers and body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def gone(self) -> bool:
        return self.status in GONE_STATUSES

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag", ""), self.headers.get("last-modified", ""))

    def text(self) -> str:
        charset = "utf-8"
        content_type = self.headers.get("content-type", "")
        if "charset=" in content_type:
            charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or charset
        try:
            return self.body.decode(charset, "replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", "replace")


class Disallowed(Exception):
    """robots.txt does not allow this address: it was not fetched."""


class Refused(Exception):
    """The answer came too slowly or was too big: reading it stopped (not retried)."""


class HarvestClient:
    """One polite client for one run. Use as a context manager."""

    def __init__(self, options: HarvestOptions, budget: int | None = None) -> None:
        self.options = options
        self.budget = budget
        self.agent = user_agent(options)
        self.http = httpx.Client(
            headers={"User-Agent": self.agent},
            timeout=httpx.Timeout(options.timeout_seconds),
            follow_redirects=False,  # followed here, each hop checked against robots.txt
        )
        self.throttle = Throttle(options.delay_seconds)
        self.robots = RobotsRules.allow_all(options.user_agent_name)
        self.requests = 0
        self.failures_in_a_row = 0

    def __enter__(self) -> HarvestClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.http.close()

    def read_robots(self) -> None:
        """Fetch the site's robots.txt, and slow down to its crawl delay."""
        url = urljoin(self.options.base_url + "/", "/robots.txt")
        try:
            # Redirects followed (RFC 9309 2.3.1.2), on the site: no rules apply yet.
            fetched = self.get(url)
        except FetchFailed as error:
            raise HarvestStopped(
                f"could not read {url} ({error}): per RFC 9309 nothing may be fetched "
                "until it can be read"
            ) from error
        if fetched.status >= 500:
            raise HarvestStopped(f"{url} answered {fetched.status}: nothing may be fetched")
        text = fetched.text() if fetched.status == 200 else None
        self.robots = RobotsRules(text, self.options.user_agent_name)
        self.throttle.interval = max(self.options.delay_seconds, self.robots.delay_seconds())

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET `url` (conditionally when `validators` are given), following redirects.

        Raises Disallowed (nothing fetched), FetchFailed (after the retries; the run
        goes on) or HarvestStopped (too many failures in a row, or a Retry-After too long).
        """
        headers = validators.headers() if validators else {}
        for _ in range(MAX_REDIRECTS + 1):
            if not self.robots.allows(url):
                raise Disallowed(f"{url} is disallowed by robots.txt")
            try:
                fetched = self._get_with_retries(url, headers)
            except FetchFailed:
                self.failures_in_a_row += 1
                if self.failures_in_a_row >= self.options.max_failures_in_a_row:
                    raise HarvestStopped(
                        f"stopped after {self.failures_in_a_row} failed requests in a row, "
                        f"the last for {url}"
                    ) from None
                raise
            self.failures_in_a_row = 0
            location = fetched.headers.get("location")
            if fetched.status not in (301, 302, 303, 307, 308) or not location:
                return fetched
            target = urljoin(url, location)
            if not same_site(target, self.options.base_url):
                raise FetchFailed(f"{url} redirected off the site, to {target}")
            url = target
        raise FetchFailed(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Fetched:
        wait = 0.0
        problem = ""
        for attempt in range(self.options.retries + 1):
            if self.budget is not None and self.requests >= self.budget:
                raise BudgetSpent(f"the budget of {self.budget} requests is spent")
            self.throttle.wait(at_least=wait)
            self.requests += 1
            try:
                fetched = self._get_once(url, headers)
            except Refused as refused:
                raise FetchFailed(f"{url}: {refused}") from None
            except httpx.TimeoutException:
                problem = f"no answer within {self.options.timeout_seconds:g} s"
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if fetched.status not in RETRIED_STATUSES:
                    return fetched
                problem = f"HTTP {fetched.status}"
                if (asked := retry_after(fetched.headers.get("retry-after"))) is not None:
                    if asked > self.options.max_retry_after_seconds:
                        raise HarvestStopped(
                            f"{url} answered {fetched.status} asking to wait {asked:g} s, "
                            f"more than HARVEST_MAX_RETRY_AFTER_SECONDS "
                            f"({self.options.max_retry_after_seconds:g}): try again later"
                        )
                    wait = asked
                    continue
            wait = self.options.backoff_seconds * 2**attempt
        raise FetchFailed(f"{url}: {problem} (after {self.options.retries + 1} tries)")

    def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        """One request, read within the deadline and the size limit (Refused if not)."""
        deadline = time.monotonic() + self.options.timeout_seconds
        limit = self.options.max_page_bytes
        with self.http.stream("GET", url, headers=headers) as response:
            declared = whole_number(response.headers.get("content-length", ""))
            if declared is not None and declared > limit:
                raise Refused(too_big(limit, f"it says it has {declared:,} bytes"))
            body = bytearray()
            # Checked after each chunk: one read waits at most timeout_seconds, so the
            # whole answer takes at most about twice the deadline.
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise Refused(too_big(limit, f"{len(body):,} bytes read"))
                if time.monotonic() > deadline:
                    raise Refused(
                        f"not received whole within {self.options.timeout_seconds:g} s "
                        f"(HARVEST_TIMEOUT_SECONDS; {len(body):,} bytes by then)"
                    )
            return Fetched(
                url=str(response.url),
                status=response.status_code,
                headers={key.lower(): value for key, value in response.headers.items()},
                body=bytes(body),
            )


def too_big(limit: int, seen: str) -> str:
    return f"larger than HARVEST_MAX_PAGE_BYTES ({limit:,} bytes): {seen}"


def retry_after(value: str | None) -> float | None:
    """Retry-After's seconds, given as seconds or as an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if (seconds := whole_number(value)) is not None:
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def same_site(url: str, base_url: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(base_url).netloc.lower()


__all__ = [
    "BudgetSpent",
    "Disallowed",
    "FetchFailed",
    "Fetched",
    "HarvestClient",
    "HarvestStopped",
    "Refused",
    "Validators",
    "retry_after",
    "same_site",
]
