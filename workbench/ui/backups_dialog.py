"""The project's automatic backups: a list (taken at, why, size) and Restore… with confirmation.

The dialog only lists and asks; the restore itself needs the project closed, so the dialog emits
restore_requested(backup path) and the main window runs `restore_and_reopen` (below) with its own methods.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.backups import BackupInfo, backups_folder, list_backups, restore_backup
from workbench.ui.dates import shown_moment
from workbench.ui.operations import OperationContext, Operations
from workbench.ui.row_model import RowTableModel
from workbench.ui.tables import row_table, selected_record

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:,}"


def taken_text(backup: BackupInfo) -> str:
    """Return when a backup was taken, in the user's local time."""
    return shown_moment(backup.taken_at)


class BackupsModel(RowTableModel[BackupInfo]):
    """One backup per row: number, taken at, why, size, audit entries (or what is wrong with it)."""

    NUMBER, TAKEN, REASON, SIZE, CONTENT = range(5)
    HEADERS = ("#", "Taken at", "Why", "Size", "Contents")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return the text (or sort key) of one cell."""
        if not index.isValid():
            return None
        backup = self.rows[index.row()]
        column = index.column()
        if role == SORT_ROLE:
            keys = (backup.number, backup.taken_at, backup.reason_label, backup.size, backup.entries or -1)
            return keys[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return str(backup.number)
            if column == self.TAKEN:
                return taken_text(backup)
            if column == self.REASON:
                return backup.reason_label
            if column == self.SIZE:
                return _size(backup.size)
            return f"damaged: {backup.problem}" if backup.problem else f"{backup.entries:,} audit entries"
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.NUMBER, self.SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupsDialog(QDialog):
    """Lists a project's automatic backups (read on the worker) and asks before a restore."""

    restore_requested = Signal(object)  # Path of the backup to restore
    loaded = Signal()

    def __init__(self, project_path: Path, operations: Operations, parent: QWidget | None = None, *,
                 interactive: bool = True) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.operations = operations
        self.interactive = interactive  # False in tests: the confirmation is taken as given
        self.setWindowTitle(f"Backups of {self.project_path.name}")
        self.resize(760, 420)
        self.intro = QLabel(
            "A backup is taken each time the project is opened (unless nothing changed) and before an upgrade. "
            "Older ones are thinned: all from today, one a day for a week, one a week for two months."
        )
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = BackupsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = row_table(self.proxy, "Backups", sort_column=BackupsModel.NUMBER, row_numbers=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.ask_restore())
        self.empty_label = QLabel("No backups yet: one is taken the next time the project is opened.")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.ask_restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self) -> None:
        """Read the list of backups again, on the worker."""
        path = self.project_path

        def work(_context: OperationContext) -> tuple[Path, list[BackupInfo]]:
            return backups_folder(path), list_backups(path)

        self.operations.run(work, self._show, self._failed)

    def _show(self, result: tuple[Path, list[BackupInfo]]) -> None:
        folder, found = result
        self.folder_label.setText(f"Kept in {folder}")
        self.model.set_rows(found)
        self.empty_label.setVisible(not found)
        if found:
            self.table.selectRow(0)
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, exc: BaseException, _trace: str) -> None:
        self.folder_label.setText(f"The backups could not be listed: {exc}")
        self.model.set_rows([])
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> BackupInfo | None:
        """Return the backup selected in the list, if any."""
        return selected_record(self.table)

    def _update_buttons(self) -> None:
        backup = self.selected()
        self.restore_button.setEnabled(backup is not None and backup.problem is None)

    def confirm(self, backup: BackupInfo) -> bool:
        """Ask whether to restore this backup (always yes when not interactive)."""
        if not self.interactive:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question, "Restore backup",
            f"Put the backup taken {taken_text(backup)} ({backup.reason_label}) in place of "
            f"{self.project_path.name}?\n\nThe project is closed, the current file is kept as a new backup "
            f"(\"before restore\") so you can go back to it, and the project is opened again.",
            QMessageBox.StandardButton.Cancel, self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def ask_restore(self) -> None:
        """Confirm, then ask the main window to restore the selected backup and close the dialog."""
        backup = self.selected()
        if backup is None or backup.problem is not None:
            return
        if self.confirm(backup):
            self.restore_requested.emit(backup.path)
            self.accept()


def restore_and_reopen(
    operations: Operations,
    project_path: Path,
    backup: Path,
    *,
    close_project: Callable[[], None],
    open_path: Callable[[Path], None],
    failed: Callable[[BaseException, str], None],
    restored: Callable[[Path], None] | None = None,
    parent: QWidget | None = None,
) -> None:
    """Close the project, restore the backup on the worker, then open the project again (also after a failure,
    when the file was left as it was). The close is queued first, so the restore runs only once it is done."""
    close_project()

    def done(path: Path) -> None:
        open_path(path)
        if restored is not None:
            restored(backup)

    def fail(exc: BaseException, trace: str) -> None:
        failed(exc, trace)
        if project_path.exists():
            open_path(project_path)

    operations.run(lambda _context: restore_backup(project_path, backup), done, fail,
                   label="Restoring a backup", parent=parent)
