"""Every fixture decision, in every input format the importer reads, gives the same fields.

The formats: page text (.txt, UTF-8 and Windows-1252), a saved page (.html) in site
chrome, a scraper's JSON line with the URL, a .json list, and each of those inside a .zip
or gzipped (.gz).
"""

import contextlib
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from decisions.importing.pipeline import parse_record
from decisions.importing.sources import iter_sources
from decisions.parsing import NotADecision, parse_decision
from tests.conftest import FIXTURES
from tests.fixtures.build_html import page_html

PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]


def is_decision(record: dict) -> bool:
    try:
        parse_decision(record["text"], url=record["url"])
    except NotADecision:
        return False
    return True


DECISIONS = [record for record in PAGES if is_decision(record)]
# Pages whose header names the reference can be read without their URL too.
LABELLED = [record for record in DECISIONS if "Category :" in record["text"]]


def fields(item) -> dict:
    result = parse_record(item)
    assert result.ok, (result.source, result.error)
    return result.parsed.as_dict()


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"batch/{name}", data)
    return buffer.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_fixtures_hold_the_decisions_they_should():
    assert len(DECISIONS) == 54
    assert len(LABELLED) >= 40


@pytest.mark.parametrize("record", DECISIONS, ids=lambda record: record["url"].rsplit("/", 1)[-1])
def test_json_line_json_list_and_zipped_records_give_the_same_fields(record, tmp_path):
    line = json.dumps({"url": record["url"], "text": record["text"], "scraped": "2026"}) + "\n"
    paths = [
        write(tmp_path, "one.jsonl", line.encode()),
        write(tmp_path, "list.json", json.dumps([json.loads(line)]).encode()),
        write(tmp_path, "records.zip", zipped("one.jsonl", line.encode())),
        write(tmp_path, "records.jsonl.gz", gzip.compress(line.encode())),
        write(tmp_path, "list.json.gz", gzip.compress(json.dumps([json.loads(line)]).encode())),
    ]
    results = [fields(item) for item in iter_sources(paths)]
    assert len(results) == 5
    assert all(result == results[0] for result in results[1:])
    assert results[0]["url"] == record["url"]


@pytest.mark.parametrize("record", LABELLED, ids=lambda record: record["url"].rsplit("/", 1)[-1])
def test_text_html_windows_1252_and_zipped_files_give_the_same_fields(record, tmp_path):
    text = record["text"]
    html = page_html(text)
    paths = [
        write(tmp_path, "page.txt", text.encode("utf-8")),
        write(tmp_path, "page.html", html.encode("utf-8")),
        write(tmp_path, "pages.zip", zipped("page.txt", text.encode("utf-8"))),
        write(tmp_path, "saved.zip", zipped("page.htm", html.encode("utf-8"))),
        write(tmp_path, "page.txt.gz", gzip.compress(text.encode("utf-8"))),
        write(tmp_path, "saved.html.gz", gzip.compress(html.encode("utf-8"))),
        write(
            tmp_path,
            "pages.zip.gz",
            gzip.compress(zipped("page.txt.gz", gzip.compress(text.encode()))),
        ),
    ]
    # Windows-1252 has no non-breaking hyphen (U+2011), which one page uses.
    with contextlib.suppress(UnicodeEncodeError):
        paths.append(write(tmp_path, "page-cp1252.txt", text.encode("cp1252")))
    results = [fields(item) for item in iter_sources(paths)]
    keys = ["reference", "organisation", "category", "subcategory", "outcome"]
    keys += ["outcome_wording", "decision_date", "summary", "remedies"]
    first = {key: results[0][key] for key in keys}
    for other in results[1:]:
        assert {key: other[key] for key in keys} == first
    # Without the URL, the header and labels alone carry the reference and category.
    assert first["reference"].replace(" ", "-") in record["url"]
