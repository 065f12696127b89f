"""The corpus generator's old name, kept because tests/test_statistics.py imports it."""

from bench.corpus.generate import generate, write

__all__ = ["generate", "write"]
