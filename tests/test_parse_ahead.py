"""Parsing ahead in a thread keeps input order, bounds memory and passes errors on."""

import threading

import pytest

from decisions.importing.parse_ahead import AHEAD, parsed_batches


def test_batches_come_back_whole_and_in_input_order():
    batches = list(parsed_batches(range(10), lambda n: n * 2, size=4))
    assert batches == [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]


def test_an_error_while_reading_comes_after_the_batches_read_before_it():
    def items():
        yield from range(5)
        raise KeyboardInterrupt

    seen = []
    with pytest.raises(KeyboardInterrupt):
        for batch in parsed_batches(items(), str, size=2):
            seen.append(batch)
    assert seen == [["0", "1"], ["2", "3"]]


def test_it_parses_only_a_few_batches_ahead_of_the_writer():
    parsed = []
    gate = threading.Event()

    def parse(n: int) -> int:
        parsed.append(n)
        return n

    batches = parsed_batches(range(1000), parse, size=10)
    next(batches)  # the writer takes one batch and is slow with it
    gate.wait(0.3)
    # One batch taken, AHEAD waiting in the queue, at most one more being parsed.
    assert len(parsed) <= (2 + AHEAD) * 10
    batches.close()  # stopping early does not leave the reading thread blocked
    assert not any(t.name == "parse-ahead" and t.is_alive() for t in threading.enumerate())
