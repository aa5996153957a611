"""The People tab driven with qtbot: an HR export in its own column names imports through the wizard, a leaver whose
access was removed three business days after leaving (one allowed) shows as an exception, the stated time is set
undoably, the period's leavers become a control's population, and a person is added and edited by the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.conftest import wait_until_idle
from tests.ui.test_page_registers import _csv, _fill, _import, _ok, _page, _shown, context  # noqa: F401
from workbench.services.importers.kinds import spec_named
from workbench.services.populations import get_population
from workbench.services.registers import list_register

HR = [("Worker ID", "Legal Name", "Work Email", "Employment Type", "Job Title", "Hire Date", "Termination Date",
       "Access Revoked"),
      ("E1", "Ann Lee", "ann@acme.test", "Full-time", "Engineer", "2024-01-10", "2026-03-06", "2026-03-11"),
      ("E2", "Bob Roy", "bob@acme.test", "Full-time", "CTO", "2023-05-01", "", ""),
      ("E3", "Cy Dee", "cy@acme.test", "Contract", "Designer", "2026-02-01", "2026-04-03", "2026-04-03")]


def test_people_import_late_removal_stated_time_population_and_edits(qtbot, context, tmp_path):  # noqa: F811
    page, tab = _page(qtbot, context, "people")
    wizard = _import(qtbot, context, tab, _csv(tmp_path / "staff.csv", HR), button=True)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert _shown(tab) == ["E1", "E2", "E3"]
    assert page.tabs.tabText(page.tabs.currentIndex()) == "People (3)"
    # Friday 6 March, removed Wednesday 11 March: three business days against the one allowed.
    assert _shown(tab, "Removal") == ["late: 3 business days", "", "on time: 0 business days"]
    assert _shown(tab, "Exception") == ["yes", "", ""]
    assert "within 1 business day" in tab.summary.text() and "Late access removal (exception): E1." in \
        tab.summary.text()
    assert "1 joiner, 2 leavers" in tab.summary.text()
    tab.filter.setCurrentIndex(tab.filter.findText("Late access removal (exceptions)"))
    assert _shown(tab) == ["E1"]
    tab.filter.setCurrentIndex(tab.filter.findText("Contractors"))
    assert _shown(tab) == ["E3"]
    tab.filter.setCurrentIndex(0)

    # A newer export: its joiner, and a person it no longer lists (a possible leaver, not ended), on the result page.
    joiner = ("E4", "Dee Lin", "dee@acme.test", "Full-time", "Engineer", "2026-05-04", "", "")
    newer = _import(qtbot, context, tab, _csv(tmp_path / "newer.csv", [HR[0], HR[1], HR[3], joiner]), button=True)
    text = newer.result_label.text()
    assert "Joiners: Dee Lin." in text and "Possible leavers, not in this file" in text and "Bob Roy." in text
    qtbot.mouseClick(newer.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    context.history.undo()  # back to the first roster
    wait_until_idle(qtbot, context)
    assert _shown(tab) == ["E1", "E2", "E3"]

    # The stated time, set by its dialog: three business days make the removal on time; undo brings it back.
    qtbot.mouseClick(tab.days_button, Qt.MouseButton.LeftButton)
    tab.days_dialog.days.setValue(3)
    _ok(qtbot, tab.days_dialog, context)
    assert _shown(tab, "Exception") == ["", "", ""] and "within 3 business days" in tab.summary.text()
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert _shown(tab, "Exception") == ["yes", "", ""]
    assert [r["removal_exception"] for r in list_register(context.project, spec_named("people"))] == [
        True, None, False]

    # The period's leavers become the population of the event-driven control.
    qtbot.mouseClick(tab.population_button, Qt.MouseButton.LeftButton)
    chooser = tab.population_dialog
    assert [chooser.control.itemData(i) for i in range(chooser.control.count())] == ["IR-02"]
    assert chooser.which.currentData() == "leavers"
    _ok(qtbot, chooser, context)
    population = get_population(context.project, "IR-02")
    assert population is not None and population.row_count == 2
    assert context.undo_stack.undoText() == "Use the leavers as the population of IR-02"

    # Add a person, then record their access removal by editing them.
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    ref = tab.dialog.widgets["ref"].text()
    _fill(tab.dialog, name="Dee Fox", email="dee@acme.test")
    _ok(qtbot, tab.dialog, context)
    assert ref in _shown(tab) and context.undo_stack.undoText() == f"Add person {ref}"
    tab.select("E2")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    _fill(tab.dialog, role="Chief technology officer")
    _ok(qtbot, tab.dialog, context)
    assert "Chief technology officer" in _shown(tab, "Role")
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert "Chief technology officer" not in _shown(tab, "Role")

    # An edit that changes nothing is no edit.
    count = context.undo_stack.count()
    tab.select("E2")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    _ok(qtbot, tab.dialog, context)
    assert context.undo_stack.count() == count
