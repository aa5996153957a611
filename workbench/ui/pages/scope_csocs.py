"""Criteria typed as text ("CC6.1, cc 6.2"), and the editor of a subservice organisation's complementary controls
(CSOCs): one line each, with the criteria it supports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.entities import Csoc
from workbench.ui.pages.line_table import LineTable

_SEPARATORS = re.compile(r"\s*[,;]+\s*|\s+(?=[A-Za-z])")  # "cc 6.1" stays one id


def parse_criteria(text: str) -> tuple[tuple[str, ...], str]:
    """Return (criterion ids in canonical form, without repeats; why the text is refused, or "")."""
    found: list[str] = []
    for token in _SEPARATORS.split(text.strip()):
        token = token.strip(" ,;")
        if not token:
            continue
        criterion_id = normalize_criterion_id(token)
        if criterion_id is None:
            return (), f"{token!r} is not a criterion id (write them like CC6.1, A1.2)"
        if criterion_id not in found:
            found.append(criterion_id)
    return tuple(found), ""


class CsocEditor(LineTable):
    """A table of (complementary control, criteria); values() and refusal() as the subservice dialog needs."""

    def __init__(self, csocs: Sequence[Csoc] = (), parent: QWidget | None = None) -> None:
        super().__init__(("Control they operate", "Criteria"), "Complementary subservice organisation controls",
                         ("Add a control", "Remove the control"), 130, self.add_new, parent)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 130)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(self._item_changed)
        for csoc in csocs:
            self.add_line(csoc)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.toolTip() != item.text():
            item.setToolTip(item.text())  # a long control is read in full from its tooltip
        self.table.resizeRowToContents(item.row())
        self.changed.emit()

    def add_new(self) -> None:
        """Add an empty control and start typing it."""
        self.add_line(Csoc(0, ""))
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.editItem(self.table.item(self.table.rowCount() - 1, 0))

    def add_line(self, csoc: Csoc) -> None:
        """Add one control at the end (its id kept, so an edit keeps the record)."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        text = QTableWidgetItem(csoc.text)
        text.setData(Qt.ItemDataRole.UserRole, csoc.id)
        text.setToolTip(csoc.text)
        criteria = ", ".join(csoc.criteria)
        cell = QTableWidgetItem(criteria)
        cell.setToolTip(criteria)
        self.table.blockSignals(True)
        self.table.setItem(row, 0, text)
        self.table.setItem(row, 1, cell)
        self.table.blockSignals(False)
        self.table.resizeRowToContents(row)
        self.changed.emit()

    def refusal(self) -> str:
        """Return why the controls cannot be saved as entered, or ""."""
        for row in range(self.table.rowCount()):
            _, why = parse_criteria(self.cell_text(row, 1))
            if why:
                return f"complementary control {row + 1}: {why}"
        return ""

    def values(self) -> tuple[Csoc, ...]:
        """Return the controls that hold text, each with its criteria (unreadable criteria left out)."""
        found = []
        for row in range(self.table.rowCount()):
            text = self.cell_text(row, 0)
            if text.strip():
                item = self.table.item(row, 0)
                csoc_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else 0
                found.append(Csoc(int(csoc_id or 0), text.strip(), parse_criteria(self.cell_text(row, 1))[0]))
        return tuple(found)
