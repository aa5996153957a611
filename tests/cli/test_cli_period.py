"""`calendar`, `evidence list` in_period, population import, `sample` and `sample result` as a real process."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.session import OpenProject


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    make_project(path / "acme.soc2").close()  # Type II, 2026-01-01 to 2026-06-30
    (path / "controls.csv").write_text("Control ID,Title,Frequency,Implemented since\n"
                                       "REV-1,Quarterly review,quarterly,2026-02-15\n"
                                       "CHG-1,Changes approved,event-driven,\n", encoding="utf-8")
    (path / "changes.csv").write_text("Change ID,Merged at,Author\n" + "".join(
        f"PR-{i:03d},2026-03-{1 + i % 28:02d},dev\n" for i in range(300)), encoding="utf-8")
    (path / "old.txt").write_text("october", encoding="utf-8")
    assert run(path, "import-controls", "acme.soc2", "controls.csv").returncode == 0
    return path


def _json(folder: Path, *args: object) -> object:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_calendar_and_evidence_in_period(folder: Path) -> None:
    rows = [r for r in _json(folder, "calendar", "acme.soc2", "--json") if r["control"] == "REV-1"]
    assert [(r["window_start"], r["window_end"]) for r in rows] == [("2026-04-01", "2026-06-30")]
    assert {"control", "window_start", "window_end", "status"} <= set(rows[0])
    added = _json(folder, "evidence", "add", "acme.soc2", "old.txt", "--control", "REV-1", "--period-start",
                  "2025-10-01", "--period-end", "2025-10-31", "--json")
    assert added[0]["in_period"] is False
    assert [e["in_period"] for e in _json(folder, "evidence", "list", "acme.soc2", "--json")] == [False]


def test_population_sample_and_result(folder: Path) -> None:
    imported = _json(folder, "register", "import", "acme.soc2", "populations", "changes.csv", "--control", "CHG-1",
                     "--source", "GitHub", "--generated-at", "2026-07-01", "--generated-by", "Ana", "--json")
    assert imported["population"] == 300 and imported["previous_rows"] is None
    listed = _json(folder, "register", "list", "acme.soc2", "populations", "--json")
    assert listed[0] == {"control": "CHG-1", "key": "PR-000", "date": "2026-03-01", "in_period": True}
    text = run(folder, "register", "list", "acme.soc2", "populations").stdout.splitlines()
    assert text[0].split() == ["CHG-1", "PR-000", "2026-03-01"] and text[-1] == "300 populations"
    again = run(folder, "register", "import", "acme.soc2", "populations", "changes.csv", "--control", "CHG-1").stdout
    assert "population of CHG-1: 300 rows, replacing 300 rows (+0); 0 dated outside the audit period" in again
    assert "criteria links" not in again
    first = _json(folder, "sample", "acme.soc2", "--control", "CHG-1", "--seed", "s", "--json")
    keys = [i["key"] for i in first["items"]]
    expected = sorted((f"PR-{i:03d}" for i in range(300)),
                      key=lambda k: hashlib.sha256(("s" + k).encode()).hexdigest())[:25]
    assert keys == expected and first["size"] == 25 and first["seed"] == "s" and first["population"] == 300
    assert {"control", "population", "size", "seed", "method", "items"} <= set(first)
    result = run(folder, "sample", "result", "acme.soc2", "--control", "CHG-1", "--key", keys[0], "--result",
                 "exception", "--note", "no approval")
    assert result.returncode == 0, result.stderr
    assert_one_error_line(run(folder, "sample", "acme.soc2", "--control", "CHG-1"), "already has results")
    assert_one_error_line(run(folder, "sample", "acme.soc2", "--control", "CHG-1", "--size", "3"), "--reason")
    assert_one_error_line(run(folder, "register", "import", "acme.soc2", "populations", "changes.csv"),
                          "needs control")


@pytest.mark.parametrize("frequency", ["daily", "weekly", "monthly", "quarterly", "annually", "event-driven", ""])
def test_an_automated_control_is_sampled_once_as_the_calendar_tests_it(folder: Path, frequency: str) -> None:
    (folder / "auto.csv").write_text("Control ID,Title,Frequency,Nature\n"
                                     f"Z-01,Automated check,{frequency},automated\n", encoding="utf-8")
    assert run(folder, "import-controls", "acme.soc2", "auto.csv").returncode == 0
    calendar = [r for r in _json(folder, "calendar", "acme.soc2", "--json") if r["control"] == "Z-01"]
    assert [r["window_start"] for r in calendar] == ["2026-01-01"]
    drawn = _json(folder, "sample", "acme.soc2", "--control", "Z-01", "--seed", "s", "--json")
    assert (drawn["basis"], drawn["size"], drawn["population"]) == ("tested_once", 1, 1)
    assert [i["key"] for i in drawn["items"]] == ["tested once"]
    text = run(folder, "sample", "acme.soc2", "--control", "Z-01", "--seed", "s")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("sample of Z-01: 1 of 1 (tested once: an automated control")


def test_an_automated_control_with_a_population_is_sampled_once_from_it(folder: Path) -> None:
    (folder / "auto.csv").write_text("Control ID,Title,Frequency,Nature\n"
                                     "Z-02,Automated deploy gate,event-driven,automated\n", encoding="utf-8")
    assert run(folder, "import-controls", "acme.soc2", "auto.csv").returncode == 0
    assert run(folder, "register", "import", "acme.soc2", "populations", "changes.csv", "--control",
               "Z-02").returncode == 0
    drawn = _json(folder, "sample", "acme.soc2", "--control", "Z-02", "--seed", "s", "--json")
    assert (drawn["basis"], drawn["size"], drawn["population"]) == ("tested_once", 1, 300)
    first = min((f"PR-{i:03d}" for i in range(300)), key=lambda k: hashlib.sha256(("s" + k).encode()).hexdigest())
    assert [i["key"] for i in drawn["items"]] == [first]


def test_sample_result_json_prints_what_was_recorded_and_an_exception_needs_a_note(folder: Path) -> None:
    assert run(folder, "register", "import", "acme.soc2", "populations", "changes.csv", "--control",
               "CHG-1").returncode == 0
    keys = [i["key"] for i in _json(folder, "sample", "acme.soc2", "--control", "CHG-1", "--seed", "s",
                                    "--json")["items"]]
    for note in ([], ["--note", "   "]):
        refused = run(folder, "sample", "result", "acme.soc2", "--control", "CHG-1", "--key", keys[0], "--result",
                      "exception", *note)
        assert_one_error_line(refused, "an exception needs the tester's note")
    untouched = _json(folder, "sample", "acme.soc2", "--control", "CHG-1", "--seed", "s", "--json")
    assert [i["result"] for i in untouched["items"]] == [None] * 25  # refused: nothing written, redrawn alike
    recorded = _json(folder, "sample", "result", "acme.soc2", "--control", "CHG-1", "--key", keys[0], "--result",
                     "exception", "--note", "merged without approval", "--json")
    assert recorded["control"] == "CHG-1" and recorded["key"] == keys[0] and recorded["result"] == "exception"
    assert recorded["note"] == "merged without approval" and isinstance(recorded["exception"], int)
    passed = _json(folder, "sample", "result", "acme.soc2", "--control", "CHG-1", "--key", keys[1], "--result",
                   "pass", "--json")
    assert passed == {"control": "CHG-1", "key": keys[1], "result": "pass", "evidence": None, "note": "",
                      "exception": None}


def test_evidence_reaching_across_an_end_of_the_period_is_not_in_period_and_add_and_list_say_so(
        folder: Path) -> None:
    (folder / "review.txt").write_text("december to january", encoding="utf-8")
    (folder / "inside.txt").write_text("february", encoding="utf-8")
    added = _json(folder, "evidence", "add", "acme.soc2", "review.txt", "--control", "REV-1", "--period-start",
                  "2025-12-01", "--period-end", "2026-01-15", "--json")
    assert (added[0]["in_period"], added[0]["period_fit"]) == (False, "partly_outside")
    assert any("partly outside the audit period" in w and "2025-12-01 to 2026-01-15" in w
               for w in added[0]["warnings"])
    text = run(folder, "evidence", "add", "acme.soc2", "inside.txt", "--control", "REV-1", "--period-start",
               "2026-02-01", "--period-end", "2026-02-28")
    assert text.returncode == 0 and "warning" not in text.stdout
    listed = {e["filename"]: (e["in_period"], e["period_fit"])
              for e in _json(folder, "evidence", "list", "acme.soc2", "--json")}
    assert listed == {"review.txt": (False, "partly_outside"), "inside.txt": (True, "inside")}
    lines = run(folder, "evidence", "list", "acme.soc2").stdout.splitlines()
    assert [line.endswith("PARTLY OUTSIDE THE PERIOD") for line in lines] == [
        "review.txt" in line for line in lines] and len(lines) == 2
    (folder / "q2.txt").write_text("april to july", encoding="utf-8")
    across_end = _json(folder, "evidence", "add", "acme.soc2", "q2.txt", "--control", "REV-1", "--period-start",
                       "2026-04-01", "--period-end", "2026-07-15", "--json")
    assert across_end[0]["period_fit"] == "partly_outside"
    windows = [r for r in _json(folder, "calendar", "acme.soc2", "--json") if r["control"] == "REV-1"]
    assert [(r["window_start"], r["status"]) for r in windows] == [("2026-04-01", "covered")]  # its part inside
