"""Being a good guest on the source's site: robots.txt, a pause between requests, and a
User-Agent that says who is asking and how to reach them.

robots.txt is read with protego (https://github.com/scrapy/protego), which follows
RFC 9309 and Google's extensions (Crawl-delay, Request-rate). Per RFC 9309 section 2.3.1:
a robots.txt that is not found (4xx) allows everything; one the server cannot give
(5xx, or no answer) means nothing may be fetched, so the run stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from protego import Protego

from decisions.harvesting.options import HarvestOptions

VERSION = "0.1"


def user_agent(options: HarvestOptions) -> str:
    """ "OmbudsmanDecisionsArchive/0.1 (+https://...; archive@example.org)": the archive's
    name, where to read about it and whom to write to, each when set."""
    contact = [part for part in (options.project_url, options.contact_email) if part]
    if options.project_url:
        contact[0] = "+" + contact[0]
    about = f" ({'; '.join(contact)})" if contact else ""
    return f"{options.user_agent_name}/{VERSION}{about}"


class RobotsRules:
    """What the site's robots.txt allows this archive, and how often."""

    def __init__(self, text: str | None, agent: str) -> None:
        self.agent = agent
        self._rules = Protego.parse(text) if text is not None else None

    @classmethod
    def allow_all(cls, agent: str) -> RobotsRules:
        return cls(None, agent)

    def allows(self, url: str) -> bool:
        return self._rules is None or bool(self._rules.can_fetch(url, self.agent))

    def delay_seconds(self) -> float:
        """The longer of the site's Crawl-delay and its Request-rate's spacing, or 0."""
        if self._rules is None:
            return 0.0
        delay = float(self._rules.crawl_delay(self.agent) or 0)
        rate = self._rules.request_rate(self.agent)
        if rate is not None and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return delay


class Throttle:
    """At most one request every `interval` seconds, counted from the previous request's
    start. `clock` and `sleep` are time.monotonic and time.sleep but for tests."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._last: float | None = None

    def wait(self, at_least: float = 0.0) -> None:
        """Wait for the next request's turn, and `at_least` seconds (a Retry-After)."""
        if self._last is not None:
            due = self._last + max(self.interval, at_least)
            if (remaining := due - self._clock()) > 0:
                self._sleep(remaining)
        self._last = self._clock()
