"""The parser is pure: importable and usable with no Django settings, and a lint rule
refuses an import of Django, a database driver or the network under decisions/parsing/."""

import json
import subprocess
import sys

from tests.conftest import ROOT

SEED_UPHELD = ROOT / "tests" / "fixtures" / "seeds" / "000_bde59b1ddb6e75bb.txt"

# Run in a child with a clean environment: no DJANGO_SETTINGS_MODULE, nothing imported
# by pytest-django. It parses a real page too, so an import made lazily inside a
# function would be seen as well.
CHILD = """
import json, os, sys
import decisions.parsing
from decisions.parsing import parse_decision

decision = parse_decision(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({
    "reference": decision.reference,
    "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
    "loaded": sorted(name for name in sys.modules if name.split(".")[0] in {
        "django", "psycopg", "psycopg2", "httpx", "requests", "urllib3", "config"
    } or name.startswith(("decisions.models", "decisions.importing"))),
}))
"""


def test_the_parser_imports_and_parses_with_no_django_settings():
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(SEED_UPHELD)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    assert report == {"reference": "19 011 560", "settings": None, "loaded": []}


def lint(source: str, path: str) -> subprocess.CompletedProcess:
    """`ruff check` of `source` as if it were the file at `path` (nothing is written)."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", "--stdin-filename", path],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_lint_rule_refuses_django_and_the_network_under_parsing():
    for source in ["import django", "from django.db import models", "import socket"]:
        result = lint(source + "\n", "decisions/parsing/probe.py")
        assert result.returncode == 1, (source, result.stdout)
        assert "TID251" in result.stdout and "the parser is pure" in result.stdout


def test_the_lint_rule_leaves_the_rest_of_the_app_alone():
    result = lint("import django\n", "decisions/importing/probe.py")
    assert result.returncode == 0, result.stdout
