"""The Registers page driven with qtbot: each register's tab adds, edits, undoes, filters and imports; the risk tab
shows the heat maps, signs the assessment and refuses changes once signed; vendor reports map what they expect."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QPlainTextEdit, QWizard

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.wizard_steps import import_through_wizard
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.vendors import UserControl
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.importers.kinds import spec_named
from workbench.services.project import NewProject, create_project
from workbench.services.registers import list_register
from workbench.services.risks import risk_register
from workbench.services.vendors import vendor_register
from workbench.ui.import_wizard import ImportWizard
from workbench.ui.pages.record_form import RecordDialog
from workbench.ui.pages.registers import RegistersPage


@pytest.fixture
def context(qtbot, tmp_path):
    """A PageContext on a new Type II project with a few controls (failures signalled, not shown)."""
    from PySide6.QtGui import QUndoStack

    from workbench.ui.context import PageContext
    from workbench.ui.operations import Operations

    project = create_project(tmp_path / "registers.soc2", NewProject(
        "Acme Ltd", "Acme Cloud", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30)))
    for ref, title, frequency, criteria in (("RM-01", "Annual risk assessment", Frequency.ANNUAL, ("CC3.1", "CC3.2")),
                                            ("AC-01", "MFA", Frequency.CONTINUOUS, ("CC6.1",)),
                                            ("IR-02", "Incident logging", Frequency.EVENT_DRIVEN, ("CC7.3",)),
                                            ("BC-03", "Restore test", Frequency.QUARTERLY, ("CC7.5",))):
        add_control(project, ControlDraft(ref, title, frequency=frequency, nature=Nature.MANUAL, criteria=criteria))
    operations = Operations()
    made = PageContext(operations, QUndoStack(), interactive=False)
    made.set_project(project)
    yield made
    made.set_project(None)
    operations.wait(30)
    project.close()


def _page(qtbot, context, key: str):
    page = RegistersPage(context)
    show_page(qtbot, page)
    return page, page.show_register(key)


def _fill(dialog: RecordDialog, **values: object) -> None:
    for name, value in values.items():
        widget = dialog.widgets[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(dialog.options[name].index(value))
        elif hasattr(widget, "set_date"):
            widget.set_date(value)
        else:
            widget.setValue(value)  # type: ignore[attr-defined]


def _ok(qtbot, dialog, context) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def _shown(tab, column: str = "Ref") -> list[str]:
    index = tab.model.column_of(column)
    return [tab.proxy.index(row, index).data() for row in range(tab.proxy.rowCount())]


# (register, values of a new record, the field an edit changes and its new value, the column showing it, a filter
#  the new record passes, the text the edit shows)
CASES = [
    ("risks", {"scenario": "Phishing steals credentials", "likelihood": 4, "impact": 4, "controls": "AC-01"},
     ("owner", "Tomas"), "Owner", "High inherent risk (15+)"),
    ("vendors", {"name": "Okta", "data": "customer", "stops_service": True}, ("owner", "Aisha"), "Owner",
     "Critical"),
    ("incidents", {"title": "Pipeline backlog", "severity": "high", "customers_notified": True},
     ("root_cause", "Workers ran out of memory"), "Root cause", "Significant"),
    ("continuity-tests", {"scenario": "Restore the database", "kind": "restore", "rto_target": "4h",
                          "rto_achieved": "6h"}, ("issues", "Slow snapshot copy"), "Issues", "Targets missed"),
]


def _enum_values(tab, values: dict[str, object]) -> dict[str, object]:
    """Turn enum values given as text into the members the dialog's combo boxes hold."""
    from workbench.domain.continuity import ContinuityKind
    from workbench.domain.incidents import Severity
    from workbench.domain.vendors import DataAccess

    kinds = {"data": DataAccess, "severity": Severity, "kind": ContinuityKind}
    return {name: kinds[name](value) if name in kinds else value for name, value in values.items()}


