"""A delimited text file with blank lines between its rows is read with the delimiter it uses (QA I1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_controls
from workbench.services.session import OpenProject

ROWS = ["Ref{d}Title{d}Criteria{d}Owner", "S-1{d}Badge access{d}CC6.1{d}Renée", "S-2{d}Backups{d}A1.2{d}Bob"]


def _controls(project: OpenProject) -> list[tuple[str, str, tuple[str, ...], str]]:
    return sorted((c.ref, c.title, c.criteria, c.owner) for c in list_controls(project))


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_blank_lines_between_rows_import_the_same_rows(new_project: OpenProject, make_project, tmp_path: Path,
                                                       delimiter: str) -> None:
    lines = [row.format(d=delimiter) for row in ROWS]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gappy = tmp_path / "gappy.csv"
    gappy.write_text("\n\n" + lines[0] + "\n\n\n" + lines[1] + "\n\n\n\n" + lines[2] + "\n\n", encoding="utf-8")

    import_controls(new_project, plain)
    other = make_project(tmp_path / "other.wbp")
    result = import_controls(other, gappy)

    assert result["created"] == 2
    assert _controls(other) == _controls(new_project)
    assert ("S-1", "Badge access", ("CC6.1",), "Renée") in _controls(other)
