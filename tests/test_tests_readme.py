"""tests/README.md is the map of the tests: every test module is in its table, and every
module the table names exists. A module added, renamed or removed without it fails here."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TABLE = (TESTS / "README.md").read_text(encoding="utf-8").split("## Which module tests what")[1]


def test_every_test_module_is_in_the_readme_table_and_every_one_named_exists():
    named = set(re.findall(r"`(test_\w+\.py)`", TABLE))
    modules = {path.name for path in TESTS.glob("test_*.py")}
    assert sorted(modules - named) == [], "add them to tests/README.md"
    assert sorted(named - modules) == [], "no such module"
