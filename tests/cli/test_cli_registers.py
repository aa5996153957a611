"""The registers on the command line, as real processes: register list --json holds the workbook's rows, risks sign
makes the assessment read-only, and bad input gets one error line and leaves the project as it was."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.importers.kinds import RISKS
from workbench.services.session import OpenProject


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    make_project(path / "acme.soc2").close()
    with (path / "risks.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ("Threat", "L", "I", "Inherent", "Mitigation", "Residual L", "Residual I", "Owner", "Review"),
            ("Phishing steals credentials", "4", "4", "16", "MFA", "2", "3", "Tomas", "2027-02-01"),
            ("Region outage", "2", "5", "", "Backups", "", "", "Jordan", ""),
            ("Insider fraud", "", "", "9", "Dual approval", "", "", "@finance", "")])
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json(folder: Path, *args: object) -> object:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_register_list_json_holds_the_rows_of_the_workbooks_risks_sheet(folder: Path) -> None:
    first = _json(folder, "register", "import", "acme.soc2", "risks", "risks.csv", "--json")
    assert (first["created"], first["problems"]) == (3, [])
    assert _json(folder, "register", "import", "acme.soc2", "risks", "risks.csv", "--json")["unchanged"] == 3
    listed = _json(folder, "register", "list", "acme.soc2", "risks", "--json")
    assert run(folder, "export", "xlsx", "acme.soc2", "book.xlsx").returncode == 0
    rows = list(load_workbook(folder / "book.xlsx")["Risks"].iter_rows(values_only=True))
    labels = {f.label: f for f in RISKS.fields}
    assert [labels[h].name for h in rows[0]] == list(listed[0])
    as_cells = []
    for row in rows[1:]:
        record = {}
        for header, cell in zip(rows[0], row, strict=True):
            field = labels[header]
            value = field.parse(cell) if field.parse is not None and isinstance(cell, str) else cell
            value = getattr(value, "value", value)
            record[field.name] = value.date().isoformat() if isinstance(value, datetime) else value
        as_cells.append(record)
    expected = [{k: (", ".join(v) or None if isinstance(v, list) else v if v != "" else None) for k, v in r.items()}
                for r in listed]
    assert as_cells == expected
    assert [(r["ref"], r["inherent"], r["residual"]) for r in listed] == [("R-001", 16, 6), ("R-002", 10, None),
                                                                          ("R-003", 9, None)]


def test_a_signed_assessment_refuses_a_second_signature_and_imports_in_one_line(folder: Path) -> None:
    _json(folder, "register", "import", "acme.soc2", "risks", "risks.csv", "--json")
    signed = _json(folder, "risks", "sign", "acme.soc2", "--by", "Priya Natarajan", "--date", "2026-02-20",
                   "--json")
    assert (signed["signed_on"], signed["signed_by"], signed["risks"]) == ("2026-02-20", "Priya Natarajan", 3)
    before = _sha(folder / "acme.soc2")
    assert_one_error_line(run(folder, "risks", "sign", "acme.soc2", "--by", "Priya"), "is already signed")
    assert_one_error_line(run(folder, "register", "import", "acme.soc2", "risks", "risks.csv"),
                          "risks.csv : nothing was imported: risk register",
                          "is read-only; start the next assessment")
    assert _sha(folder / "acme.soc2") == before
    started = _json(folder, "risks", "new", "acme.soc2", "--json")
    assert (started["signed_on"], started["risks"]) == (None, 3)
    assert _json(folder, "register", "import", "acme.soc2", "risks", "risks.csv", "--json")["unchanged"] == 3


def test_bad_register_files_get_one_error_line_naming_the_file(folder: Path) -> None:
    (folder / "empty.csv").write_text("Owner,Notes\nTomas,nothing\n", encoding="utf-8")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    before = _sha(folder / "acme.soc2")
    for kind, name, phrase in (("risks", "empty.csv", "no column holds the risk scenario"),
                               ("vendors", "empty.csv", "no column holds the vendor name"),
                               ("incidents", "broken.xlsx", "broken.xlsx"),
                               ("continuity-tests", "missing.csv", "does not exist")):
        assert_one_error_line(run(folder, "register", "import", "acme.soc2", kind, name), name, phrase)
    assert _sha(folder / "acme.soc2") == before
