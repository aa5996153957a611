"""The system description: one plain-text editor per section, committed on focus loss or after a pause."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import DESCRIPTION_SECTIONS
from workbench.ui.fields import text_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.scope_checklist import status_icon

PAUSE_MS = 1500  # an edit is committed this long after the last keystroke
SECTION_HINTS = {
    "services": "What the system does for customers, and which services the report covers.",
    "commitments": "What you promise customers (contracts, SLAs) and what the system must do to keep it.",
    "infrastructure": "Hosting, networks, data centres and devices the system runs on.",
    "software": "Applications, databases and tools that make up or support the system.",
    "people": "The teams that build, run, secure and support the system.",
    "data": "The kinds of data the system holds and how they are classified and protected.",
    "procedures": "The manual and automated procedures that operate the system.",
    "incidents": "Significant incidents during the period, or a statement that there were none.",
    "changes": "Significant changes to the system during the period, or a statement that there were none.",
}


class DescriptionEditor(QWidget):
    """Emits committed(key, text) once per finished edit of a section."""

    committed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved: dict[str, str] = {key: "" for key, _ in DESCRIPTION_SECTIONS}
        self._before_sent: dict[str, str] = {}  # what a section held before its edit was sent to be saved
        self.editors: dict[str, QPlainTextEdit] = {}
        self._timers: dict[str, QTimer] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.sections = QListWidget()
        self.sections.setAccessibleName("Description sections")
        self.sections.setWordWrap(True)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setFixedWidth(250)
        self.stack = QStackedWidget()
        for key, title in DESCRIPTION_SECTIONS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sections.addItem(item)
            self.stack.addWidget(self._section_page(key, title))
        self.sections.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sections.setCurrentRow(0)
        layout.addWidget(self.sections)
        layout.addWidget(self.stack, 1)

    def _section_page(self, key: str, title: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        hint = plain_label(SECTION_HINTS[key])
        editor = text_box(placeholder=f"Describe {title.lower()} in plain words.")
        editor.setAccessibleName(f"Description: {title}")
        editor.installEventFilter(self)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(PAUSE_MS)
        timer.timeout.connect(lambda: self.commit(key))
        editor.textChanged.connect(lambda: self._typed(key))
        self.editors[key], self._timers[key] = editor, timer
        column.addWidget(hint)
        column.addWidget(editor, 1)
        return page

    def _typed(self, key: str) -> None:
        if self.editors[key].toPlainText() != self._saved[key]:
            self._timers[key].start()
        self._mark(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            for key, editor in self.editors.items():
                if editor is watched:
                    self.commit(key)
        return super().eventFilter(watched, event)

    def show_section(self, key: str) -> None:
        """Bring a section's editor forward and give it the focus."""
        keys = [k for k, _ in DESCRIPTION_SECTIONS]
        self.sections.setCurrentRow(keys.index(key))
        self.editors[key].setFocus()

    def commit(self, key: str) -> None:
        """Emit the section's edit if its text differs from what was saved."""
        self._timers[key].stop()
        text = self.editors[key].toPlainText()
        previous = self._saved[key]
        if text == previous:
            return
        self._before_sent[key] = previous
        self._saved[key] = text
        self.committed.emit(key, text)

    def landed(self, key: str) -> None:
        """The section's edit was saved."""
        self._before_sent.pop(key, None)

    def refused(self, key: str) -> None:
        """The section's edit was refused: what is typed is unsaved again (a reload keeps it)."""
        if key in self._before_sent:
            self._saved[key] = self._before_sent.pop(key)
            self._mark(key)

    def commit_all(self) -> None:
        """Commit every section with unsaved typing (before the page goes away)."""
        for key in self.editors:
            self.commit(key)

    def texts(self) -> dict[str, str]:
        """Return every section's text as typed."""
        return {key: editor.toPlainText() for key, editor in self.editors.items()}

    def saved(self) -> dict[str, str]:
        """Return every section's text as last saved (or sent to be saved)."""
        return dict(self._saved)

    def revert(self) -> None:
        """Show every section's saved text again, dropping what was typed since."""
        for key, editor in self.editors.items():
            self._timers[key].stop()
            if editor.toPlainText() != self._saved[key]:
                editor.blockSignals(True)
                editor.setPlainText(self._saved[key])
                editor.blockSignals(False)
                self._mark(key)

    def reset(self) -> None:
        """Forget every text and pending edit (another project was opened)."""
        self._before_sent.clear()
        for key, editor in self.editors.items():
            self._timers[key].stop()
            self._saved[key] = ""
            editor.blockSignals(True)
            editor.clear()
            editor.blockSignals(False)

    def set_texts(self, texts: Mapping[str, str]) -> None:
        """Show the stored texts; a section the user is still typing in keeps its typing."""
        for key, editor in self.editors.items():
            stored = texts.get(key, "")
            if key in self._before_sent:
                continue  # its edit is on its way: neither what was sent nor the typing is replaced
            untouched = editor.toPlainText() == self._saved[key]
            self._saved[key] = stored
            if untouched and editor.toPlainText() != stored:
                editor.blockSignals(True)
                editor.setPlainText(stored)
                editor.blockSignals(False)
            self._mark(key)

    def _mark(self, key: str) -> None:
        row = [k for k, _ in DESCRIPTION_SECTIONS].index(key)
        item = self.sections.item(row)
        written = bool(self.editors[key].toPlainText().strip())
        item.setIcon(status_icon(written))
        item.setToolTip("Written" if written else "Not written yet")
