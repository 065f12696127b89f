"""Browser tests: Playwright's sync API driving Debian's Chromium against the live server.

Never Playwright's own browser download: it cannot work on these machines. Without
Chromium the tests are skipped on a developer's machine, but fail on CI (CI=true),
where a skipped browser test would hide a broken set-up.

Every browser test also fails on any Content-Security-Policy violation in any of its
pages (an inline style or script, a source outside the policy), so a page added later
stays inside the policy (config/settings.py, CONTENT_SECURITY_POLICY).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.screens import VIEWPORTS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# What every page of the running test reported: the DOM's securitypolicyviolation
# events, and Chromium's console errors about the policy (the same, seen twice).
csp_violations: list[str] = []
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


def watch_for_csp_violations(context) -> None:
    context.expose_binding("reportCspViolation", lambda source, text: csp_violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and csp_violations.append(message.text)
        ),
    )


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"]
    return next((path for path in candidates if path and Path(path).is_file()), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        message = (
            "Chromium not found: install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the main thread from here on, which
    # makes Django refuse database calls from the tests and their fixtures ("You cannot
    # call this from an async context"). Allowed only while the browser runs, when the
    # loop does: tests/ without tests/browser never set it.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        new_context = browser.new_context

        def watched_context(**options):
            context = new_context(**options)
            watch_for_csp_violations(context)
            return context

        # Tests that open their own context (a phone's screen, no JavaScript) are watched too.
        browser.new_context = watched_context
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Set up first, so checked last: after the test's pages are closed."""
    csp_violations.clear()
    yield
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser) -> Iterator[object]:
    """A page on a laptop's screen, then on a phone's (tests.browser.screens)."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
