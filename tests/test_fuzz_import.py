"""Fuzzing every import entry point: text, HTML, JSON lines, JSON, zip and upload.

Whatever arrives, the pipeline finishes its run, reports each bad record as a failure
with its source, and writes only what PostgreSQL can hold. A small budget here (the
suite runs it on every `make test`; Hypothesis's deadline is off, timings are not
tests); the large run is `make bench-fuzz`.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.importing.uploads import import_queued, queue_upload
from decisions.models import Decision, ImportRun
from tests.conftest import FIXTURES
from tests.support.helpers import zipped

SEED = (FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt").read_text(encoding="utf-8")
SEED_LINES = SEED.splitlines()
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as a bad day delivers it: real lines, shuffled, cut, mixed with any character
# (NUL and lone surrogates included) and markup.
real_lines = st.sampled_from(SEED_LINES)
any_text = st.text(st.characters(codec=None, categories=None), max_size=200)
page_text = st.lists(st.one_of(real_lines, any_text), max_size=40).map("\n".join)
markup = st.lists(
    st.one_of(
        real_lines,
        st.sampled_from(["<p>", "</p>", "<p<![D)", "<!--", "<h2>", "<![CDATA[", "&#0;", "<br/>"]),
        any_text,
    ),
    max_size=40,
).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(
            any_text,
            st.just("https://www.lgo.org.uk/decisions/housing/allocations/19-011-560"),
            st.just("http://["),
        ),
        "text": st.one_of(page_text, json_values),
        "html": st.one_of(markup, json_values),
        "scraped_at": json_values,
    },
)


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def assert_run_held_up(run: ImportRun, expected_records: int | None = None) -> None:
    assert run.status == ImportRun.Status.FINISHED
    if expected_records is not None:
        assert run.processed == expected_records
    for failure in run.failures:
        assert failure["source"] and failure["error"]
    # Whatever was stored is text PostgreSQL holds and reads back.
    for body in Decision.objects.values_list("body_text", flat=True):
        assert "\x00" not in body


@FUZZ
@given(pages=st.lists(st.one_of(page_text, markup), min_size=1, max_size=4))
def test_any_page_files_import_without_stopping_the_run(db, tmp_path_factory, pages):
    folder = tmp_path_factory.mktemp("pages")
    for number, content in enumerate(pages):
        suffix = ".html" if number % 2 else ".txt"
        (folder / f"{number}{suffix}").write_bytes(encoded(content))
    assert_run_held_up(run_import(iter_sources([folder])), len(pages))


@FUZZ
@given(lines=st.lists(st.one_of(records.map(json.dumps), st.binary(max_size=80)), max_size=8))
def test_any_json_lines_import_without_stopping_the_run(db, tmp_path_factory, lines):
    dump = tmp_path_factory.mktemp("jsonl") / "dump.jsonl"
    dump.write_bytes(
        b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)
    )
    assert_run_held_up(run_import(iter_sources([dump])))


@FUZZ
@given(document=st.one_of(st.lists(records, max_size=5).map(json.dumps), st.binary(max_size=200)))
def test_any_json_document_imports_without_stopping_the_run(db, tmp_path_factory, document):
    path = tmp_path_factory.mktemp("json") / "records.json"
    path.write_bytes(document if isinstance(document, bytes) else document.encode())
    assert_run_held_up(run_import(iter_sources([path])))


member_names = st.one_of(
    st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.json", "e.zip", "f.pdf", "../g.txt"]),
    # Any name a zip can hold (zipfile itself cannot write a lone surrogate).
    any_text.filter(lambda name: "\x00" not in name and name.strip() and encodable(name)),
)
zips = st.recursive(
    st.dictionaries(member_names, st.one_of(page_text, markup).map(encoded), max_size=4).map(
        zipped
    ),
    lambda inner: st.dictionaries(member_names, inner, max_size=3).map(zipped),
    max_leaves=4,
)


@FUZZ
@given(archive=st.one_of(zips, st.binary(max_size=300)))
def test_any_zip_imports_without_stopping_the_run(db, tmp_path_factory, archive):
    path = tmp_path_factory.mktemp("zip") / "batch.zip"
    path.write_bytes(archive)
    assert_run_held_up(run_import(iter_sources([path])))


@FUZZ
@given(
    files=st.lists(
        st.tuples(member_names, st.one_of(page_text.map(encoded), zips, st.binary(max_size=200))),
        min_size=1,
        max_size=4,
    )
)
def test_any_upload_imports_without_stopping_the_run(db, media_root, files):
    # A browser's file names, as Django's multipart parser hands them on: base names.
    names = [PurePosixPath(name.replace("\\", "/")).name for name, _ in files]
    assume(all(name not in {"", ".", ".."} for name in names))
    uploads = [
        SimpleUploadedFile(name, content) for name, (_, content) in zip(names, files, strict=True)
    ]
    run = queue_upload(uploads, user=None, dry_run=False)
    import_queued(run)  # what the worker's task does
    run.refresh_from_db()
    assert_run_held_up(run)
