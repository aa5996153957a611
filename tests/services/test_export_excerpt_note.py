"""The note under an evidence excerpt says how much of the file is shown, in words that fit it (QA E3)."""

from __future__ import annotations

import pytest

from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.exports.pdf_parts import excerpt, prepare


def test_a_one_line_five_mib_file_is_said_to_show_the_first_characters_of_its_one_line(new_project):
    add_control(new_project, ControlDraft("ZZ-01", "Scans", criteria=("CC6.1",)))
    data = b'{"Results": [' + b'{"x": 1}, ' * (5 * 1024 * 1024 // 10) + b"]}"
    evidence = add_evidence_bytes(new_project, "trivy.json", data, EvidenceMeta("ZZ-01")).value
    content = prepare(new_project, evidence)
    assert content.note == "Excerpt: the first 300 characters of its one 5.0 MiB line."
    assert "lines" not in content.note


@pytest.mark.parametrize(("head", "cut", "total", "size", "note"), [
    (b"x" * 500, False, 1, 500, "Excerpt: the first 300 characters of its one 500-byte line."),
    (b"y" * 70_000, True, 2, 90_000, "Excerpt: the first of 2 lines; lines longer than 300 characters shortened."),
    (b"ab\n" + b"y" * 70_000, True, 5, 90_000, "Excerpt: the first 2 of 5 lines; lines longer than 300 characters "
                                                "shortened."),
    (b"ab\ncd\nef" + b"y" * 70_000, True, 3, 90_000, "Excerpt: its 3 lines, the last only in part; lines longer "
                                                      "than 300 characters shortened."),
    (b"line\n" * 100, False, 100, 500, "Excerpt: the first 60 of 100 lines."),
    (b"line\n" * 3, False, 3, 15, ""),
])
def test_excerpt_notes_count_lines_right(head, cut, total, size, note):
    assert excerpt(head, cut, total, size).note == note