@pytest.mark.parametrize(("key", "values", "edit", "column", "choice"), CASES, ids=[c[0] for c in CASES])
def test_each_register_adds_edits_undoes_and_filters(qtbot, context, key, values, edit, column, choice):
    page, tab = _page(qtbot, context, key)
    assert page.tabs.currentWidget() is tab and tab.model.rowCount() == 0
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    ref = dialog.widgets["ref"].text()
    assert ref.endswith("001")
    _fill(dialog, **_enum_values(tab, values))
    _ok(qtbot, dialog, context)
    assert _shown(tab) == [ref] and context.undo_stack.undoText() == f"Add {tab.noun} {ref}"
    assert page.tabs.tabText(page.tabs.currentIndex()) == f"{tab.title} (1)"
    listed = list_register(context.project, spec_named(key))
    assert [r["ref"] for r in listed] == [ref]

    # Edit the record through its dialog; undo puts the old value back.
    tab.select(ref)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    name, value = edit
    _fill(tab.dialog, **{name: value})
    _ok(qtbot, tab.dialog, context)
    assert _shown(tab, column) == [value]
    assert context.undo_stack.undoText() == f"Edit {tab.noun} {ref}"
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert _shown(tab, column) == [""]
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert _shown(tab, column) == [value]

    # The search and the filter narrow the table.
    tab.search.setText("no such words")
    assert _shown(tab) == [] and tab.shown.text() == "0 of 1 shown"
    tab.search.clear()
    tab.filter.setCurrentIndex(tab.filter.findText(choice))
    assert _shown(tab) == [ref]
    tab.filter.setCurrentIndex(0)

    # Remove, then undo the removal.
    tab.select(ref)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert _shown(tab) == []
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert _shown(tab) == [ref]


def _csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _import(qtbot, context, tab, path: Path, *, button: bool = False) -> ImportWizard:
    if button:
        qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    else:
        tab.view.setFocus()
        qtbot.keyClick(tab.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wizard = tab.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.spec is tab.spec
    return import_through_wizard(qtbot, wizard, context, path)


IMPORTS = [
    ("risks", [("Threat", "L", "I", "Inherent", "Mitigation", "Residual L", "Residual I", "Owner"),
               ("Phishing", "4", "4", "16", "MFA", "2", "3", "Tomas"), ("Region outage", "2", "5", "10", "", "", "",
                                                                       "Jordan")]),
    ("vendors", [("Supplier", "Purpose", "Tier"), ("Okta", "SSO", "Critical"), ("Slack", "Chat", "Low")]),
    ("vendor-reports", [("Vendor", "Report type", "Period end", "CUECs"),
                        ("Okta", "SOC 2 Type II", "2026-01-31", "Manage users [AC-01]\nProtect tokens")]),
    ("incidents", [("Ticket", "Summary", "Opened", "Sev"), ("INC-7", "Backlog", "2026-02-03", "SEV2"),
                   ("INC-8", "Phish", "2026-03-01", "P4")]),
    ("continuity-tests", [("Exercise", "Date", "RTO", "Actual RTO"), ("Restore", "2026-02-10", "4h", "2h"),
                          ("Failover", "2026-02-25", "8h", "9h")]),
]


@pytest.mark.parametrize(("key", "rows"), IMPORTS, ids=[c[0] for c in IMPORTS])
def test_each_register_imports_through_the_wizard_as_one_undoable_step(qtbot, context, tmp_path, key, rows):
    _page_shown, tab = _page(qtbot, context, key)
    wizard = _import(qtbot, context, tab, _csv(tmp_path / f"{key}.csv", rows))
    count = len(rows) - 1
    assert tab.model.rowCount() == count and context.undo_stack.count() == 1
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert tab.model.rowCount() == 0 and list_register(context.project, spec_named(key)) == []
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert tab.model.rowCount() == count
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)


