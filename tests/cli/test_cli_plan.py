"""`workbench plan`: the DESIGN.md section 6 document, the exports, and one-line user errors."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from workbench.cli import main
from workbench.domain.schedule import add_working_days

START = "2027-01-04"


def _run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def type2(tmp_path, capsys):
    path = tmp_path / "cli.soc2"
    code, _, err = _run(capsys, "new", path, "--org", "CLI Co", "--period-start", "2027-06-01",
                        "--period-months", "6")
    assert code == 0, err
    return path


def test_plan_json_follows_the_contract_and_the_acceptance_rules(type2, capsys):
    code, out, err = _run(capsys, "plan", type2, "--start", START, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert {"start", "end", "months", "observation", "tasks"} <= set(document)
    assert document["start"] == START
    assert document["observation"] == {"start": "2027-06-01", "end": "2027-11-30"}
    tasks = {t["id"]: t for t in document["tasks"]}
    for task in document["tasks"]:
        assert {"id", "name", "step", "start", "end", "milestone", "depends_on", "critical"} <= set(task)
        if task["milestone"]:
            assert task["start"] == task["end"]
        for key in task["depends_on"]:
            assert date.fromisoformat(tasks[key]["end"]) < date.fromisoformat(task["start"])
    assert {t["step"] for t in document["tasks"]} == {1, 2, 3, 4, 5, 6}
    assert document["end"] == max(t["end"] for t in document["tasks"])
    assert min(t["start"] for t in document["tasks"]) == START
    path = document["critical_path"]
    assert tasks[path[0]]["start"] == START and tasks[path[-1]]["end"] == document["end"]
    assert all(tasks[key]["critical"] for key in path)
    assert 9 <= document["months"] <= 18
    window = tasks["observation"]
    assert (window["start"], window["end"]) == ("2027-06-01", "2027-11-30")


def test_without_options_the_stored_plan_is_shown_and_a_missing_one_is_made(type2, capsys):
    code, out, err = _run(capsys, "plan", type2, "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["observation"] == {"start": "2027-06-01", "end": "2027-11-30"}
    _run(capsys, "plan", type2, "--start", START)
    code, out, _ = _run(capsys, "plan", type2, "--json")
    assert json.loads(out)["start"] == START
    code, out, _ = _run(capsys, "plan", type2)
    assert code == 0 and "Auditor fieldwork" in out and "2027-06-01 to 2027-11-30" in out


def test_a_type1_project_gets_its_own_plan(tmp_path, capsys):
    path = tmp_path / "one.soc2"
    assert _run(capsys, "new", path, "--org", "One Co", "--report-type", "type1", "--period-start",
                "2027-04-15")[0] == 0
    code, out, err = _run(capsys, "plan", path, "--start", START, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["template"] == "type1"
    assert document["observation"] == {"start": "2027-04-15", "end": "2027-04-15"}
    window = next(t for t in document["tasks"] if t["id"] == "observation")
    assert window["milestone"] and window["start"] == "2027-04-15"


def test_exports_from_the_command_line(type2, tmp_path, capsys):
    ics, xlsx, pdf = tmp_path / "p.ics", tmp_path / "p.xlsx", tmp_path / "p.pdf"
    code, out, err = _run(capsys, "plan", type2, "--template", "type2-first", "--start", START,
                          "--ics", ics, "--xlsx", xlsx, "--pdf", pdf)
    assert code == 0, err
    assert f"wrote the calendar to {ics}" in out
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    issued = next(e for e in events if str(e["SUMMARY"]) == "SOC 2 report issued")
    assert issued.decoded("DTSTART") >= date(2027, 11, 30) + timedelta(days=42)
    assert xlsx.stat().st_size > 0 and pdf.read_bytes().startswith(b"%PDF")


def test_user_errors_are_one_line_with_status_2(type2, tmp_path, capsys):
    for args, phrase in (
        (("--template", "type9"), "invalid choice"),
        (("--start", "2027-13-01"), "YYYY-MM-DD"),
        (("--start", "2027-05-10"), "preparation needs at least"),
    ):
        code, _, err = _run(capsys, "plan", type2, *args)
        assert code == 2 and len(err.splitlines()) == 1 and err.startswith("error: ") and phrase in err, err
    code, _, err = _run(capsys, "plan", tmp_path / "missing.soc2")
    assert code == 2 and len(err.splitlines()) == 1
    code, _, err = _run(capsys, "plan", type2, "--start", START, "--ics", tmp_path / "nowhere" / "p.ics")
    assert code == 2 and "folder does not exist" in err
    assert add_working_days(date(2027, 1, 4), 0) == date(2027, 1, 4)
