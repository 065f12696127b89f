"""One budget for a whole import run (bytes, entries, depth and time), from settings, for
the command and the admin alike; bounded memory whatever the input."""

from __future__ import annotations

import functools
import gzip
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command

from decisions.importing.progress import estimate_total
from decisions.importing.sources import (
    ImportBudget,
    ImportLimits,
    SourceFailure,
    SourceRecord,
    iter_sources,
)
from decisions.importing.uploads import iter_run_files
from decisions.models import ImportRun
from tests.conftest import FIXTURES, ROOT
from tests.support.helpers import zipped

SEED = (FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt").read_bytes()
MB = 1024**2


def failures(items) -> dict[str, str]:
    return {item.source: item.error for item in items if isinstance(item, SourceFailure)}


def records(items) -> list[SourceRecord]:
    return [item for item in items if isinstance(item, SourceRecord)]


def json_line(text: bytes) -> bytes:
    return json.dumps({"text": text.decode()}).encode() + b"\n"


# Bombs, built without compressing (or holding) what they unpack to: one megabyte of a
# byte, deflated up to a full flush, is the same bytes every time, so N megabytes are
# that block N times. https://www.zlib.net/manual.html#Basic (Z_FULL_FLUSH)


@functools.cache
def deflated(megabytes: int, byte: bytes = b"\0") -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MB of `byte`, and the CRC-32 of those MB."""
    block = byte * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return one * megabytes + compressor.flush(), crc


def gzip_bomb(path: Path, megabytes: int, byte: bytes = b"\0") -> Path:
    stream, crc = deflated(megabytes, byte)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # RFC 1952, 2.3
    path.write_bytes(header + stream + struct.pack("<LL", crc, (megabytes * MB) % 2**32))
    return path


def zip_bomb(path: Path, name: str, megabytes: int, declared: int | None = None) -> Path:
    """A zip of one deflated member of `megabytes` MB of zeros, declaring `declared`
    bytes (the truth by default). https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT"""
    stream, crc = deflated(megabytes)
    size = megabytes * MB if declared is None else declared
    encoded = name.encode()
    fields = (20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded))  # deflated, 1980-01-01
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + encoded
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, 0)
    central += encoded
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(stream), 0
    )
    path.write_bytes(local + stream + central + end)
    return path


def test_the_defaults_are_the_settings_defaults(settings):
    if any(name.startswith("IMPORT_") for name in os.environ):
        pytest.skip("IMPORT_* set in the environment")
    assert ImportLimits.from_settings(settings) == ImportLimits()


def test_nested_zips_that_each_fit_are_refused_once_together_they_pass_the_limit(
    settings, tmp_path: Path
):
    # Three inner zips of 300 KB each against a 500 KB limit: each alone would fit.
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 500_000
    inner = zipped({"filler.txt": b"x" * 300_000})
    outer = tmp_path / "outer.zip"
    outer.write_bytes(zipped({f"inner{n}.zip": inner for n in range(3)}, zipfile.ZIP_STORED))
    budget = ImportLimits.from_settings(settings).budget()
    refused = failures(iter_sources([outer], budget=budget))
    assert list(refused) == [f"{outer}!inner1.zip", f"{outer}!inner2.zip"]
    assert all("the limit is 500,000" in error for error in refused.values())
    assert all("already unpacked in this import" in error for error in refused.values())
    assert budget.unpacked <= 500_000


def test_zips_in_separate_files_of_one_upload_share_the_budget(settings, tmp_path: Path):
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 500_000
    (tmp_path / "uploads" / "1").mkdir(parents=True)
    for name in ["a.zip", "b.zip"]:
        (tmp_path / "uploads" / "1" / name).write_bytes(zipped({"filler.txt": b"x" * 300_000}))
    entries = [{"name": name, "path": f"uploads/1/{name}"} for name in ["a.zip", "b.zip"]]
    items = list(iter_run_files(entries, storage=FileSystemStorage(tmp_path)))
    assert list(failures(items)) == ["b.zip"]
    assert len(records(items)) == 1


def test_a_zip_member_that_lies_about_its_size_is_stopped_at_it(tmp_path: Path):
    # 64 MB of zeros declaring 10 bytes: the declared sizes pass every check, and the
    # member is cut off where it said it would end, having unpacked no more than that.
    path = zip_bomb(tmp_path / "liar.zip", "page.txt", 64, declared=10)
    budget = ImportLimits().budget()
    items = list(iter_sources([path], budget=budget))
    assert failures(items).keys() == {f"{path}!page.txt"}
    assert "cannot unpack: Bad CRC-32" in failures(items)[f"{path}!page.txt"]
    assert budget.unpacked <= 10


def test_a_zip_member_declaring_more_than_the_file_limit_is_refused_unread(
    settings, tmp_path: Path
):
    settings.IMPORT_MAX_FILE_BYTES = MB
    path = zip_bomb(tmp_path / "bomb.zip", "page.txt", 64)
    budget = ImportLimits.from_settings(settings).budget()
    refused = failures(iter_sources([path], budget=budget))
    assert refused == {
        f"{path}!page.txt": "file is 67,108,864 bytes; the limit for one file is 1,048,576 bytes"
    }
    assert budget.unpacked == 0


def test_a_gzip_bomb_is_refused_as_it_unpacks(settings, tmp_path: Path):
    settings.IMPORT_MAX_FILE_BYTES = MB
    bomb = gzip_bomb(tmp_path / "page.html.gz", 256)
    budget = ImportLimits.from_settings(settings).budget()
    refused = failures(iter_sources([bomb], budget=budget))
    assert refused == {
        str(bomb): "unpacks to more than 1,048,576 bytes; the limit for one file is 1,048,576 bytes"
    }
    assert budget.unpacked == MB + 1  # stopped one byte past the limit, not 256 MB on


def test_a_gzip_inside_a_zip_spends_the_same_budget(settings, tmp_path: Path):
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 500_000
    page = gzip.compress(b"x" * 300_000)
    path = tmp_path / "pages.zip"
    path.write_bytes(zipped({"a.txt.gz": page, "b.txt.gz": page}))
    refused = failures(iter_sources([path], ImportLimits.from_settings(settings)))
    assert list(refused) == [f"{path}!b.txt.gz"]
    assert "one import may unpack in all (300,000 already unpacked)" in refused[f"{path}!b.txt.gz"]


def test_gzipped_json_lines_stream_past_the_file_limit(settings, tmp_path: Path):
    settings.IMPORT_MAX_FILE_BYTES = 10_000
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 10_000
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(gzip.compress(json_line(SEED) * 20))  # some 100 KB unpacked
    inner = tmp_path / "dumps.zip"
    inner.write_bytes(zipped({"dump.jsonl": json_line(SEED) * 20}))
    items = list(iter_sources([dump, inner], ImportLimits.from_settings(settings)))
    assert failures(items) == {}
    assert [item.source for item in items[:2]] == [f"{dump}:1", f"{dump}:2"]
    assert items[-1].source == f"{inner}!dump.jsonl:20"
    assert len(items) == 40


def test_an_overlong_json_line_fails_alone_and_the_lines_after_it_import(settings, tmp_path: Path):
    good = json_line(SEED)
    settings.IMPORT_MAX_LINE_BYTES = len(good) + 10
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(good + b"x" * (3 * MB) + b"\n\n  \n" + good + b"{bad\n" + good)
    items = list(iter_sources([dump], ImportLimits.from_settings(settings)))
    assert failures(items) == {
        f"{dump}:2": f"line 2 is longer than the limit of {len(good) + 10:,} bytes",
        f"{dump}:6": "invalid JSON: Expecting property name enclosed in double quotes at column 2",
    }
    assert [item.source for item in records(items)] == [f"{dump}:1", f"{dump}:5", f"{dump}:7"]
    assert all(item.content == SEED.decode() for item in records(items))


def test_a_json_line_longer_than_a_read_chunk_but_within_the_limit_imports(tmp_path: Path):
    text = "x" * (3 * MB)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": text}) + "\r\n" + json.dumps({"text": "y"}))
    items = list(iter_sources([dump]))
    assert [(item.source, len(item.content)) for item in items] == [
        (f"{dump}:1", len(text)),
        (f"{dump}:2", 1),
    ]


def test_a_file_read_whole_is_refused_by_its_size_before_reading(settings, tmp_path: Path):
    settings.IMPORT_MAX_FILE_BYTES = len(SEED)
    page = tmp_path / "huge.txt"
    page.write_bytes(SEED + b"\n" * 2_000)
    refused = failures(iter_sources([page], ImportLimits.from_settings(settings)))
    assert refused == {
        str(
            page
        ): f"file is {len(SEED) + 2_000:,} bytes; the limit for one file is {len(SEED):,} bytes"
    }


def test_a_zip_whose_directory_is_too_big_for_the_entry_limit_is_refused_unopened(
    settings, tmp_path: Path
):
    settings.IMPORT_ZIP_MAX_ENTRIES = 2
    path = tmp_path / "many.zip"
    path.write_bytes(zipped({f"{n:040d}.txt": b"" for n in range(100)}))
    refused = failures(iter_sources([path], ImportLimits.from_settings(settings)))
    assert list(refused) == [str(path)]
    assert refused[str(path)].endswith("too big for the limit of 2 files")


def test_the_command_uses_the_settings_limits(db, settings, tmp_path: Path):
    settings.IMPORT_MAX_FILE_BYTES = len(SEED) - 1
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 1_000
    page = tmp_path / "page.txt"
    page.write_bytes(SEED)
    archive = tmp_path / "big.zip"
    archive.write_bytes(zipped({"page.txt": SEED[:2_000]}))
    with pytest.raises(CommandError, match="2 of 2 records failed"):
        call_command(
            "import_decisions", str(archive), str(page), "--no-progress", stdout=StringIO()
        )
    errors = {failure["source"]: failure["error"] for failure in ImportRun.objects.get().failures}
    assert errors == {
        str(archive): "zip unpacks to 2,000 bytes; the limit is 1,000",
        str(
            page
        ): f"file is {len(SEED):,} bytes; the limit for one file is {len(SEED) - 1:,} bytes",
    }


def test_past_the_time_budget_each_remaining_input_is_a_named_failure(tmp_path: Path):
    (tmp_path / "batch.zip").write_bytes(zipped({"a.txt": SEED, "b.txt": SEED}))
    (tmp_path / "c.txt").write_bytes(SEED)
    (tmp_path / "d.jsonl").write_bytes(json_line(SEED))
    paths = [tmp_path / "batch.zip", tmp_path / "c.txt", tmp_path / "d.jsonl"]
    budget = ImportLimits(max_seconds=60).budget()
    items = iter_sources(paths, budget=budget)
    assert next(items).source == f"{tmp_path / 'batch.zip'}!a.txt"
    budget.seconds = 61  # as if unpacking a.txt had taken a minute
    refused = failures(items)
    message = (
        "not read: the import's time budget for reading (60 seconds) ran out; import the file again"
    )
    assert refused == {
        f"{tmp_path / 'batch.zip'}!b.txt": message,
        str(tmp_path / "c.txt"): message,
        str(tmp_path / "d.jsonl"): message,
    }


def test_a_json_lines_file_out_of_time_says_from_which_line(tmp_path: Path):
    good = json_line(SEED)
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(good + b"\n" * (2 * MB) + good)
    budget = ImportLimits(max_seconds=60).budget()
    items = iter_sources([dump], budget=budget)
    assert next(items).source == f"{dump}:1"
    budget.seconds = 61
    # The rest of the first megabyte is read already: the budget is next looked at
    # where the second begins, some way into the blank lines.
    line = MB - len(good) + 2
    assert failures(items) == {
        f"{dump}:{line}": "not read: the import's time budget for reading (60 seconds) ran "
        "out; import the file again (the lines before this one were read)"
    }


def test_time_the_importer_spends_on_the_records_is_not_counted(tmp_path: Path):
    for name in "abc":
        (tmp_path / f"{name}.txt").write_bytes(SEED)
    now = [0.0]
    budget = ImportBudget(ImportLimits(max_seconds=60), clock=lambda: now[0])
    items = iter_sources(sorted(tmp_path.iterdir()), budget=budget)
    for _ in range(3):
        assert isinstance(next(items), SourceRecord)
        now[0] += 3600  # parsing and writing the record, an hour of it
    assert budget.spent_seconds() == 0


def test_every_bad_input_fails_by_its_name_and_the_good_ones_still_import(settings, tmp_path: Path):
    settings.IMPORT_MAX_FILE_BYTES = 100_000
    settings.IMPORT_MAX_LINE_BYTES = 100_000
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes(SEED)
    (folder / "huge.html").write_bytes(b"x" * 100_001)
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    (folder / "broken.txt.gz").write_bytes(gzip.compress(SEED)[:-20])
    (folder / "dump.jsonl").write_bytes(b"x" * 100_001 + b"\n" + json_line(SEED))
    (folder / "list.json").write_bytes(b"[{]")
    (folder / "deep.zip").write_bytes(zipped({"in.zip": zipped({"in.zip": zipped({})})}))
    (folder / "mixed.zip").write_bytes(zipped({"x.pdf": b"%PDF", "y.txt": SEED}))
    gzip_bomb(folder / "bomb.txt.gz", 8)
    (folder / "z-good.jsonl.gz").write_bytes(gzip.compress(json_line(SEED)))
    items = list(
        iter_sources([folder, tmp_path / "missing.txt"], ImportLimits.from_settings(settings))
    )
    assert [item.source for item in records(items)] == [
        f"{folder / 'a-good.txt'}",
        f"{folder / 'dump.jsonl'}:2",
        f"{folder / 'mixed.zip'}!y.txt",
        f"{folder / 'z-good.jsonl.gz'}:1",
    ]
    refused = failures(items)
    assert set(refused) == {
        f"{folder / 'bomb.txt.gz'}",
        f"{folder / 'broken.txt.gz'}",
        f"{folder / 'broken.zip'}",
        f"{folder / 'deep.zip'}!in.zip!in.zip",
        f"{folder / 'dump.jsonl'}:1",
        f"{folder / 'huge.html'}",
        f"{folder / 'list.json'}",
        f"{folder / 'mixed.zip'}!x.pdf",
        f"{tmp_path / 'missing.txt'}",
    }
    assert "unpacks to more than 100,000 bytes" in refused[f"{folder / 'bomb.txt.gz'}"]
    assert refused[f"{folder / 'broken.txt.gz'}"].startswith("cannot read file: ")
    assert refused[f"{folder / 'broken.zip'}"].startswith("not a valid zip file: ")


# The child reads with the default limits (the settings' defaults) and no Django at all,
# and reports what it saw, how long it took and its peak resident memory.
CHILD = """
import json, sys, time
from decisions.importing.sources import SourceFailure, iter_sources


def peak_rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024


started, failures, records = time.monotonic(), {}, 0
for item in iter_sources(sys.argv[1:]):
    if isinstance(item, SourceFailure):
        failures[item.source] = item.error
    else:
        records += 1
print(json.dumps({
    "failures": failures,
    "records": records,
    "seconds": round(time.monotonic() - started, 1),
    # VmHWM, not ru_maxrss: Linux carries the forking parent's (pytest's) high-water
    # mark into an exec'd child's ru_maxrss, which would measure the test runner.
    "peak_rss_mb": peak_rss_mb(),
    "django": "django" in sys.modules,
}))
"""


def test_memory_stays_bounded_on_junk_and_bombs(tmp_path: Path):
    junk = tmp_path / "junk.jsonl"
    block = os.urandom(MB).replace(b"\n", b" ")
    with junk.open("wb") as out:
        for _ in range(200):
            out.write(block)  # 200 MB with no newline
    for name in ["junk.txt", "junk.json"]:
        os.link(junk, tmp_path / name)
    inputs = [
        junk,
        tmp_path / "junk.txt",
        tmp_path / "junk.json",
        zip_bomb(tmp_path / "bomb.zip", "bomb.txt", 1024),  # a 1 MB zip of 1 GB
        zip_bomb(tmp_path / "stream.zip", "bomb.jsonl", 512),
        gzip_bomb(tmp_path / "bomb.html.gz", 1024),
        gzip_bomb(tmp_path / "newlines.jsonl.gz", 512, b"\n"),
    ]
    assert all(path.stat().st_size < 2 * MB for path in inputs[3:])
    # One child process per input: the target is peak memory for any single input.
    reports = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                cwd=ROOT,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
                timeout=120,  # a guard against hanging, not a timing (those belong in bench/)
                check=True,
            ).stdout
        )
        for path in inputs
    ]
    peaks = {path.name: r["peak_rss_mb"] for path, r in zip(inputs, reports, strict=True)}
    print(peaks)
    assert not any(r["django"] for r in reports)
    assert all(peak < 300 for peak in peaks.values()), peaks
    assert sum(r["records"] for r in reports) == 0
    report = {"failures": {k: v for r in reports for k, v in r["failures"].items()}}
    too_big = "the limit for one file is 52,428,800 bytes"
    assert report["failures"] == {
        f"{junk}:1": "line 1 is longer than the limit of 10,485,760 bytes",
        f"{tmp_path / 'junk.txt'}": f"file is 209,715,200 bytes; {too_big}",
        f"{tmp_path / 'junk.json'}": f"file is 209,715,200 bytes; {too_big}",
        f"{tmp_path / 'bomb.zip'}": "zip unpacks to 1,073,741,824 bytes; the limit is 524,288,000",
        f"{tmp_path / 'stream.zip'}!bomb.jsonl:1": "line 1 is longer than the limit of 10,485,760 bytes",
        f"{tmp_path / 'bomb.html.gz'}": f"unpacks to more than 52,428,800 bytes; {too_big}",
    }


def test_the_progress_estimate_unpacks_nothing(tmp_path: Path):
    # A zip's count comes from its end record; gzipped JSON lines would need unpacking.
    (tmp_path / "pages.zip").write_bytes(zipped({"a.txt": SEED, "b.txt": SEED}))
    zip_bomb(tmp_path / "bomb.zip", "bomb.txt", 1024)
    (tmp_path / "dump.jsonl").write_bytes(json_line(SEED) * 3)
    assert estimate_total([str(tmp_path)]) == 2 + 1 + 3
    (tmp_path / "more.jsonl.gz").write_bytes(gzip.compress(json_line(SEED)))
    assert estimate_total([str(tmp_path)]) is None
