"""What an export says when writing fails: the target, or the other file that failed while writing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.exports.output import atomic_output


def test_a_missing_file_read_while_writing_is_named_not_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    missing = tmp_path / "templates" / "default-header.xml"
    with pytest.raises(WorkbenchError) as raised, atomic_output(target):
        missing.read_bytes()
    message = str(raised.value)
    assert str(missing) in message and "nothing was written" in message
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_missing_folder_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "out.pdf"
    with pytest.raises(WorkbenchError) as raised, atomic_output(target):
        pass
    assert str(target) in str(raised.value) and "folder does not exist" in str(raised.value)
