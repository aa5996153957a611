"""The population's dialog: each item of an imported pull-request list with the checks it failed, read on the
worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.session import OpenProject
from workbench.ui.pages.evidence_model import format_date

PRS = Path(__file__).parents[1] / "fixtures" / "prs"


def test_the_dialog_lists_each_merged_pr_with_the_checks_it_failed(qtbot, new_project: OpenProject) -> None:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget

    from workbench.ui.context import PageContext
    from workbench.ui.operations import Operations
    from workbench.ui.pages.population_dialog import show_population_items

    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    import_register(new_project, POPULATIONS, PRS / "prs-utf16le-bom.json", details=(("control", "CHG-1"),))
    operations = Operations()
    context = PageContext(operations, QUndoStack(), interactive=False)
    context.set_project(new_project)
    parent = QWidget()
    qtbot.addWidget(parent)
    try:
        show_population_items(context, "CHG-1", parent)
        qtbot.waitUntil(lambda: hasattr(parent, "population_items_dialog"), timeout=20_000)
        dialog = parent.population_items_dialog
        assert dialog.windowTitle() == "Population of CHG-1"
        assert dialog.summary.text() == "4 items. 2 of 4 merged pull requests failed a change check."
        assert [dialog.row_texts(r) for r in range(dialog.table.rowCount())] == [
            ["101", format_date(date(2026, 2, 10)), "yes", ""],
            ["102", format_date(date(2026, 3, 5)), "yes", "approved only by its author"],
            ["103", format_date(date(2026, 4, 1)), "yes", "merged without an approving review"],
            ["104", format_date(date(2026, 5, 1)), "yes", ""]]
        assert "title: Export audit logs to the archive bucket" in dialog.table.item(1, 0).toolTip()
        dialog.close()
    finally:
        context.set_project(None)
        operations.wait(30)
