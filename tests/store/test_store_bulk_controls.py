"""Controls written in bulk (imports) leave the same audit trail as controls added one by one."""

from __future__ import annotations

import json

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.services.controls import add_control, list_controls
from workbench.services.integrity import check_project
from workbench.services.project import NewProject, create_project


def _draft(ref: str) -> ControlDraft:
    return ControlDraft(ref, "Quarterly access review", description="x" * 700, owner="Dana",
                        frequency=Frequency.QUARTERLY, nature=Nature.MANUAL, status=ControlStatus.IMPLEMENTED,
                        criteria=("CC6.3", "CC6.2"))


def test_bulk_and_single_writes_record_the_same_entries(tmp_path):
    with create_project(tmp_path / "bulk.soc2", NewProject("Bulk Co")) as project:
        add_control(project, _draft("ONE-1"))
        with project.uow() as uow:
            uow.controls.add_many([_draft("BULK-1")])
            uow.commit()
        assert all(result.ok for result in check_project(project))
        controls = {c.ref: c for c in list_controls(project)}
        assert controls["BULK-1"].criteria == controls["ONE-1"].criteria == ("CC6.2", "CC6.3")
        with project.uow() as uow:
            entries = [e for e in uow.audit.entries() if e.entity in ("controls", "control_criteria")]

    def shape(ref: str) -> list[tuple[str, str, dict]]:
        control_id = controls[ref].id
        found = []
        for entry in entries:
            summary = json.loads(entry.summary)["after"]
            if entry.entity == "controls" and entry.entity_key == ref:
                found.append((entry.action, entry.entity, {k: v for k, v in summary.items() if k not in ("id", "ref")}))
            elif entry.entity == "control_criteria" and summary["control_id"] == control_id:
                found.append((entry.action, entry.entity, {"criterion_id": summary["criterion_id"]}))
        return sorted(found, key=lambda item: (item[1], json.dumps(item[2], sort_keys=True)))

    assert shape("BULK-1") == shape("ONE-1")
    assert len(shape("BULK-1")) == 3
