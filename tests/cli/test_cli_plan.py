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


def test_the_text_output_is_in_date_order_with_only_the_longest_chain_starred(type2, capsys):
    code, out, err = _run(capsys, "plan", type2, "--start", START)
    assert code == 0, err
    rows = [line for line in out.splitlines() if line[3:4].isdigit() and line[5:6] == "2"]
    starts = [line[5:15] for line in rows]
    assert len(rows) > 15 and starts == sorted(starts)
    starred = [line for line in rows if line.startswith(" *")]
    _, out, _ = _run(capsys, "plan", type2, "--json")
    document = json.loads(out)
    assert len(starred) == len(document["critical_path"]) < len(rows)
    side = {t["id"]: t for t in document["tasks"]}["select_cpa"]
    assert not side["critical"] and side["slack"] > 0


def test_holidays_from_the_command_line_move_tasks_and_bad_ones_give_one_line(type2, tmp_path, capsys):
    _, out, _ = _run(capsys, "plan", type2, "--start", START, "--json")
    before = {t["id"]: t for t in json.loads(out)["tasks"]}
    fieldwork = date.fromisoformat(before["fieldwork"]["start"])
    holidays = [add_working_days(fieldwork, 1), add_working_days(fieldwork, 2)]
    code, out, err = _run(capsys, "plan", type2, "--holidays", ",".join(d.isoformat() for d in holidays), "--json")
    assert code == 0, err
    document = json.loads(out)
    after = {t["id"]: t for t in document["tasks"]}
    assert document["holidays"] == [d.isoformat() for d in holidays]
    assert after["report_issued"]["end"] > before["report_issued"]["end"]
    assert after["observation"] == before["observation"]
    _, out, _ = _run(capsys, "plan", type2)
    assert f"holidays (not worked): {holidays[0].isoformat()}" in out

    listing = tmp_path / "holidays.txt"
    listing.write_text("2027-12-24 Christmas Eve\n2027-12-32 # a typo\n", encoding="utf-8")
    code, out, err = _run(capsys, "plan", type2, "--holidays-file", listing)
    assert code == 2 and out == ""
    assert err == f"error: holidays file {listing} line 2 : '2027-12-32' is not a date (YYYY-MM-DD)\n"
    code, _, err = _run(capsys, "plan", type2, "--holidays", "2027-01-01,soon")
    assert code == 2 and err.count("\n") == 1 and "'soon' is not a date" in err
    code, out, err = _run(capsys, "plan", type2, "--holidays", "none", "--json")
    assert code == 0 and json.loads(out)["holidays"] == []
    assert {t["id"]: t["end"] for t in json.loads(out)["tasks"]} == {k: t["end"] for k, t in before.items()}


def test_a_period_already_begun_lists_the_tasks_already_late(tmp_path, capsys):
    path = tmp_path / "begun.soc2"
    assert _run(capsys, "new", path, "--org", "Begun Co", "--period-start", "2024-01-01")[0] == 0
    code, out, err = _run(capsys, "plan", path)
    assert code == 0, err
    assert "already late on " in out and "Plan the audit" in out.split("already late on ")[1]
    code, out, _ = _run(capsys, "plan", path, "--json")
    late = json.loads(out)["late"]
    assert late and all(t["start"] < json.loads(out)["today"] for t in late)
