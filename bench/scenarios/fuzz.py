"""The large fuzz run: generated inputs through the parser and the import entry points.

    python -m bench fuzz [--inputs 100000] [--seed 1] [--max-seconds 1.0]
                         [--targets parser,...] [--start N]

Each input is made from real statement lines (cut, shuffled, repeated, mixed with random
characters, NUL and lone surrogates, broken markup, odd encodings) and fed to one target:
the parser, or the reading side of an import entry point (a page file, a saved page,
JSON lines, a JSON document, a zip) followed by `parse_record`, as `run_import` does.
Writing to the database is fuzzed by tests/test_fuzz_import.py; this run is for volume.

Prints inputs/s, the slowest input and every unexpected exception, and exits non-zero
on any unexpected exception or any input slower than --max-seconds. Only the project's
own failures (ParseError, a failed RecordResult) are expected.

Input N of seed S depends only on (S, N): `--start N --inputs 1` replays it alone. A
target is one function of (random.Random, generated text) in TARGETS, which may turn the
text into bytes, a file or a record as its entry point takes them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import time
import zipfile
from collections.abc import Callable

from bench import ROOT, common

SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
NOISE = ["<p<![D)", "<!--", "<![CDATA[", "&#0;", "<p>", "</div>", "\x00", "\ud800", "£", "\ufeff"]
TAGS = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "b",
    "i",
    "a",
    "span",
    "table",
    "tr",
    "td",
    "br",
    "h2",
    "nav",
    "script",
    "style",
    "head",
    "body",
    "html",
    "select",
    "option",
    "svg",
    "math",
    "template",
    "textarea",
    "title",
    "pre",
    "form",
    "button",
    "iframe",
    "x",
    "my-tag",
]
ATTRIBUTES = ["", " class=cookie", ' class="share-bar"', " id=main", ' a="x>y"', " /", " b"]
PHRASES = [
    "pay Mr X £100 and ",
    "The Council will pay Mr X £100 and ",
    "under the Act 1974.",
    "Summary: ",
    "Decision : Upheld",
    "Category : Housing > Allocations",
    "Decision date : 31 Mar 2020",
    "19 011 560",
    "Norfolk County Council (19 011 560)",
]


def real_lines() -> list[str]:
    lines: list[str] = []
    for path in SEEDS:
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def make_text(rng: random.Random, lines: list[str]) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 60)):
        roll = rng.random()
        if roll < 0.55:
            line = rng.choice(lines)
            if rng.random() < 0.2:
                cut = rng.randint(0, len(line))
                line = line[:cut]
            parts.append(line)
        elif roll < 0.62:
            parts.append(rng.choice(NOISE))
        elif roll < 0.7:
            parts.append(make_tag(rng))
        elif roll < 0.8:
            parts.append(rng.choice(PHRASES) * rng.choice([1, 2, 50, 2000]))
        else:
            parts.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 30))))
    return rng.choice(["\n", "", " ", "</p><p>"]).join(parts)


def make_tag(rng: random.Random) -> str:
    """A start or end tag, real or made up, sometimes repeated (nested)."""
    name = rng.choice(TAGS)
    tag = f"</{name}>" if rng.random() < 0.3 else f"<{name}{rng.choice(ATTRIBUTES)}>"
    return tag * rng.choice([1, 1, 1, 3, 500])


def make_url(rng: random.Random) -> str | None:
    """A decision's address (/decisions/<category>/<subcategory>/<yy-nnn-nnn>), another
    site's, or garbage."""
    roll = rng.random()
    if roll < 0.2:
        return None
    if roll < 0.7:
        host = rng.choice(
            ["https://www.lgo.org.uk", "http://lgo.org.uk", "", "https://spso.org.uk"]
        )
        slugs = ["housing", "allocations", "adult-care-services", "x", "", "Upper-Case", "a" * 300]
        reference = f"{rng.randint(0, 99):02}-{rng.randint(0, 999):03}-{rng.randint(0, 999):03}"
        tail = rng.choice(["", "/", "b", "?page=2", "#top", "/more"])
        return f"{host}/decisions/{rng.choice(slugs)}/{rng.choice(slugs)}/{reference}{tail}"
    return rng.choice(["http://[", "http://[::1]:x/", "::", "//", "\x00", "https://\ud800/"]) + (
        "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 20)))
    )


