"""The accessibility check every browser test can call: axe-core in the page itself.

axe-core comes inside the axe-playwright-python wheel (a dev dependency), so nothing is
downloaded when the tests run. Only the WCAG 2.0-2.2 A and AA rules are run: the level
the archive promises. https://github.com/dequelabs/axe-core/blob/develop/doc/API.md
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def check_accessibility(page, best_practice: bool = False) -> list[dict]:
    """The WCAG 2.2 AA violations on `page` as it is now: [] when there are none; with
    `best_practice`, also axe's best practices (one top-level `main`, headings in order...),
    for a page known to meet them.

    Each violation is axe's own dict, cut down to what a failing assert should show:
    the rule id, what it checks, and the first few offending elements.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    # No CSSOM preload: axe would re-parse each stylesheet in an inline <style> of the page
    # (an @import of the admin's forms.css), which the Content-Security-Policy refuses
    # and the CSP watch of conftest.py reports. Only css-orientation-lock uses it, and no
    # stylesheet here locks the orientation.
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations'], preload: {assets: ['media']}})",
        WCAG_AA_TAGS + (["best-practice"] if best_practice else []),
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"][:5]],
            "summary": violation["nodes"][0].get("failureSummary", "")
            if violation["nodes"]
            else "",
        }
        for violation in results["violations"]
    ]
