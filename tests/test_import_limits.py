"""One budget for a whole import, from settings, for the command and the admin alike."""

from __future__ import annotations

import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from decisions.models import ImportRun
from decisions.sources import SourceFailure, ZipLimits, iter_sources
from tests.conftest import FIXTURES

SEED = (FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt").read_bytes()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def failures(items) -> list[SourceFailure]:
    return [item for item in items if isinstance(item, SourceFailure)]


def test_nested_zips_share_one_budget(tmp_path: Path):
    # Three inner zips of 300 KB each, against a 500 KB limit: each alone fits.
    inner = zipped({"filler.txt": b"x" * 300_000})
    outer = tmp_path / "outer.zip"
    outer.write_bytes(zipped({f"inner{n}.zip": inner for n in range(3)}, zipfile.ZIP_STORED))
    limits = ZipLimits(max_total_bytes=500_000, max_file_bytes=10**6)
    refused = failures(iter_sources([outer], limits))
    assert [f.source for f in refused] == [f"{outer}!inner1.zip", f"{outer}!inner2.zip"]
    assert all("already unpacked in this import" in f.error for f in refused)
    assert limits.budget.bytes <= 500_000


def test_a_zip_that_lies_about_its_sizes_is_stopped_as_it_unpacks(tmp_path: Path):
    data = bytearray(zipped({"page.txt": b"x" * 200_000}))
    # Rewrite the declared uncompressed size (central directory and local header) to 10.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    data[26 - 4 : 26] = (10).to_bytes(4, "little")
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    refused = failures(iter_sources([path], ZipLimits(max_file_bytes=100_000)))
    assert len(refused) == 1
    assert refused[0].source == f"{path}!page.txt"


def test_an_overlong_json_line_fails_alone_and_the_next_lines_import(tmp_path: Path):
    dump = tmp_path / "dump.jsonl"
    good = b'{"text": "' + SEED.replace(b"\n", b"\\n").replace(b'"', b'\\"') + b'"}\n'
    dump.write_bytes(b"x" * (len(good) + 5_000) + b"\n" + good)
    items = list(iter_sources([dump], ZipLimits(max_line_bytes=len(good) + 10)))
    assert isinstance(items[0], SourceFailure)
    assert items[0].source == f"{dump}:1"
    assert "longer than the limit" in items[0].error
    assert not isinstance(items[1], SourceFailure)


def test_a_file_read_whole_is_refused_by_its_size_before_reading(tmp_path: Path):
    page = tmp_path / "huge.txt"
    page.write_bytes(SEED + b"\n" * 2_000)
    refused = failures(iter_sources([page], ZipLimits(max_file_bytes=len(SEED))))
    assert refused[0].source == str(page)
    assert f"the limit for one file is {len(SEED):,} bytes" in refused[0].error


@pytest.mark.django_db
def test_the_command_uses_the_settings_limits(settings, tmp_path: Path):
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 1_000
    archive = tmp_path / "big.zip"
    archive.write_bytes(zipped({"page.txt": SEED}))
    with pytest.raises(Exception, match="1 of 1 records failed"):
        call_command("import_decisions", str(archive), "--no-progress", stdout=StringIO())
    run = ImportRun.objects.get()
    assert "the limit is 1,000" in run.failures[0]["error"]
