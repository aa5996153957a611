"""A control's imported dates that would make the calendar expect nothing of it are pointed out, not taken silently."""

from __future__ import annotations

from pathlib import Path

from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS
from workbench.services.session import OpenProject


def test_dates_outside_the_period_or_out_of_order_are_warned_of(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_text("Control ID,Title,Implemented since,Retired on\nD-1,Future,2062-02-15,\n"
                    "D-2,Retired early,2024-01-01,2025-06-30\nD-3,Backwards,2026-03-01,2026-02-01\n"
                    "D-4,Fine,2026-02-15,\n", encoding="utf-8")
    result = import_register(new_project, CONTROLS, path)
    said = [(p["row"], p["field"], p["message"]) for p in result["problems"]]
    assert said == [
        (2, "implemented_since", "implemented since 2062-02-15, after the audit period ends (2026-06-30): nothing "
                                 "is expected of it in the period"),
        (3, "retired_on", "retired on 2025-06-30, before the audit period starts (2026-01-01): nothing is expected "
                          "of it in the period"),
        (4, "retired_on", "retired on 2026-02-01, before it was implemented (2026-03-01)"),
    ]
    assert [c.ref for c in list_controls(new_project)] == ["D-1", "D-2", "D-3", "D-4"]
