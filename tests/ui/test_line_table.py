"""The two line editors built on LineTable: Add and Remove do what their buttons say, and the lines read back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from workbench.domain.entities import Csoc
from workbench.domain.vendors import UserControl
from workbench.ui.pages.scope_csocs import CsocEditor
from workbench.ui.pages.user_controls_editor import UserControlsEditor


def test_the_csoc_editors_buttons_add_a_line_to_type_and_remove_it(qtbot):
    editor = CsocEditor([Csoc(7, "They back up our database daily", ("A1.2",))])
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 2 and editor.table.currentRow() == 1
    editor.table.setItem(1, 0, QTableWidgetItem("They review their staff's access quarterly"))
    editor.table.setItem(1, 1, QTableWidgetItem("CC6.2"))
    assert editor.values() == (Csoc(7, "They back up our database daily", ("A1.2",)),
                               Csoc(0, "They review their staff's access quarterly", ("CC6.2",)))
    editor.table.setCurrentCell(0, 0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [c.text for c in editor.values()] == ["They review their staff's access quarterly"]


def test_the_user_controls_editors_add_button_adds_an_empty_line(qtbot):
    editor = UserControlsEditor(["AC-01", "AC-02"])
    qtbot.addWidget(editor)
    editor.set_values([UserControl("Keep your users' passwords secret", "AC-02")])
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 2
    assert editor.values() == (UserControl("Keep your users' passwords secret", "AC-02"),)  # the new line is empty
