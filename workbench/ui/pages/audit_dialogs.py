"""Dialogs of step 5: a milestone, and an item of the auditor's request list with its evidence."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Control, Evidence, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.services.engagement import RequestDraft
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.evidence_picker import EvidencePicker
from workbench.ui.fields import ok_cancel, search_box, text_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import OptionalDateEdit, format_date


class MilestoneDialog(EditDialog):
    """Name, due date and done date of one milestone."""

    def __init__(self, milestone: Milestone | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit milestone" if milestone else "Add milestone")
        form = QFormLayout(self)
        self.name = QLineEdit(milestone.name if milestone else "")
        self.name.setAccessibleName("Milestone name")
        self.due = OptionalDateEdit("Due")
        self.due.set_accessible_name("Due date")
        self.due.set_date(milestone.due if milestone else None)
        self.done_on = OptionalDateEdit("Done")
        self.done_on.set_accessible_name("Done date")
        self.done_on.set_date(milestone.done_on if milestone else None)
        form.addRow("&Name", self.name)
        form.addRow("D&ue date", self.due)
        form.addRow("Do&ne on", self.done_on)
        self.buttons = ok_cancel(self)
        form.addRow(self.buttons)

    def values(self) -> tuple[str, date | None, date | None]:
        """Return (name, due, done on) as entered."""
        return self.name.text(), self.due.date(), self.done_on.date()

    def refusal(self) -> str:
        """Return why the milestone cannot be saved as entered, or ""."""
        return "" if self.name.text().strip() else "a milestone needs a name"


class RequestDialog(EditDialog):
    """Every field of a request, with the control it concerns and a picker of the project's evidence."""

    def __init__(self, request: Request | None, controls: list[Control], evidence: list[Evidence],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit request {request.ref}" if request else "Add request")
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.ref = QLineEdit(request.ref if request else "")
        self.ref.setPlaceholderText("as the auditor numbers it, e.g. PBC-014")
        self.item = text_box(request.item if request else "", fixed_height=70)
        self.criteria = QLineEdit(", ".join(request.tsc_refs) if request else "")
        self.criteria.setPlaceholderText("e.g. CC6.1, CC6.2")
        self.control = QComboBox()
        self.control.addItem("No control", None)
        for control in controls:
            self.control.addItem(f"{control.ref}  ·  {control.title}", control.ref)
        if request and request.control_ref:
            self.control.setCurrentIndex(max(0, self.control.findData(request.control_ref)))
        self.owner = QLineEdit(request.owner if request else "")
        self.due = OptionalDateEdit("Due")
        self.due.set_accessible_name("Due date")
        self.due.set_date(request.due if request else None)
        self.status = QComboBox()
        for status in RequestStatus:
            self.status.addItem(status.label, status.value)
        if request:
            self.status.setCurrentIndex(self.status.findData(request.status.value))
        form.addRow("&Ref", self.ref)
        form.addRow("&Item requested", self.item)
        form.addRow("Cri&teria", self.criteria)
        form.addRow("&Control", self.control)
        form.addRow("O&wner", self.owner)
        form.addRow("D&ue", self.due)
        form.addRow("&Status", self.status)

        layout.addWidget(plain_label("Evidence handed over for this request (tick each file):", bold=True))
        self.evidence_search = search_box("Filter evidence by title, file or control")
        self.evidence_search.textChanged.connect(self._filter_evidence)
        layout.addWidget(self.evidence_search)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence to link")
        linked = set(request.evidence_ids) if request else set()
        for e in evidence:
            when = f"  ·  collected {format_date(e.collected_on)}" if e.collected_on else ""
            item = QListWidgetItem(f"{e.control_ref}  ·  {e.title}  ({e.filename}){when}")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if e.id in linked else Qt.CheckState.Unchecked)
            self.evidence.addItem(item)
        layout.addWidget(self.evidence, 1)
        self.buttons = ok_cancel(self)
        layout.addWidget(self.buttons)

    def _filter_evidence(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            item.setHidden(not all(word in item.text().lower() for word in words))

    def set_evidence_checked(self, evidence_id: int, checked: bool = True) -> None:
        """Tick (or untick) one evidence record in the picker."""
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == evidence_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def values(self) -> RequestDraft:
        """Return the request as entered."""
        return self.draft()

    def refusal(self) -> str:
        """Return why the request cannot be saved as entered, or ""."""
        ok = self.ref.text().strip() and self.item.toPlainText().strip()
        return "" if ok else "a request needs a reference and the item requested"

    def draft(self) -> RequestDraft:
        """Return the request as entered."""
        evidence_ids = tuple(
            int(self.evidence.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.evidence.count())
            if self.evidence.item(row).checkState() == Qt.CheckState.Checked
        )
        criteria = tuple(part.strip() for part in self.criteria.text().replace(";", ",").split(",") if part.strip())
        return RequestDraft(
            ref=self.ref.text(), item=self.item.toPlainText(), tsc_refs=criteria,
            control_ref=self.control.currentData(), owner=self.owner.text(), due=self.due.date(),
            status=RequestStatus(self.status.currentData()), evidence_ids=evidence_ids,
        )


class LinkEvidenceDialog(EvidencePicker):
    """Ticks evidence to link to one request: its control's evidence first, what is linked already left out."""

    def __init__(self, request: Request, evidence: list[Evidence], parent: QWidget | None = None) -> None:
        super().__init__(f"Link evidence to request {request.ref}", f"{request.ref}: {request.item}", evidence,
                         linked=request.evidence_ids, first=request.control_ref, parent=parent)
