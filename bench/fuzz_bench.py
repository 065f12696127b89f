"""The fuzz scenario's old name, kept because tests/test_fuzz_parser.py imports it:
`main(argv)` runs `python -m bench fuzz` with `argv`."""

from bench.__main__ import main as run_bench
from bench.scenarios.fuzz import ATTRIBUTES, TAGS

__all__ = ["ATTRIBUTES", "TAGS", "main"]


def main(argv: list[str]) -> int:
    return run_bench(["fuzz", *argv])
