"""Every JSON import reads the encodings a shell writes: UTF-8 with or without a BOM, UTF-16 LE or BE with a BOM
(PowerShell's `>`) or without one (told by its NUL bytes)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_controls
from workbench.services.importers.json_rows import read_json_table
from workbench.services.session import OpenProject

RECORDS = [{"Control ID": "CTL-1", "Title": "Änderungen geprüft – reviewed", "TSC": "CC8.1"},
           {"Control ID": "CTL-2", "Title": "Access reviewed", "TSC": "CC6.1"}]
ENCODINGS = {"utf-8": b"", "utf-8-sig": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


def _write(path: Path, encoding: str, bom: bool) -> Path:
    text = json.dumps(RECORDS, ensure_ascii=False, indent=2)
    path.write_bytes((ENCODINGS[encoding] if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8-sig", True), ("utf-16-le", True),
                                               ("utf-16-be", True), ("utf-16-le", False), ("utf-16-be", False)])
def test_a_json_table_reads_the_same_in_every_encoding(tmp_path: Path, encoding: str, bom: bool) -> None:
    table = read_json_table(_write(tmp_path / "controls.json", encoding, bom))
    assert table.headers == ["Control ID", "Title", "TSC"]
    assert [row[1] for row in table.rows] == ["Änderungen geprüft – reviewed", "Access reviewed"]


def test_controls_import_from_a_utf16_json_file(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_controls(new_project, _write(tmp_path / "controls.json", "utf-16-le", True))
    assert result["created"] == 2
    assert {c.ref: c.title for c in list_controls(new_project)}["CTL-1"] == "Änderungen geprüft – reviewed"


def test_bytes_that_are_no_text_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes('[{"Title": "caf\xe9"}]'.encode("latin-1"))
    with pytest.raises(WorkbenchError, match=r"latin\.json.*not valid UTF-8 at byte 15"):
        read_json_table(path)
