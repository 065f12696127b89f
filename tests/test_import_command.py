"""`manage.py import_decisions`: its summary, failures, exit status and --json contract."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from decisions.models import Decision
from tests.conftest import FIXTURES, ROOT, SAMPLES, child_process_env

SEED = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_decisions", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_a_summary_of_what_it_did(db):
    out, _ = run_command(str(SAMPLES))
    assert "56 created, 0 updated, 0 unchanged, 0 failed" in out
    out, _ = run_command(str(SAMPLES))
    assert "0 created, 0 updated, 56 unchanged, 0 failed" in out


def test_it_names_each_failure_and_exits_non_zero(db, tmp_path):
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "bad.txt").write_text("not a decision at all", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 records failed"):
        call_command("import_decisions", str(tmp_path), "--no-progress", stdout=out)
    assert f"FAILED {tmp_path / 'bad.txt'}: " in out.getvalue()
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out.getvalue()
    assert Decision.objects.filter(reference="19 011 560").exists()


def test_a_missing_path_is_a_failure_not_a_crash(db, tmp_path):
    with pytest.raises(CommandError):
        run_command(str(tmp_path / "nowhere"))


def test_an_empty_folder_says_nothing_was_found(db, tmp_path):
    with pytest.raises(CommandError, match="No decision files found"):
        run_command(str(tmp_path))


def test_json_output_is_one_object_per_record_in_input_order(db, tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_text("rubbish", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_decisions",
            str(tmp_path),
            "--json",
            "--no-progress",
            stdout=out,
            stderr=io.StringIO(),
        )
    # The command writes JSON lines to the process's stdout: capture it through a subprocess
    # below; here the people-facing summary must stay off stdout.
    assert "created" not in out.getvalue()


def test_json_output_contract_through_the_real_command_line(transactional_db, tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_text("rubbish", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_decisions", "--json", "--dry-run", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=child_process_env(),
    )
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["ok"] for line in lines] == [True, False]
    good, bad = lines
    assert good["source"].endswith("a.txt")
    assert good["reference"] == "19 011 560"
    assert good["organisation"] == "Norfolk County Council"
    assert good["category"] == "Children's care services"
    assert good["subcategory"] == "Child protection"
    assert good["outcome"] == "upheld"
    assert good["outcome_wording"] == "Upheld"
    assert good["outcome_inferred"] is False
    assert good["decision_date"] == "2020-03-31"
    assert good["summary"].startswith("Mrs X complained")
    assert {p["amount"] for p in good["remedies"]["payments"]} == {"50.00", "200.00"}
    assert set(bad) == {"source", "ok", "error"}
    assert bad["source"].endswith("b.txt") and "reference" in bad["error"]
    assert "1 failed" in result.stderr


def test_it_reads_json_lines_from_standard_input(transactional_db):
    records = (FIXTURES / "lgo_pages.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    result = subprocess.run(
        [sys.executable, "manage.py", "import_decisions", "-", "--no-progress"],
        cwd=ROOT,
        input="\n".join(records) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=child_process_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "3 created" in result.stdout
    assert Decision.objects.count() == 3


def test_progress_lines_are_printed_when_not_on_a_terminal(db):
    err = io.StringIO()
    call_command("import_decisions", str(SAMPLES), stdout=io.StringIO(), stderr=err)
    # Short runs print at least the final progress line, with a count and a rate.
    assert "progress: 56 records" in err.getvalue()


def test_on_a_terminal_progress_is_a_bar_with_the_total_and_the_failures():
    from decisions.importing.progress import Progress

    screen = io.StringIO()
    progress = Progress(screen, total=4, tty=True)
    for failed in (False, True, False, False):
        progress.advance(failed=failed)
    progress.finish()
    drawn = screen.getvalue()
    assert "4/4" in drawn and "100%" in drawn
    assert "1 failed" in drawn
    assert "progress:" not in drawn  # the plain lines are for logs, not terminals
