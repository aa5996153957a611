"""A file name with a line break or a right-to-left override prints as one line that reads as it is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.session import open_project


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("name", "shown"), [
    ("new\nline.txt", "new\\nline.txt"),
    ("\u202eevil\u202cfdp.exe", "\\u202eevil\\u202cfdp.exe"),
    ("\u05d3\u05d5\u05d7.txt", "\u05d3\u05d5\u05d7.txt"),
])
def test_evidence_add_and_list_print_an_odd_name_on_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             name: str, shown: str) -> None:
    project = tmp_path / "p.soc2"
    assert _run(capsys, "new", project, "--org", "Acme", "--period-start", "2026-01-01")[0] == 0
    with open_project(project) as opened:
        add_control(opened, ControlDraft("BK-1", "Backups"))
    source = tmp_path / name
    source.write_bytes(b"")
    code, out = _run(capsys, "evidence", "add", project, source, "--control", "BK-1", "--collected", "2026-02-01")
    assert code == 0
    assert out.splitlines()[0].startswith(f"added {shown} to BK-1 (sha256 ")
    assert out.splitlines()[1] == f"  warning: {shown}: the file is empty (0 bytes): it cannot show the control " \
                                  "operating"
    code, out = _run(capsys, "evidence", "list", project)
    assert code == 0 and len(out.splitlines()) == 1 and f" BK-1       {shown}  0 bytes " in out


@pytest.mark.parametrize(("name", "shown"), [
    ("\u202ereg.csv", "\\u202ereg.csv"),
    ("\x1b[31mred.csv", "\\x1b[31mred.csv"),
    ("line\nbreak.csv", "line\\nbreak.csv"),
])
def test_an_error_line_escapes_an_odd_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                                shown: str) -> None:
    project = tmp_path / "p.soc2"
    assert _run(capsys, "new", project, "--org", "Acme")[0] == 0
    source = tmp_path / name
    source.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    assert main(["register", "import", str(project), "controls", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {tmp_path}/{shown} : no column holds the control ID")
