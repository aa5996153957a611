"""Who has and who has not acknowledged the version of a policy in force today, with Record and Import buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QVBoxLayout, QWidget

from workbench.domain.enums import AssessmentStatus
from workbench.domain.people import Person
from workbench.domain.policies import Acknowledgement, Policy, employed_on, in_force
from workbench.ui.dates import shown_date
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row
from workbench.ui.pages.register_model import Column, RecordsModel
from workbench.ui.palette import state_text
from workbench.ui.tables import row_table


@dataclass(frozen=True)
class AckRow:
    """A person and where they stand with the version in force."""

    ref: str
    name: str
    signed: Acknowledgement | None  # their latest acknowledgement of the policy
    behind: bool


def ack_rows(policy: Policy, people: tuple[Person, ...], acks: tuple[Acknowledgement, ...],
             today: date) -> tuple[list[AckRow], int | None]:
    """Return the rows for a policy (those behind first) and the number of the version in force today."""
    current = in_force(policy, today)
    own = sorted((a for a in acks if a.policy_key == policy.key), key=lambda a: (a.version, a.acknowledged_on))
    latest = {a.person: a for a in own}
    needed = current.number if current is not None else None
    if people:
        rows = [AckRow(p.ref, p.name or p.ref, latest.get(p.ref),
                       needed is not None and (latest[p.ref].version if p.ref in latest else 0) < needed)
                for p in people if employed_on(p, today)]
    else:  # no people register: whoever signed, by the name written
        rows = [AckRow(a.person, a.person, a, needed is not None and a.version < needed) for a in latest.values()]
    return sorted(rows, key=lambda r: (not r.behind, r.name.casefold())), needed


def _status(row: AckRow) -> str:
    if row.signed is None:
        return "not acknowledged"
    return f"version {row.signed.version} on {shown_date(row.signed.acknowledged_on)}"


COLUMNS = (Column("Person", lambda r: r.name), Column("Reference", lambda r: r.ref),
           Column("Acknowledged", _status), Column("Standing", lambda r: "behind" if r.behind else "up to date"))


class AckModel(RecordsModel):
    """The people rows, those behind in the gap colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            row = self.rows[index.row()]
            return state_text(AssessmentStatus.GAP if row.behind else AssessmentStatus.MET)
        return super().data(index, role)


class PolicyAcknowledgements(QWidget):
    """The people list of one policy; the page records and imports acknowledgements."""

    record_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = plain_label()
        self.summary.setObjectName("policyAckSummary")
        self.model = AckModel(self)
        self.view = row_table(self.model, "Acknowledgements", row_numbers=False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.record_button = QPushButton("&Record acknowledgement…")
        self.record_button.clicked.connect(self.record_requested)
        self.import_button = QPushButton("Import &signatures…")
        self.import_button.setToolTip("A CSV or spreadsheet of signatures from an e-signature tool or a form")
        self.import_button.clicked.connect(self.import_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(packed_row(self.record_button, self.import_button))

    def show_policy(self, policy: Policy | None, people: tuple[Person, ...], acks: tuple[Acknowledgement, ...],
                    today: date) -> None:
        """Show who stands where with the policy's version in force today."""
        if policy is None:
            self.model.set_rows([])
            self.summary.setText("Pick a policy to see who has acknowledged it.")
            self.record_button.setEnabled(False)
            return
        rows, number = ack_rows(policy, people, acks, today)
        self.model.set_rows(rows)
        self.record_button.setEnabled(bool(policy.versions))
        late = [r.name for r in rows if r.behind]
        if number is None:
            self.summary.setText("No version is in force yet: publish one, then people acknowledge it.")
        elif late:
            self.summary.setText(f"{len(late)} of {len(rows)} have not acknowledged version {number}, in force "
                                 f"today: {', '.join(late[:5])}{' and more' if len(late) > 5 else ''}.")
        else:
            self.summary.setText(f"Everyone listed has acknowledged version {number}, in force today.")
