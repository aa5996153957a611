"""Adding an empty file as evidence is pointed out; a day to come is said once."""

from __future__ import annotations

from datetime import date

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.evidence_checks import evidence_warnings
from workbench.services.session import OpenProject


def test_an_empty_file_is_pointed_out_and_a_file_with_content_is_not(new_project: OpenProject) -> None:
    add_control(new_project, ControlDraft("Q-1", "Quarterly review", frequency=Frequency.QUARTERLY))
    empty = add_evidence_bytes(new_project, "empty.txt", b"", EvidenceMeta("Q-1", collected_on=date(2026, 2, 1)))
    full = add_evidence_bytes(new_project, "full.txt", b"x", EvidenceMeta("Q-1", collected_on=date(2026, 2, 2)))
    found = evidence_warnings(new_project, [empty.value, full.value], date(2026, 3, 1))
    assert found == {empty.value.id: ["the file is empty (0 bytes): it cannot show the control operating"]}


def test_a_day_still_to_come_is_said_once(new_project: OpenProject) -> None:
    add_control(new_project, ControlDraft("Q-1", "Quarterly review", frequency=Frequency.QUARTERLY))
    future = add_evidence_bytes(new_project, "f.txt", b"f", EvidenceMeta("Q-1", collected_on=date(2030, 1, 1)))
    found = evidence_warnings(new_project, [future.value], date(2026, 3, 1))[future.value.id]
    assert sum("2030-01-01" in w for w in found) == 1
