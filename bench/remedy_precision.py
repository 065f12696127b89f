"""The remedies scenario's old name, kept because tests/test_remedy_labelled.py imports it."""

from bench.scenarios.remedies import FLAGS, ROOT, load_labelled, page_of, report, score

__all__ = ["FLAGS", "ROOT", "load_labelled", "page_of", "report", "score"]
