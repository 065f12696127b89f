"""Every door that gives a decision out (the API, the downloads, the bulk dump) gives the
same bytes for the same archive: a golden copy of each, taken from the bundled samples,
so a change to how the shapes are made (decisions/records.py) cannot change what a
re-user receives without this failing. A change meant to reach them is made by
regenerating the copies (UPDATE_GOLDEN=1) and reading the diff in review."""

from __future__ import annotations

import datetime
import gzip
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from decisions.models import Capture, Decision

GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = Path(__file__).resolve().parent.parent
# Timestamps an import sets from the clock, pinned so that the copies stay the same.
PINNED = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.fixture
def pinned_samples(sample_decisions):
    Decision.objects.update(created_at=PINNED, updated_at=PINNED)
    Capture.objects.update(created_at=PINNED)


def matches_golden(name: str, text: str) -> None:
    # The checkout's own path appears in each decision's source ("samples/..."): a
    # clone elsewhere must give the same bytes.
    text = text.replace(str(ROOT), "<checkout>")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to make it"
    expected = path.read_bytes().decode()  # bytes: a CSV's line ends are "\r\n"
    assert text == expected, f"{name} differs from its golden copy"


def test_the_api_gives_the_same_bytes_for_the_list_and_every_decision(client, pinned_samples):
    listing = client.get("/api/v1/decisions/?per_page=100&sort=oldest")
    assert listing.status_code == 200
    matches_golden("api_list.json", listing.content.decode())
    references = [d["reference"] for d in listing.json()["results"]]
    assert len(references) == Decision.objects.published().count()
    details = []
    for reference in references:
        answer = client.get(f"/api/v1/decisions/{reference.replace(' ', '-')}/")
        assert answer.status_code == 200
        details.append(answer.content.decode())
    matches_golden("api_decisions.jsonl", "\n".join(details) + "\n")


@pytest.mark.parametrize("name", ["download.csv", "download.jsonl"])
def test_the_downloads_give_the_same_bytes(client, pinned_samples, name):
    answer = client.get(f"/{name}?sort=oldest")
    assert answer.status_code == 200
    matches_golden(name, b"".join(answer.streaming_content).decode())


def test_the_bulk_dump_gives_the_same_records(pinned_samples, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    call_command("export_decisions", "--include-withdrawn", str(path))
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    header = json.loads(lines[0])
    assert header["record"] == "lgsco-decision-dump"
    # The records, each without its captured page (the capture's hash stays: it says
    # the same bytes were kept): the pages would make the copy ten times the size. Keys
    # sorted: a record's meaning does not depend on their order (the API's and the
    # downloads' bytes above are compared as they are).
    records = []
    for line in lines[1:]:
        record = json.loads(line)
        if record["capture"]:
            record["capture"]["text"] = f"<{len(record['capture']['text'])} characters>"
        records.append(json.dumps(record, sort_keys=True))
    assert len(records) == Decision.objects.count()
    matches_golden("dump.jsonl", "\n".join(records) + "\n")


def test_every_field_of_a_decision_is_published_or_said_to_be_unpublished():
    from decisions import records

    model_fields = {field.attname for field in Decision._meta.concrete_fields}
    given = set(records.PUBLISHED) | set(records.WITHDRAWAL)
    said = model_fields - set(records.UNPUBLISHED)
    # organisation and category are published by name, from their own rows.
    assert said | {"organisation", "category", "subcategory"} == given | {"withdrawn_at"}, (
        "a field of Decision is neither in records.PUBLISHED nor in records.UNPUBLISHED"
    )


@pytest.mark.parametrize("door", ["download", "api"])
def test_every_door_gives_each_published_field_or_says_why_not(door):
    from decisions import records
    from decisions.api.serializers import DecisionDetailSerializer
    from decisions.exports import rows

    if door == "download":
        given, renamed, left_out = set(rows.COLUMNS), rows.RENAMED, rows.LEFT_OUT
    else:
        given = set(DecisionDetailSerializer().fields)
        renamed, left_out = DecisionDetailSerializer.RENAMED, DecisionDetailSerializer.LEFT_OUT
    forgotten = [
        name
        for name in records.PUBLISHED
        if renamed.get(name, name) not in given and name not in left_out
    ]
    assert forgotten == [], f"the {door} neither gives nor leaves out {forgotten}"
    assert not set(left_out) & {renamed.get(n, n) for n in given}, "left out, yet given"
