"""The user's small JSON files: read back as written, unreadable ones read as nothing, failed writes change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.user_files import read_user_file, write_user_file


def test_a_written_file_reads_back_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deeper" / "notes.json"
    write_user_file(target, {"name": "Zoë"}, indent=1)
    assert read_user_file(target) == {"name": "Zoë"}
    assert "Zoë" in target.read_text(encoding="utf-8")  # kept as text, not escaped
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.json"]


@pytest.mark.parametrize("content", [None, b"{not json", b"\xff\xfe\x00bad"])
def test_a_missing_or_damaged_file_reads_as_none(tmp_path: Path, content: bytes | None) -> None:
    target = tmp_path / "notes.json"
    if content is not None:
        target.write_bytes(content)
    assert read_user_file(target) is None


def test_a_write_that_fails_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    write_user_file(target, {"name": "Ana"})
    (tmp_path / ".notes.json.partial").mkdir()  # the temporary cannot be written
    with pytest.raises(OSError):
        write_user_file(target, {"name": "Ben"})
    assert read_user_file(target) == {"name": "Ana"}
