"""A signature whose person is a formula: the row's note says what becomes of the cell, the refusal says the file's
outcome, and the two no longer contradict each other (QA I3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli_dry_run_refusal import project  # noqa: F401  (fixture)
from tests.cli.test_cli_process import assert_one_error_line, run


@pytest.mark.parametrize("person", ['"=HYPERLINK(""http://x"",""y"")"', "\"=cmd|' /C calc'!A0\""])
def test_a_formula_person_refuses_the_file_without_saying_it_was_imported(tmp_path: Path, project: Path,  # noqa: F811
                                                                          person: str) -> None:
    (tmp_path / "f.csv").write_text(f"person,policy,version,acknowledged_on\n{person},information-security,1,"
                                    "2026-03-01\n", encoding="utf-8")
    result = run(tmp_path, "register", "import", project, "acknowledgements", "f.csv")
    line = assert_one_error_line(result, "row 2, column A ('person')", "is a formula the spreadsheet never computed",
                                 "the cell is read as its text", "nothing was imported")
    assert "imported as" not in line
    listed = run(tmp_path, "register", "list", project, "acknowledgements", "--json")
    assert '"=' not in listed.stdout
