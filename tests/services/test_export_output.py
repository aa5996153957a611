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


@pytest.mark.parametrize("below", [("out.docx",), ("deeper", "out.docx")])
def test_a_folder_that_is_a_file_is_named_as_a_file(tmp_path: Path, below: tuple[str, ...]) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    target = tmp_path.joinpath("empty.md", *below)
    with pytest.raises(WorkbenchError) as raised, atomic_output(target):
        pass
    assert str(raised.value) == f"{target} : {tmp_path / 'empty.md'} is a file, not a folder"
    assert (tmp_path / "empty.md").read_text(encoding="utf-8") == "" and sorted(tmp_path.iterdir()) == [
        tmp_path / "empty.md"]
