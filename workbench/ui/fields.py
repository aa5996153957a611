"""The pieces the program's forms are built from: a date, a multi-line text, a search field, OK and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from workbench.ui.dates import date_format


def qdate(value: date) -> QDate:
    """Return a date as Qt holds it."""
    return QDate(value.year, value.month, value.day)


def set_field(field: QLineEdit, text: str) -> None:
    """Show `text` in a field from its start (setText leaves the cursor at the end, showing a long text's tail)."""
    field.setText(text)
    field.setCursorPosition(0)


def date_edit(value: date | None = None, *, display: str | None = None, name: str = "") -> QDateEdit:
    """Return a date field with a calendar pop-up, shown as `display` (the GUI's date format when None), set to
    `value` and named if they are given."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(display or date_format())
    if value is not None:
        edit.setDate(qdate(value))
    if name:
        edit.setAccessibleName(name)
    return edit


def text_box(text: str = "", placeholder: str = "", *, max_height: int = 0, fixed_height: int = 0) -> QPlainTextEdit:
    """Return a multi-line text field that Tab leaves instead of typing a tab, limited in height if asked."""
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    if placeholder:
        box.setPlaceholderText(placeholder)
    if max_height:
        box.setMaximumHeight(max_height)
    if fixed_height:
        box.setFixedHeight(fixed_height)
    return box


def search_box(placeholder: str, name: str = "") -> QLineEdit:
    """Return a one-line field to search or filter with, with a button that clears it."""
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    if name:
        box.setAccessibleName(name)
    return box


def ok_cancel(dialog: QDialog, ok_text: str = "", *, on_ok: Callable[[], None] | None = None) -> QDialogButtonBox:
    """Return a dialog's OK and Cancel buttons: OK (labelled `ok_text` if given) accepts it, or calls `on_ok` if
    given; Cancel rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        ok_button(buttons).setText(ok_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def ok_button(buttons: QDialogButtonBox) -> QPushButton:
    """Return the OK button of an ok_cancel() pair."""
    return buttons.button(QDialogButtonBox.StandardButton.Ok)
