"""The import wizard, driven as a user would, on messy workbooks built with openpyxl: the same steps for every
kind of register through one code path, then what is particular to the control register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWizard

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_import_wizard_requests import pbc_list
from workbench.services.controls import list_controls
from workbench.services.importers.kinds import CONTROLS, REQUESTS
from workbench.services.importers.spec import RegisterSpec
from workbench.services.registers import list_register
from workbench.services.session import open_project
from workbench.store.digest import content_digest
from workbench.ui.import_wizard import MAPPING_PAGE, PROBLEMS_PAGE, RESULT_PAGE, SHEET_PAGE, ImportWizard
from workbench.ui.pages.audit import AuditPage
from workbench.ui.pages.controls import ControlsPage

HEADER = ["Ctrl #", "Control Activity", "Control Description", "Control Owner", "Freq.", "TSC\nRef(s)", "Status",
          "Manual / Automated", "Comments"]
NEW_REFS = {"IMP-01", "IMP-02", "IMP-03", "IMP-04", "IMP-05"}


def messy_register(path: Path) -> Path:
    """Cover and hidden list sheets first; two title rows above the header on row 4; merged section rows."""
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["B2"] = "Acme Ltd"
    cover["B4"] = "SOC 2 readiness: control register"
    lists = book.create_sheet("Lists")
    lists.append(["Frequency", "Status"])
    lists.append(["Annual", "Implemented"])
    lists.sheet_state = "hidden"
    sheet = book.create_sheet("Control Register")
    sheet["A1"] = "Acme Ltd: SOC 2 control register"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "Version 3, reviewed 2026-01-05"
    sheet.append([])
    sheet.append(HEADER)  # row 4
    sheet.append(["Access control"])  # row 5, a section across merged cells
    sheet.merge_cells("A5:I5")
    rows: list[list[Any]] = [
        ["IMP-01", "Access reviews", "Quarterly review", "Jane Doe", "Qtrly", "CC6.1, CC 6.2", "Implemented",
         "Manual", ""],  # 6
        ["IMP-02", "MFA enforced", "MFA everywhere", "Ana Müller", "Continuous", "SOC 2 CC6.1 / CC6.6",
         "In progress", "Automated", "via SSO"],  # 7
        ["IMP-01", "Access reviews again", "", "Someone", "Annual", "CC6.1", "", "", ""],  # 8: duplicate
    ]
    for row in rows:
        sheet.append(row)
    sheet.append(["Operations"])  # row 9, a section
    sheet.merge_cells("A9:I9")
    sheet.append(["IMP-03", "Backups", "Daily backups", "Ops", "Daily", "A1.2 CC10.1", "Implemented",
                  "Automated", ""])  # 10: CC10.1 is not a criterion
    sheet.append(["", "Orphan without an ID", "", "", "", "CC1.1", "", "", ""])  # 11: error
    sheet.append(["IMP-04", "Change approval", "Changes approved", "Dev lead", "Per event", "CC8.1", "",
                  "Manual", ""])  # 12
    sheet.append(["IMP-05", "Monitoring", "Alerts reviewed", "SRE", "Fortnightly-ish", "CC7.2", "", "",
                  ""])  # 13: unknown frequency
    book.active = 2
    book.save(path)
    return path


def _wizard(qtbot, context) -> ImportWizard:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _choose(qtbot, wizard: ImportWizard, context, path: Path) -> None:
    """Type the path and press Enter, as a user would."""
    wizard.path_edit.setFocus()
    qtbot.keyClicks(wizard.path_edit, str(path))
    qtbot.keyClick(wizard.path_edit, Qt.Key.Key_Return)
    wait_until_idle(qtbot, context)


def _next(qtbot, wizard: ImportWizard, context) -> None:
    button = wizard.button(QWizard.WizardButton.CommitButton
                           if wizard.currentPage().isCommitPage() else QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def _to_mapping(qtbot, context, path: Path) -> ImportWizard:
    wizard = _wizard(qtbot, context)
    _choose(qtbot, wizard, context, path)
    _next(qtbot, wizard, context)
    _next(qtbot, wizard, context)
    assert wizard.currentId() == MAPPING_PAGE
    return wizard


def _refs(context) -> set[str]:
    """Read the controls back through the services once the worker is idle."""
    assert not context.operations.busy
    return {c.ref for c in list_controls(context.project)}


def test_right_sheet_and_header_row_are_preselected(qtbot, page_context, tmp_path):
    wizard = _wizard(qtbot, page_context)
    _choose(qtbot, wizard, page_context, messy_register(tmp_path / "register.xlsx"))
    assert wizard.file_error.isHidden()
    assert "“Control Register”" in wizard.file_status.text() and "row 4" in wizard.file_status.text()
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == SHEET_PAGE
    items = [wizard.sheet_list.item(i).text() for i in range(wizard.sheet_list.count())]
    assert items == ["Cover  (cover or list sheet)", "Lists  (hidden)", "Control Register"]
    assert wizard.sheet_list.currentItem().text() == "Control Register"
    assert wizard.header_spin.value() == 4
    assert wizard.rows_model.header_row == 4
    assert wizard.rows_model.index(3, 0).data() == "Ctrl #"
    assert wizard.rows_model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert wizard.rows_model.index(4, 0).data(Qt.ItemDataRole.BackgroundRole) is None

    wizard.sheet_list.setCurrentRow(0)  # the user looks at the cover sheet
    wait_until_idle(qtbot, page_context)
    assert wizard.sheet_rows.sheet == "Cover"
    assert wizard.rows_model.index(1, 1).data() == "Acme Ltd"
    assert wizard.header_spin.text() == "none"  # no row of the cover looks like a header
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.sheet_list.setCurrentRow(2)
    wait_until_idle(qtbot, page_context)
    qtbot.mouseClick(wizard.rows_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=wizard.rows_view.visualRect(wizard.rows_model.index(1, 0)).center())
    assert wizard.header_spin.value() == 2 and wizard.rows_model.header_row == 2
    wizard.header_spin.setValue(4)
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == MAPPING_PAGE
    chosen = {field: box.currentText() for field, box in wizard.field_boxes.items()}
    assert chosen["ref"] == "A · Ctrl #"
    assert chosen["criteria"] == "F · TSC Ref(s)"
    assert chosen["owner"] == "D · Control Owner"


def test_changing_a_mapping_updates_the_preview(qtbot, page_context, tmp_path):
    wizard = _to_mapping(qtbot, page_context, messy_register(tmp_path / "register.xlsx"))
    first = {r.row: (r.action, r.ref) for r in wizard.plan_model.rows}
    assert first[5][0] == "skip" and first[6] == ("create", "IMP-01") and first[11][0] == "problem"
    assert "5 to create" in wizard.mapping_status.text()

    wizard.set_field_column("ref", None)  # the user sets the control ID to "not imported"
    wait_until_idle(qtbot, page_context)
    assert wizard.plan_model.rowCount() == 0
    assert "control ID" in wizard.mapping_error.text() and wizard.mapping_error.isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    wizard.set_field_column("ref", "Control Owner")  # a column with a value on every row but one
    wait_until_idle(qtbot, page_context)
    after = {r.row: (r.action, r.ref) for r in wizard.plan_model.rows}
    assert after[6] == ("create", "Jane Doe")
    assert after[11][0] == "problem"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    wizard.set_field_column("ref", "Ctrl #")
    wizard.set_field_column("criteria", None)
    wait_until_idle(qtbot, page_context)
    assert {r.row: (r.action, r.ref) for r in wizard.plan_model.rows}[6] == ("create", "IMP-01")
    assert wizard.preview.plan is not None and "criteria" not in wizard.preview.plan.mapping
    assert all(not r.record.criteria for r in wizard.preview.plan.rows if r.record is not None)


def test_problems_are_listed_by_row_and_column_with_counts(qtbot, page_context, tmp_path):
    wizard = _to_mapping(qtbot, page_context, messy_register(tmp_path / "register.xlsx"))
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == PROBLEMS_PAGE
    counts = wizard.counts_label.text()
    assert "5 to create · 0 to update · 0 unchanged · 1 merged · 2 skipped · 1 with errors" in counts
    problems = [(p.row, p.column, p.level) for p in wizard.problems_model.rows]
    messages = {p.row: p.message for p in wizard.problems_model.rows}
    # Row 8 names IMP-01 again: its criteria join row 6's, its other title is named and left out.
    assert (8, "B · Control Activity", "warning") in problems and "IMP-01 already appears on row 6" in messages[8]
    assert (10, "F · TSC Ref(s)", "warning") in problems and "CC10.1" in messages[10]
    assert (11, "A · Ctrl #", "error") in problems
    assert (13, "E · Freq.", "warning") in problems and "Fortnightly-ish" in messages[13]
    shown = wizard.problems_view.model()
    view_rows = [shown.index(i, 0).data() for i in range(shown.rowCount())]
    assert view_rows == sorted(view_rows, key=int)
    assert wizard.button(QWizard.WizardButton.CommitButton).text().replace("&", "") == "Import"
    assert _refs(page_context).isdisjoint(NEW_REFS)  # nothing written before Import


def test_finishing_imports_as_one_undoable_step(qtbot, page_context, tmp_path):
    path = page_context.project.path
    before = _refs(page_context)
    wizard = _to_mapping(qtbot, page_context, messy_register(tmp_path / "register.xlsx"))
    _next(qtbot, wizard, page_context)
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == RESULT_PAGE
    assert "5 controls created" in wizard.result_label.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    stack = page_context.undo_stack
    assert stack.count() == 1
    assert stack.undoText() == "Import 5 controls from register.xlsx"
    assert _refs(page_context) == before | NEW_REFS

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _refs(page_context) == before
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    project = page_context.project
    page_context.set_project(None)
    page_context.operations.wait(30)
    project.close()
    with open_project(path) as reopened:
        controls = {c.ref: c for c in list_controls(reopened)}
    assert set(controls) == before | NEW_REFS
    assert controls["IMP-02"].owner == "Ana Müller"
    assert tuple(sorted(controls["IMP-02"].criteria)) == ("CC6.1", "CC6.6")
    assert controls["IMP-01"].title == "Access reviews"
    assert controls["IMP-03"].criteria == ("A1.2",)


def test_reimport_updates_and_undo_restores_the_previous_values(qtbot, page_context, tmp_path):
    register = messy_register(tmp_path / "register.xlsx")
    first = _to_mapping(qtbot, page_context, register)
    _next(qtbot, first, page_context)
    _next(qtbot, first, page_context)
    from openpyxl import load_workbook

    book = load_workbook(register)
    book["Control Register"]["D6"] = "John Roe"
    book.save(register)
    second = _to_mapping(qtbot, page_context, register)
    assert "0 to create · 1 to update · 4 unchanged" in second.mapping_status.text()
    _next(qtbot, second, page_context)
    _next(qtbot, second, page_context)
    assert page_context.undo_stack.undoText() == "Import 1 control from register.xlsx"
    assert {c.ref: c.owner for c in list_controls(page_context.project)}["IMP-01"] == "John Roe"
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    owners = {c.ref: c.owner for c in list_controls(page_context.project)}
    assert owners["IMP-01"] == "Jane Doe" and set(owners) >= NEW_REFS


def test_a_broken_file_shows_one_line_and_creates_nothing(qtbot, page_context, tmp_path):
    before = _refs(page_context)
    good = messy_register(tmp_path / "good.xlsx").read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good[: len(good) // 2])
    wizard = _wizard(qtbot, page_context)
    _choose(qtbot, wizard, page_context, broken)
    message = wizard.file_error.text()
    assert wizard.file_error.isVisible()
    assert str(broken) in message and "damaged or truncated" in message
    assert "\n" not in message and "Traceback" not in message
    assert wizard.workbook is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.currentId() == 0

    missing = tmp_path / "nowhere.xlsx"
    wizard.path_edit.clear()
    _choose(qtbot, wizard, page_context, missing)
    assert "does not exist" in wizard.file_error.text()
    assert page_context.undo_stack.count() == 0
    assert _refs(page_context) == before


def test_controls_page_opens_the_wizard_with_ctrl_i(qtbot, page_context):
    page = ControlsPage(page_context)
    show_page(qtbot, page)
    assert page.import_button.toolTip().endswith("(Ctrl+I)")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(page.import_wizard, ImportWizard)
    assert page.import_wizard.isVisible()
    page.import_wizard.reject()


def test_a_dropped_file_is_read_and_a_header_without_data_is_refused_on_the_page(qtbot, page_context, tmp_path):
    register = messy_register(tmp_path / "dropped register.xlsx")
    wizard = _wizard(qtbot, page_context)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(register))])
    page = wizard.currentPage()
    position = QPointF(page.rect().center())
    enter = QDragEnterEvent(page.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(page, QDropEvent(position, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                            Qt.KeyboardModifier.NoModifier))
    wait_until_idle(qtbot, page_context)
    assert wizard.path_edit.text() == str(register)
    assert wizard.workbook is not None and wizard.workbook.guessed.sheet == "Control Register"
    _next(qtbot, wizard, page_context)
    wizard.header_spin.setValue(13)  # the last row: nothing below it to import
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == SHEET_PAGE
    assert "no data rows below row 13" in wizard.sheet_error.text() and wizard.sheet_error.isVisible()
    assert page_context.undo_stack.count() == 0


# -- the same steps for every kind, through one code path ----------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """What one kind's run of the wizard starts from and should show."""

    spec: RegisterSpec
    page: type
    shortcut: Qt.KeyboardModifier
    make: Callable[[Path], Path]
    sheet: str
    header_row: int
    key_column: str
    label_column: str
    first: tuple[int, str, str]  # (row, key, label) of a created row in the preview
    counts: str  # the preview's counts, before anything is written
    created: set[str]