def test_the_risk_tab_maps_signs_and_then_refuses_changes_until_the_next_assessment(qtbot, context, tmp_path):
    _page_shown, tab = _page(qtbot, context, "risks")
    _import(qtbot, context, tab, _csv(tmp_path / "risks.csv", IMPORTS[0][1]))
    assert tab.heat_map.inherent.at(4, 4) == ("R-001",) and tab.heat_map.inherent.at(2, 5) == ("R-002",)
    assert tab.heat_map.residual.at(2, 3) == ("R-001",) and tab.heat_map.residual.unplaced == ("R-002",)
    assert "R-001, R-002" in tab.summary.text()  # neither names a control of the project yet
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)
    dialog = tab.sign_dialog
    assert dialog.control.currentData() == "RM-01"  # the risk-assessment control, found by its criteria
    dialog.name.setText("Priya Natarajan")
    _ok(qtbot, dialog, context)
    assert "signed" in tab.assessment_label.text() and "read-only" in tab.assessment_label.text()
    assert not tab.add_button.isEnabled() and tab.next_button.isEnabled()
    (evidence,) = list_evidence(context.project, "RM-01")
    assert evidence.filename.startswith("risk-assessment-")
    tab.select("R-001")
    with qtbot.waitSignal(context.failed, timeout=20_000) as refusal:
        tab.view.doubleClicked.emit(tab.view.currentIndex())
    assert "is read-only; start the next assessment" in refusal.args[0]

    qtbot.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert tab.add_button.isEnabled() and _shown(tab) == ["R-001", "R-002"]
    assert len(risk_register(context.project).assessments) == 2


def test_a_vendor_reports_user_controls_are_mapped_in_its_dialog(qtbot, context, tmp_path):
    _page_shown, tab = _page(qtbot, context, "vendor-reports")
    _import(qtbot, context, tab, _csv(tmp_path / "reports.csv", IMPORTS[2][1]))
    assert "1 controls vendors' reports expect of you are not mapped" in tab.summary.text()
    tab.filter.setCurrentIndex(tab.filter.findText("With controls expected of us not mapped"))
    assert _shown(tab) == ["VR-001"]
    tab.select("VR-001")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog.widgets["user_controls"]
    assert editor.values() == (UserControl("Manage users", "AC-01"), UserControl("Protect tokens"))
    box = editor.table.cellWidget(1, 1)
    box.setCurrentIndex(box.findData("AC-01"))
    _ok(qtbot, tab.dialog, context)
    assert _shown(tab) == [] and tab.summary.text() == ""
    (report,) = vendor_register(context.project).reports
    assert report.unmapped == ()


def test_a_subservice_vendor_is_listed_on_the_scope_page_and_incidents_feed_dc4_and_a_population(qtbot, context,
                                                                                                    tmp_path):
    from workbench.services.populations import get_population
    from workbench.services.scope import get_scope

    page, vendors = _page(qtbot, context, "vendors")
    wizard = _import(qtbot, context, vendors, _csv(tmp_path / "vendors.csv", [
        ("Vendor", "Service", "Subservice organisation"), ("CloudCo", "Hosting", "Carve-out")]))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert "Subservice organisations not on the scope page: CloudCo." in vendors.summary.text()
    assert vendors.model.index(0, vendors.model.column_of("Subservice")).data() == "Carve out (not on the scope page)"
    vendors.select("V-001")
    qtbot.mouseClick(vendors.scope_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert [(s.name, s.method.value) for s in get_scope(context.project).subservices] == [("CloudCo", "carve_out")]
    assert "scope page" not in vendors.summary.text()
    assert "without a review in 12 months: CloudCo" in vendors.summary.text()
    assert context.undo_stack.undoText() == "List CloudCo on the scope page"

    incidents = page.show_register("incidents")
    _import(qtbot, context, incidents, _csv(tmp_path / "incidents.csv", IMPORTS[3][1]), button=True)
    qtbot.mouseClick(incidents.describe_button, Qt.MouseButton.LeftButton)
    dialog = incidents.describe_dialog
    assert "INC-7 (2026-02-03): Backlog; severity high." in dialog.values() and "INC-8" not in dialog.values()
    _ok(qtbot, dialog, context)
    assert get_scope(context.project).description["dc4"].startswith("The following incidents")
    qtbot.mouseClick(incidents.population_button, Qt.MouseButton.LeftButton)
    chooser = incidents.population_dialog
    assert [chooser.control.itemData(i) for i in range(chooser.control.count())] == ["IR-02"]
    _ok(qtbot, chooser, context)
    population = get_population(context.project, "IR-02")
    assert population is not None and population.row_count == 2
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert get_population(context.project, "IR-02") is None
