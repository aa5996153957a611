"""The system description on DC1-DC9: one plain-text editor per section and DC3 part, committed on focus loss or
after a pause, with what the section must cover and what the program fills in from the project shown beside it."""

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

from workbench.domain.description import (
    DC_HEADINGS,
    DESCRIPTION_KEYS,
    DESCRIPTION_SECTIONS,
    DcSection,
    DcTable,
    SystemDescription,
    hint_of,
)
from workbench.ui.fields import text_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.scope_checklist import status_icon

PAUSE_MS = 1500  # an edit is committed this long after the last keystroke
FILLED_KEYS = ("dc3", "dc4", "dc5", "dc6", "dc7", "dc8", "dc9")  # sections the program adds tables to
CHECKLISTS = {h.key: h.checklist for h in DC_HEADINGS}


def table_text(table: DcTable) -> str:
    """Return a filled table as plain lines: its title, then one line per row (or that there is none yet)."""
    lines = [f"{table.title}:"]
    lines += [" - " + " | ".join(cell.replace("\n", "; ") for cell in row if cell) for row in table.rows]
    if not table.rows:
        lines.append(" - none yet")
    return "\n".join(lines)


def filled_text(section: DcSection) -> str:
    """Return everything the program fills into a section, as plain text."""
    return "\n\n".join(table_text(t) for t in section.tables)


class DescriptionEditor(QWidget):
    """Emits committed(key, text) once per finished edit of a section."""

    committed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved: dict[str, str] = {key: "" for key in DESCRIPTION_KEYS}
        self._before_sent: dict[str, str] = {}  # what a section held before its edit was sent to be saved
        self.editors: dict[str, QPlainTextEdit] = {}
        self.filled: dict[str, QPlainTextEdit] = {}  # read-only: what the program fills in, per DC section
        self._timers: dict[str, QTimer] = {}
        self._has_filled: set[str] = set()  # sections with something filled in from the project (or DC3's parts)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.sections = QListWidget()
        self.sections.setAccessibleName("Description sections")
        self.sections.setWordWrap(True)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setFixedWidth(190)
        self.stack = QStackedWidget()
        for key, title in DESCRIPTION_SECTIONS:
            shown = title if "." not in key else "    " + title.split(" ", 1)[1]  # DC3's parts, indented
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sections.addItem(item)
            self.stack.addWidget(self._section_page(key, title))
        self.sections.currentRowChanged.connect(self._row_changed)
        self.sections.setCurrentRow(0)
        layout.addWidget(self.sections)
        layout.addWidget(self.stack, 1)

    def _section_page(self, key: str, title: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        editor = text_box(placeholder=f"Write {title} in plain words.")
        editor.setAccessibleName(f"Description: {title}")
        editor.installEventFilter(self)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(PAUSE_MS)
        timer.timeout.connect(lambda: self.commit(key))
        editor.textChanged.connect(lambda: self._typed(key))
        self.editors[key], self._timers[key] = editor, timer
        column.addWidget(plain_label(hint_of(key)))
        row = QHBoxLayout()
        row.addWidget(editor, 3)
        if key in CHECKLISTS:
            row.addLayout(self._side(key), 2)
        column.addLayout(row, 1)
        return page

    def _side(self, key: str) -> QVBoxLayout:
        """What the section must cover and, for the sections the program fills, what it fills in (read-only)."""
        side = QVBoxLayout()
        side.addWidget(plain_label("It should cover", bold=True))
        side.addWidget(plain_label("\n".join(f"• {item}" for item in CHECKLISTS[key])))
        if key in FILLED_KEYS:
            side.addWidget(plain_label("Filled in from the project", bold=True))
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setAccessibleName(f"Filled in from the project: {key.upper()}")
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            self.filled[key] = view
            side.addWidget(view, 1)
        else:
            side.addStretch(1)
        return side

    def _row_changed(self, row: int) -> None:
        previous = self.stack.currentIndex()
        if 0 <= previous < len(DESCRIPTION_KEYS) and previous != row:
            self.commit(DESCRIPTION_KEYS[previous])  # moving to another section saves what was typed
        self.stack.setCurrentIndex(row)

    def set_filled(self, description: SystemDescription) -> None:
        """Show what the program fills into each section from the project's records."""
        self._has_filled = {s.key for s in description.sections
                            if any(t.rows for t in s.tables) or (s.parts and all(p.text.strip() for p in s.parts))}
        for section in description.sections:
            view = self.filled.get(section.key)
            if view is not None:
                text = filled_text(section)
                if view.toPlainText() != text:
                    view.setPlainText(text)
            self._mark(section.key)

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
        self.sections.setCurrentRow(DESCRIPTION_KEYS.index(key))
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
        item = self.sections.item(DESCRIPTION_KEYS.index(key))
        typed = bool(self.editors[key].toPlainText().strip())
        filled = key in self._has_filled
        item.setIcon(status_icon(typed or filled))
        item.setToolTip("Written" if typed else "Filled in from the project; your words are optional" if filled
                        else "Not written yet")
