"""Export for the auditor: what to produce, which part of the project it covers, and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.period import Period
from workbench.services.exports.run import DOCUMENT_KEYS
from workbench.services.exports.snapshot import ExportOptions
from workbench.ui.fields import date_edit, ok_button, ok_cancel, qdate
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row


@dataclass(frozen=True, slots=True)
class ExportKind:
    """One thing the auditor can receive."""

    key: str
    label: str
    suffix: str
    file_filter: str
    takes_options: bool  # the request list and the management documents are always whole
    name: str = ""  # the file's default name after the project's, e.g. " requests"; "" for a dated name


DOCX, PDF = ("Word documents (*.docx)", ".docx"), ("PDF files (*.pdf)", ".pdf")


def _document_kinds(key: str, label: str, name: str) -> tuple[ExportKind, ExportKind]:
    """Return the DOCX and PDF kinds of a management document."""
    return (ExportKind(key, f"{label} (DOCX, to edit in Word)", DOCX[1], DOCX[0], False, name),
            ExportKind(key, f"{label} (PDF)", PDF[1], PDF[0], False, name))


EXPORT_KINDS: tuple[ExportKind, ...] = (
    ExportKind("pdf", "Evidence package (PDF)", ".pdf", "PDF files (*.pdf)", True),
    ExportKind("xlsx", "Workbook for the CPA firm (xlsx)", ".xlsx", "Excel workbooks (*.xlsx)", True),
    ExportKind("zip", "Verifiable binder (zip with SHA256SUMS)", ".zip", "Zip archives (*.zip)", True),
    ExportKind("requests", "Request list, filled in, in the auditor's columns (xlsx)", ".xlsx",
               "Excel workbooks (*.xlsx)", False, " requests"),
    *_document_kinds("description", "System description, DC1-DC9", " system description"),
    *_document_kinds("assertion", "Management's assertion", " management assertion"),
    *_document_kinds("bridge-letter", "Bridge letter", " bridge letter"),
)
NAMES = tuple(sorted({kind.name for kind in EXPORT_KINDS if kind.name}, key=len, reverse=True))


def _words(text: str) -> list[str]:
    return [part for part in text.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the user asked for: the kind, the destination and the part of the project."""

    kind: ExportKind
    destination: Path
    options: ExportOptions
    on: date | None = None  # the date a management document carries (export --date); None for the others