def as_bytes(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf-8") else "replace")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def parser_target(rng: random.Random, text: str) -> None:
    from decisions.parsing import ParseError, parse_decision

    url = make_url(rng)
    content: str | bytes = text if rng.random() < 0.5 else as_bytes(rng, text)
    with contextlib.suppress(ParseError):
        parse_decision(content, url=url)


def entry_point_target(suffix: str) -> Callable[[random.Random, str], None]:
    def run(rng: random.Random, text: str) -> None:
        from decisions.importing.pipeline import parse_record
        from decisions.importing.sources import ImportLimits, iter_bytes

        if suffix == ".jsonl":
            data = b"\n".join(
                json.dumps({"text": text, "url": rng.choice(["x", "http://["])}).encode()
                if rng.random() < 0.7
                else as_bytes(rng, text)
                for _ in range(rng.randint(1, 3))
            )
        elif suffix == ".json":
            data = json.dumps([{"html": text}, {"text": 1}, text]).encode()
        elif suffix == ".zip":
            data = zipped(
                {
                    "a.txt": as_bytes(rng, text),
                    "b.zip": zipped({"c.html": text.encode("utf-8", "replace")}),
                }
            )
        else:
            data = as_bytes(rng, text)
        budget = ImportLimits(max_file_bytes=5 * 1024**2, max_total_bytes=20 * 1024**2).budget()
        for item in iter_bytes(data, suffix, f"fuzz{suffix}", budget, depth=0):
            parse_record(item)  # never raises: any problem is the record's failure

    return run


TARGETS: dict[str, Callable[[random.Random, str], None]] = {
    "parser": parser_target,
    **{f"import {s}": entry_point_target(s) for s in (".txt", ".html", ".jsonl", ".json", ".zip")},
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=1.0)
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated names")
    parser.add_argument("--start", type=int, default=0, help="the first input's number")


def run(args: argparse.Namespace) -> int:
    names = [name.strip() for name in args.targets.split(",")]
    if unknown := [name for name in names if name not in TARGETS]:
        raise SystemExit(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    # parse_record lives beside the models: Django must be set up (no query is made).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    lines = real_lines()
    slowest = (0.0, "")
    failures: list[str] = []
    too_slow: list[str] = []
    started = time.perf_counter()
    for number in range(args.start, args.start + args.inputs):
        rng = random.Random(f"{args.seed}-{number}")
        name = names[number % len(names)]
        text = make_text(rng, lines)
        began = time.perf_counter()
        try:
            TARGETS[name](rng, text)
        except Exception as error:  # noqa: BLE001 - every unexpected exception is reported
            failures.append(f"input {number} ({name}): {error!r} on {text[:200]!r}")
        took = time.perf_counter() - began
        described = f"input {number} ({name}), {len(text):,} characters: {text[:80]!r}"
        if took > args.max_seconds:
            too_slow.append(f"{took:.2f} s: {described}")
        if took > slowest[0]:
            slowest = (took, described)
    elapsed = time.perf_counter() - started
    print(f"inputs            {args.inputs:,} (seed {args.seed}), targets: {', '.join(names)}")
    print(f"time              {elapsed:.1f} s, {args.inputs / elapsed:,.0f} inputs/s")
    print(f"slowest input     {slowest[0] * 1000:.0f} ms ({slowest[1]})")
    print(f"over {args.max_seconds:g} s       {len(too_slow)}")
    for line in too_slow:
        print(f"  {line}")
    print(f"unexpected errors {len(failures)}")
    for line in failures:
        print(f"  {line}")
    print(f"load average      {common.load_average()}")
    return 1 if failures or too_slow else 0
