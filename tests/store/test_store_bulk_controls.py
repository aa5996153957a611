"""Controls written in bulk (imports) are recorded in the audit trail with every value they were created with."""

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
                        criteria=("CC6.3", "CC6.2", "CC6.3"))


def test_a_bulk_write_is_one_chained_entry_holding_every_created_control(tmp_path):
    with create_project(tmp_path / "bulk.soc2", NewProject("Bulk Co")) as project:
        add_control(project, _draft("ONE-1"))
        with project.uow() as uow:
            uow.controls.add_many([_draft("BULK-1"), _draft("BULK-2")])
            uow.commit()
        assert all(result.ok for result in check_project(project))
        controls = {c.ref: c for c in list_controls(project)}
        assert controls["BULK-1"].criteria == controls["ONE-1"].criteria == ("CC6.2", "CC6.3")
        assert controls["BULK-2"].id == controls["BULK-1"].id + 1
        with project.uow() as uow:
            single = [e for e in uow.audit.entries() if e.entity == "controls" and e.entity_key == "ONE-1"]
            bulk = [e for e in uow.audit.entries() if e.entity == "controls" and "BULK" in e.entity_key]

    assert len(bulk) == 1 and bulk[0].action == "create"
    assert bulk[0].entity_key == "BULK-1 .. BULK-2 (2 controls)"
    table = json.loads(bulk[0].summary)
    created = [dict(zip(table["columns"], row, strict=True)) for row in table["created"]]
    one = json.loads(single[0].summary)["after"]
    for row in created:
        assert {k: v for k, v in row.items() if k not in ("id", "ref", "criteria")} == {
            k: v for k, v in one.items() if k not in ("id", "ref")}
        assert row["criteria"] == ["CC6.2", "CC6.3"]
        assert row["id"] == controls[row["ref"]].id
    assert one["description"].endswith("(700 characters)")
