"""A cell a spreadsheet would run as a formula (what our exports escape) is noted on import, kept as text (QA I3)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbench.services.controls import list_controls
from workbench.services.exports.cells import formula_like
from workbench.services.importers.engine import import_controls
from workbench.services.importers.values import formula_text
from workbench.services.session import OpenProject

FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-x+1", "@A1", "=1+2",
            " =CONCAT(A2,B2)", "\t@SUM(1)", "+ cmd|' /C notepad'!A0"]
NOT_FORMULAS = ["-5", "+44 20 7946 0958", "-.5 days", "-", "=", "Access reviews", "a = b", "e@mail.example",
                "- reviewed monthly\n- signed off", "+ one more approver", "@ops", "@finance team"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_our_exports_escape_is_a_formula(text: str) -> None:
    assert formula_like(text) and formula_text(text.strip())


@pytest.mark.parametrize("text", NOT_FORMULAS)
def test_numbers_and_plain_text_are_not(text: str) -> None:
    assert not formula_text(text.strip())


def test_every_formula_cell_is_noted_and_imported_as_its_text(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Control ID", "Title", "Owner", "Description"])
        for number, text in enumerate(FORMULAS, start=1):
            writer.writerow([f"F-{number}", text, "Ann", ""])
        writer.writerow(["N-1", "Badge access", "-5", "+44 20 7946 0958"])
        writer.writerow(["N-2", "Backups", "@ops", "=cmd|' /C calc'!A0"])
    result = import_controls(new_project, path)

    assert result["created"] == len(FORMULAS) + 2
    titles = {c.ref: c.title for c in list_controls(new_project)}
    assert [titles[f"F-{n}"] for n in range(1, len(FORMULAS) + 1)] == [t.strip() for t in FORMULAS]
    noted = sorted((p["row"], p["field"], p["level"]) for p in result["problems"])
    assert noted == sorted([*((row, "title", "warning") for row in range(2, len(FORMULAS) + 2)),
                            (len(FORMULAS) + 3, "description", "warning")])  # "@ops" is a handle
    for problem in result["problems"]:
        message = problem["message"]
        assert "the cell is read as its text, not a computed result" in message
        assert "imported" not in message  # what becomes of the file is the import's to say, not the cell's
    dde = next(p["message"] for p in result["problems"] if p["row"] == 3)
    assert dde == ("title: \"=cmd|' /C calc'!A0\" is a formula the spreadsheet never computed; the cell is read as "
                   "its text, not a computed result")
