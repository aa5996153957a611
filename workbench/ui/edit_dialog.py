"""The base of every dialog that edits a record: closing it with changes that are not saved asks first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from workbench.ui.pending_edits import FormEdit, PendingEdits


class EditDialog(QDialog):
    """Cancel, Escape or the close box with changes asks whether to save them; so does closing the window.

    Subclasses implement values() (what the dialog holds, as a plain value) and may implement refusal().
    The page that opens the dialog calls guard(context.edits) once it is filled.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edits: PendingEdits | None = None
        self._opened_with: Any = None
        self.form_edit = FormEdit(
            title=lambda: f"the changes in “{self.windowTitle()}”", read=self.values,
            stored=lambda: self._opened_with, submit=lambda _values: self.accept(),
            show=lambda: QDialog.reject(self), problem=lambda _values: self.refusal(), confirm=True,
        )

    def values(self) -> Any:
        """Return what the dialog holds."""
        raise TypeError(f"{type(self).__name__} must define values()")

    def refusal(self) -> str:
        """Return why what the dialog holds cannot be saved, or "" when it can."""
        return ""

    def guard(self, edits: PendingEdits) -> None:
        """Ask before changes are discarded, here and when the window closes, from now on."""
        self._edits = edits
        self._opened_with = self.values()
        edits.watch(self.form_edit, self, on_focus_out=False)
        self.finished.connect(lambda _result: edits.forget(self.form_edit))

    def reject(self) -> None:
        """Close without saving, after asking when there are changes (Save, Discard, or keep editing)."""
        if self._edits is None or not self.form_edit.pending():
            super().reject()
            return
        self._edits.leave(self.form_edit)  # saves (accept), discards (reject) or keeps the dialog open
