"""Thin table models for step 5: the engagement milestones and the auditor's request list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from workbench.domain.entities import Milestone, Request
from workbench.domain.enums import AssessmentStatus, RequestStatus
from workbench.domain.natural import natural_key
from workbench.services.engagement import is_overdue
from workbench.ui.labels import plain_tip
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.palette import state_text
from workbench.ui.row_model import Index, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

OVERDUE = AssessmentStatus.GAP  # the state whose colour overdue words take
REQUEST_STATES: dict[RequestStatus, AssessmentStatus] = {
    RequestStatus.ACCEPTED: AssessmentStatus.MET,
    RequestStatus.NEEDS_FOLLOW_UP: AssessmentStatus.PARTIALLY_MET,
}


def _words(status: AssessmentStatus | None) -> QColor | None:
    return None if status is None else state_text(status)


class MilestoneModel(RowTableModel[Milestone]):
    """Milestones in engagement order: name, due date, done date."""

    NAME, DUE, DONE = range(3)
    HEADERS = ("Milestone", "Due", "Done")

    def __init__(self) -> None:
        super().__init__()
        self.today = date.today()

    def set_rows(self, rows: Sequence[Milestone], today: date | None = None) -> None:
        """Show these milestones, judging what is overdue as of `today`."""
        self.today = today or self.today
        super().set_rows(rows)


    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self.rows[index.row()]
        column = index.column()
        late = m.done_on is None and m.due is not None and m.due < self.today
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return m.name
            if column == self.DUE:
                return format_date(m.due, "—")
            return format_date(m.done_on, "overdue" if late else "not yet")
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.DONE and m.done_on is not None:
                return state_text(AssessmentStatus.MET)
            if late and column in (self.DUE, self.DONE):
                return state_text(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and late:
            return "Past its due date and not done yet"
        return None


class RequestModel(RowTableModel[Request]):
    """The auditor's request list: one row per request, overdue ones highlighted."""

    REF, ITEM, CRITERIA, CONTROL, OWNER, DUE, STATUS, EVIDENCE = range(8)
    HEADERS = ("Ref", "Item requested", "Criteria", "Control", "Owner", "Due", "Status", "Evidence")

    def __init__(self) -> None:
        super().__init__()
        self.today = date.today()

    def set_rows(self, rows: Sequence[Request], today: date | None = None) -> None:
        """Show these requests, judging what is overdue as of `today`."""
        self.today = today or self.today
        super().set_rows(rows)


    def request(self, row: int) -> Request:
        """Return the request shown in a row."""
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        column = index.column()
        overdue = is_overdue(r, self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column, overdue)
        if role == SORT_ROLE:
            if column == self.DUE:
                return r.due.toordinal() if r.due else 10**9
            if column == self.EVIDENCE:
                return len(r.evidence_ids)
            if column == self.STATUS:
                return list(RequestStatus).index(r.status)
            if column in (self.REF, self.CONTROL):
                return natural_key(self._text(r, column, overdue))
            return self._text(r, column, overdue).lower()
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and column in (self.REF, self.DUE):
                return state_text(OVERDUE)
            if column == self.STATUS:
                return state_text(OVERDUE) if overdue else _words(REQUEST_STATES.get(r.status))
        if role == Qt.ItemDataRole.ToolTipRole:  # the cell's whole text; for an overdue request, that it is
            text = self._text(r, column, overdue)
            late = f"Overdue: due {format_date(r.due)}" if overdue and column != self.ITEM else ""
            return plain_tip("\n".join(part for part in (text, late) if part)) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.EVIDENCE:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, r: Request, column: int, overdue: bool) -> str:
        if column == self.REF:
            return r.ref
        if column == self.ITEM:
            return r.item
        if column == self.CRITERIA:
            return ", ".join(r.tsc_refs)
        if column == self.CONTROL:
            return r.control_ref or ""
        if column == self.OWNER:
            return r.owner
        if column == self.DUE:
            return format_date(r.due)
        if column == self.STATUS:
            return f"{r.status.label} (overdue)" if overdue else r.status.label
        return str(len(r.evidence_ids))


class RequestFilter(QSortFilterProxyModel):
    """Filters the request list by status (or overdue) and by words in its text columns."""

    OVERDUE_FILTER = "overdue"

    def __init__(self) -> None:
        super().__init__()
        self._status: str | None = None
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_status(self, status: str | None) -> None:
        """Show only requests with this status value (or 'overdue'); None shows all."""
        self._refilter(lambda: setattr(self, "_status", status))

    def set_search(self, text: str) -> None:
        """Show only requests whose text contains every word typed."""
        self._refilter(lambda: setattr(self, "_words", text.lower().split()))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RequestModel)
        r = model.request(source_row)
        if self._status == self.OVERDUE_FILTER:
            if not is_overdue(r, model.today):
                return False
        elif self._status is not None and r.status.value != self._status:
            return False
        haystack = " ".join((r.ref, r.item, r.owner, r.control_ref or "", " ".join(r.tsc_refs))).lower()
        return all(word in haystack for word in self._words)