KINDS = [
    Kind(CONTROLS, ControlsPage, Qt.KeyboardModifier.ControlModifier, messy_register, "Control Register", 4,
         "A · Ctrl #", "B · Control Activity", (7, "IMP-02", "MFA enforced"),
         "5 to create · 0 to update · 0 unchanged · 1 merged · 2 skipped · 1 with errors", NEW_REFS),
    Kind(REQUESTS, AuditPage, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
         lambda path: pbc_list(path, ambiguous=False), "PBC List", 3, "A · Request #", "B · Request Description",
         (4, "FW-01", "System description draft"),
         "4 to create · 1 to update · 0 unchanged · 0 skipped · 0 with errors", {"FW-01", "FW-02", "FW-03", "FW-04"}),
]


def _digest(context) -> str:
    assert not context.operations.busy
    with context.project.file.engine.connect() as connection:
        return content_digest(connection, history=False)


def _keys(context, spec: RegisterSpec) -> set[str]:
    assert not context.operations.busy
    return {row[spec.key] for row in list_register(context.project, spec)}


def _open_from_page(qtbot, context, kind: Kind) -> ImportWizard:
    page = kind.page(context)
    show_page(qtbot, page)
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_I, kind.shortcut)
    wizard = page.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.isVisible() and wizard.spec is kind.spec
    return wizard


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.spec.kind)
def test_every_kind_goes_through_the_same_steps_and_undo_restores_the_project(qtbot, page_context, tmp_path,
                                                                             kind: Kind):
    before, keys_before = _digest(page_context), _keys(page_context, kind.spec)
    wizard = _open_from_page(qtbot, page_context, kind)
    path = kind.make(tmp_path / "register.xlsx")
    _choose(qtbot, wizard, page_context, path)
    assert f"“{kind.sheet}”" in wizard.file_status.text() and f"row {kind.header_row}" in wizard.file_status.text()
    _next(qtbot, wizard, page_context)
    assert wizard.header_spin.value() == kind.header_row
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == MAPPING_PAGE
    boxes = wizard.field_boxes
    assert boxes[kind.spec.key].currentText() == kind.key_column
    assert boxes[kind.spec.label].currentText() == kind.label_column
    assert kind.counts in wizard.mapping_status.text()
    model = wizard.plan_model
    shown = {model.index(i, 0).data(): (model.index(i, model.column_of(kind.spec.key)).data(),
                                        model.index(i, model.column_of(kind.spec.label)).data())
             for i in range(model.rowCount())}
    row, key, label = kind.first
    assert shown[str(row)] == (key, label)
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == PROBLEMS_PAGE and kind.counts in wizard.counts_label.text()
    assert _digest(page_context) == before  # nothing written before Import
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == RESULT_PAGE and wizard.result_error.isHidden()
    assert _keys(page_context, kind.spec) == keys_before | kind.created
    stack = page_context.undo_stack
    assert stack.count() == 1
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _digest(page_context) == before  # records, remembered layout and the kind's own memory all put back
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    assert _keys(page_context, kind.spec) == keys_before | kind.created
    again = _open_from_page(qtbot, page_context, kind)
    _choose(qtbot, again, page_context, path)
    _next(qtbot, again, page_context)
    _next(qtbot, again, page_context)
    assert "0 to create · 0 to update" in again.mapping_status.text()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.spec.kind)
def test_every_kind_can_give_rows_without_an_id_a_generated_one(qtbot, page_context, tmp_path, kind: Kind):
    book = Workbook()
    spec = kind.spec
    book.active.append([spec.field(spec.key).label, spec.field(spec.label).label, "Owner"])
    book.active.append(["", "Penetration test", "Sec team"])
    book.active.append(["", "Vendor list", "Finance"])
    book.save(tmp_path / "noids.xlsx")
    wizard = _open_from_page(qtbot, page_context, kind)
    _choose(qtbot, wizard, page_context, tmp_path / "noids.xlsx")
    _next(qtbot, wizard, page_context)
    _next(qtbot, wizard, page_context)
    assert "0 to create" in wizard.mapping_status.text() and "2 with errors" in wizard.mapping_status.text()
    qtbot.mouseClick(wizard.generate_box, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)
    assert wizard.generate_ids and "2 to create" in wizard.mapping_status.text()
    made = {r.key for r in wizard.plan_model.rows}
    assert all(key.startswith(spec.id_prefix) for key in made) and len(made) == 2
    _next(qtbot, wizard, page_context)
    _next(qtbot, wizard, page_context)
    assert _keys(page_context, spec) >= made