class ExportDialog(QDialog):
    """Choose the export, narrow it to some controls, criteria or dates if wanted, and pick the file."""

    def __init__(self, folder: Path, stem: str, parent: QWidget | None = None, period: Period | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for the Auditor")
        self._folder, self._stem = folder, stem
        self.kind = QComboBox()
        for kind in EXPORT_KINDS:
            self.kind.addItem(kind.label, kind.key)
        self.kind.setAccessibleName("What to export")
        self.controls = QLineEdit()
        self.controls.setPlaceholderText("All controls (or list refs: AC-01, AC-02)")
        self.criteria = QLineEdit()
        self.criteria.setPlaceholderText("All criteria (or list IDs: CC6.1, CC6.2)")
        self.dated = QCheckBox("Only evidence reflecting days from")
        self.start, self.end = date_edit(), date_edit()
        for edit in (self.start, self.end):
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
        self.start.setDate(QDate.currentDate().addYears(-1))
        if period is not None:  # the audit period (a Type I as-of date is a period of one day)
            self.start.setDate(qdate(period.start))
            self.end.setDate(qdate(period.end))
        self.dated.setToolTip("Evidence is kept when the days it reflects (its period covered, else the day it was "
                              "received) touch the range; undated evidence is always kept. Untick to send "
                              "everything, out-of-period evidence marked OUT OF PERIOD.")
        self.dated.toggled.connect(self.start.setEnabled)
        self.dated.toggled.connect(self.end.setEnabled)
        dates = packed_row(self.dated, self.start, plain_label("to", wrap=False), self.end)
        # A Type II period narrows the package to the evidence of the period by default; a Type I as-of day
        # would leave almost nothing, so there the filter starts off.
        self.dated.setChecked(period is not None and period.end > period.start)
        self.readiness = QCheckBox("Include management's readiness self-assessment (our own met/gap judgements)")
        self.readiness.setToolTip("Left out by default: the criteria coverage and open-gaps sheets and the "
                                  "assessment column are management's view, not evidence for the auditor.")
        self.dated_on = date_edit(date.today(), name="Date the document carries")
        self.dated_on.setToolTip("The date the document is signed and dated; the bridge letter covers the time from "
                                 "the end of the audit period up to it.")
        self.destination = QLineEdit()
        self.destination.setAccessibleName("Destination file")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        self.error = plain_label()
        self.error.setStyleSheet("color: palette(highlight);")

        form = QFormLayout()
        form.addRow("&Export:", self.kind)
        form.addRow("&Controls:", self.controls)
        form.addRow("C&riteria:", self.criteria)
        form.addRow("Evidence:", dates)
        form.addRow("", self.readiness)
        form.addRow("&Dated:", self.dated_on)
        self._form = form
        save_to = plain_label("&Save to:", wrap=False)
        save_to.setBuddy(self.destination)  # a row holding a layout gets a label without a buddy: "&" would show
        form.addRow(save_to, where)
        self.buttons = ok_cancel(self, "E&xport", on_ok=self._accept)
        self.export_button = ok_button(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.resize(640, self.sizeHint().height())

    def selected_kind(self) -> ExportKind:
        """Return the kind of export chosen."""
        return EXPORT_KINDS[max(self.kind.currentIndex(), 0)]

    def _kind_changed(self) -> None:
        kind = self.selected_kind()
        for widget in (self.controls, self.criteria, self.dated, self.readiness):
            widget.setEnabled(kind.takes_options)
        for edit in (self.start, self.end):
            edit.setEnabled(kind.takes_options and self.dated.isChecked())
        self._form.setRowVisible(self.dated_on, kind.key in DOCUMENT_KEYS)
        current = self.destination.text().strip()
        base = Path(current) if current else self._folder / f"{self._stem} {date.today().isoformat()}"
        name = self._stem + kind.name if kind.name else next(
            (base.stem.removesuffix(n) for n in NAMES if base.stem.endswith(n)), base.stem)
        self.destination.setText(str(base.with_name(name + kind.suffix)))

    def _browse(self) -> None:
        kind = self.selected_kind()
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.destination.text(), kind.file_filter)
        if chosen:
            path = Path(chosen)
            self.destination.setText(str(path if path.suffix.lower() == kind.suffix else path.with_suffix(kind.suffix)))

    def options(self) -> ExportOptions:
        """Return the part of the project to export; raise ValueError on an unreadable criterion ID."""
        refs = frozenset(part.strip() for part in _words(self.controls.text())) or None
        criteria: set[str] = set()
        for part in _words(self.criteria.text()):
            criterion = normalize_criterion_id(part)
            if criterion is None:
                raise ValueError(f"{part.strip()!r} is not a criterion ID such as CC6.1")
            criteria.add(criterion)
        start = end = None
        if self.dated.isChecked():
            start, end = self.start.date().toPython(), self.end.date().toPython()
            if start > end:
                raise ValueError("the evidence date range ends before it starts")
        return ExportOptions(refs, frozenset(criteria) or None, start, end, self.readiness.isChecked())

    def request(self) -> ExportRequest:
        """Return what the user asked for (call after the dialog was accepted)."""
        kind = self.selected_kind()
        options = self.options() if kind.takes_options else ExportOptions()
        on = self.dated_on.date().toPython() if kind.key in DOCUMENT_KEYS else None
        return ExportRequest(kind, Path(self.destination.text().strip()), options, on)

    def _accept(self) -> None:
        try:
            self.options()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        text = self.destination.text().strip()
        if not text:
            self.error.setText("Choose where to save the export.")
            return
        if not Path(text).parent.is_dir():
            self.error.setText(f"The folder {Path(text).parent} does not exist.")
            return
        self.accept()
