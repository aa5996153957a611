"""The New Project wizard: who is audited, which report and categories, which period, and where to save."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workbench.domain.encryption import MIN_PASSPHRASE_CHARS, EncryptionChoice
from workbench.domain.enums import Category, ReportType
from workbench.domain.plan_templates import TYPE1, TYPE2_FIRST, default_period_start
from workbench.services.encryption import keyring_usable
from workbench.services.project import NewProject, audit_period
from workbench.ui.dates import date_format, shown_date
from workbench.ui.layouts import labelled_row

CATEGORY_HINTS = {
    Category.SECURITY: "Always included: the common criteria every SOC 2 report covers.",
    Category.AVAILABILITY: "Add when customers rely on your uptime or recovery commitments.",
    Category.CONFIDENTIALITY: "Add when you hold customer information they have marked as confidential.",
    Category.PROCESSING_INTEGRITY: "Add when your system processes transactions that must be complete and accurate.",
    Category.PRIVACY: "Add when you collect, use or keep personal information about individuals.",
}
REPORT_HINTS = {
    ReportType.TYPE1: "Type I: your controls are suitably designed as of one date. Quicker to obtain; "
                      "often a first step.",
    ReportType.TYPE2: "Type II: your controls are designed and operate effectively over an observation "
                      "window, usually 3 to 12 months. Most enterprise customers ask for this one.",
}
DEFAULT_WIDTH = 640  # room for each category's hint on one line
HINT_INDENT = 24  # a hint lines up with the text of the check box or radio button above it
PERIOD_CHOICES = ((3, "3 months"), (6, "6 months"), (12, "12 months"), (0, "Custom end date"))


def _to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def suggested_period_start(report_type: ReportType, today: date) -> date:
    """Return the first day of a month that leaves room for the plan's preparation from today."""
    return default_period_start(TYPE1 if report_type is ReportType.TYPE1 else TYPE2_FIRST, today)


def suggested_file_name(organization: str) -> str:
    """Return a safe file name for a project named after the organisation."""
    stem = re.sub(r"\s+", "-", re.sub(r"[^\w\- ]+", "", organization).strip()) or "project"
    return f"{stem[:60]}.soc2"


def _choice(button: QAbstractButton, hint: str) -> QVBoxLayout:
    """Return a check box or radio button with its hint, wrapped and set in under the button's text."""
    label = QLabel(hint)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setIndent(HINT_INDENT)
    layout = QVBoxLayout()
    layout.setSpacing(0)
    layout.addWidget(button)
    layout.addWidget(label)
    return layout


class _StepPage(QWizardPage):
    """A wizard page whose Next/Finish button follows a completeness test of the wizard's own."""

    def __init__(self, title: str, subtitle: str, complete: Callable[[], bool]) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self._complete = complete

    def isComplete(self) -> bool:
        return self._complete()

    def height_for(self, width: int) -> int:
        """Return the height the page needs at `width`, its wrapped hints included."""
        layout = self.layout()
        if layout is None:
            return 0
        return layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalMinimumSize().height()


class NewProjectWizard(QWizard):
    """Collects a NewProject and the path to create it at, one question per page."""

    def __init__(self, folder: Path, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self._folder = folder
        self._path_edited = False
        self._today = today

        self.organization = QLineEdit()
        self.organization.setPlaceholderText("e.g. Example Analytics, Inc.")
        self.system = QLineEdit()
        self.system.setPlaceholderText("e.g. Example Analytics Platform")
        who = _StepPage("Who is being audited", "The organisation and the system the report will describe.",
                        lambda: bool(self.organization.text().strip()))
        form = QFormLayout(who)
        form.addRow("&Organisation:", self.organization)
        form.addRow("&System:", self.system)
        self.addPage(who)

        which = _StepPage("Which report", "The report your customers asked for, and what it covers.", lambda: True)
        which_layout = QVBoxLayout(which)
        report_box = QGroupBox("Report type")
        report_layout = QVBoxLayout(report_box)
        self.report_buttons = QButtonGroup(self)
        self.report_radios: dict[ReportType, QRadioButton] = {}
        for report_type in ReportType:
            radio = QRadioButton(report_type.label)
            self.report_buttons.addButton(radio)
            self.report_radios[report_type] = radio
            report_layout.addLayout(_choice(radio, REPORT_HINTS[report_type]))
        self.report_radios[ReportType.TYPE2].setChecked(True)
        which_layout.addWidget(report_box)
        category_box = QGroupBox("Trust Services Categories")
        category_layout = QVBoxLayout(category_box)
        self.category_boxes: dict[Category, QCheckBox] = {}
        for category in Category:
            box = QCheckBox(category.label)
            if category is Category.SECURITY:
                box.setChecked(True)
                box.setEnabled(False)
            self.category_boxes[category] = box
            category_layout.addLayout(_choice(box, CATEGORY_HINTS[category]))
        which_layout.addWidget(category_box)
        self.addPage(which)

        self._suggested_start = suggested_period_start(ReportType.TYPE2, today)
        self.start = QDateEdit(_to_qdate(self._suggested_start))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(date_format())
        self.length = QComboBox()
        for months, label in PERIOD_CHOICES:
            self.length.addItem(label, months)
        self.length.setCurrentIndex(1)
        self.end = QDateEdit()
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat(date_format())
        self.start_label = QLabel("Period &starts:")
        self.start_label.setBuddy(self.start)
        self.length_label = QLabel("&Length:")
        self.length_label.setBuddy(self.length)
        self.end_label = QLabel("Period &ends:")
        self.end_label.setBuddy(self.end)
        when = _StepPage("Which period",
                         "Type I: the date your controls are judged as of. Type II: the observation window; "
                         "first reports often use 3 to 6 months, renewals 12.",
                         lambda: self.period()[1] >= self.period()[0])
        period_layout = QFormLayout(when)
        period_layout.addRow(self.start_label, self.start)
        period_layout.addRow(self.length_label, self.length)
        period_layout.addRow(self.end_label, self.end)
        self.period_hint = QLabel()
        self.period_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.period_hint.setWordWrap(True)
        period_layout.addRow(self.period_hint)
        self.addPage(when)

        self.path = QLineEdit()
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        where = _StepPage("Where to save", "The whole project lives in this one file.",
                          lambda: not self.problem_text())
        where_layout = QVBoxLayout(where)
        where_layout.addLayout(labelled_row("Save &as:", self.path, browse))
        where_layout.addWidget(self._encryption_box())
        where_layout.addWidget(self.problem)
        where_layout.addStretch(1)
        where_layout.addWidget(self.summary)
        self.addPage(where)
        self.pages = (who, which, when, where)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Create")
        self.resize(DEFAULT_WIDTH, self.sizeHint().height())

        self.organization.textChanged.connect(self._suggest_path)
        self.path.textEdited.connect(lambda _text: setattr(self, "_path_edited", True))
        self.report_buttons.buttonToggled.connect(lambda *_: self._sync_period())
        self.length.currentIndexChanged.connect(lambda *_: self._sync_period())
        self.start.dateChanged.connect(lambda *_: self._sync_period())
        for widget in (self.organization, self.path, self.system):
            widget.textChanged.connect(self._validate)
        self.end.dateChanged.connect(lambda *_: self._validate())
        for box in self.category_boxes.values():
            box.toggled.connect(lambda *_: self._validate())
        for toggle in (self.encrypt, self.keyring_radio, self.passphrase_radio):
            toggle.toggled.connect(lambda *_: self._sync_encryption())
        for field in (self.passphrase, self.passphrase_again):
            field.textChanged.connect(self._validate)
        self._suggest_path("")
        self._sync_period()
        self._sync_encryption()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_pages()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_pages()

    def _fit_pages(self) -> None:
        """Give every page the height the tallest needs at this width, wrapped hints included: QWizard sizes
        itself by width-blind hints (and would cut them off), and so Next never resizes the wizard."""
        shown = self.currentPage()
        if shown is None:
            return
        need = max(page.height_for(shown.width()) for page in self.pages)
        for page in self.pages:
            page.setMinimumHeight(need)

    # -- reading the form ---------------------------------------------------------------------------

    def report_type(self) -> ReportType:
        """Return the chosen report type."""
        return ReportType.TYPE1 if self.report_radios[ReportType.TYPE1].isChecked() else ReportType.TYPE2

    def period(self) -> tuple[date, date]:
        """Return the chosen period (Type I: the as-of date twice)."""
        start = _to_date(self.start.date())
        if self.report_type() is ReportType.TYPE1:
            return start, start
        months = int(self.length.currentData())
        if months:
            _start, end = audit_period(ReportType.TYPE2, start, months)
            assert end is not None
            return start, end
        return start, _to_date(self.end.date())

    def project_spec(self) -> NewProject:
        """Return what the wizard describes."""
        start, end = self.period()
        return NewProject(
            organization=self.organization.text().strip(),
            system_name=self.system.text().strip(),
            report_type=self.report_type(),
            categories=tuple(c for c, box in self.category_boxes.items() if box.isChecked()),
            period_start=start,
            period_end=end,
            encryption=self.encryption_choice(),
        )

    def encryption_choice(self) -> EncryptionChoice | None:
        """Return how the new project's key is to be protected, or None for a plain project."""
        if not self.encrypt.isChecked():
            return None
        passphrase = self.passphrase.text() or None
        return EncryptionChoice(use_keyring=self.keyring_radio.isChecked(), passphrase=passphrase)

    def _encryption_box(self) -> QGroupBox:
        box = QGroupBox("Encryption at rest")
        layout = QVBoxLayout(box)
        self.encrypt = QCheckBox("&Encrypt this project (recommended for consultants holding client data)")
        self.encrypt.setToolTip("Evidence files and sensitive text are stored encrypted (AES-256-GCM); "
                                "references, titles, dates and statuses stay readable.")
        self._keyring_ok = keyring_usable()
        self.keyring_radio = QRadioButton("Keep the key in this computer's &keyring (no question when opening)")
        self.passphrase_radio = QRadioButton("Protect the key with a &passphrase only")
        self.keyring_radio.setChecked(self._keyring_ok)
        self.passphrase_radio.setChecked(not self._keyring_ok)
        self.keyring_radio.setEnabled(self._keyring_ok)
        if not self._keyring_ok:
            self.keyring_radio.setToolTip("No keyring is available on this computer.")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName("Repeat the passphrase")
        self.passphrase_hint = QLabel()
        self.passphrase_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.passphrase_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Pa&ssphrase:", self.passphrase)
        form.addRow("&Repeat:", self.passphrase_again)
        layout.addWidget(self.encrypt)
        layout.addWidget(self.keyring_radio)
        layout.addWidget(self.passphrase_radio)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_hint)
        return box

    def _sync_encryption(self) -> None:
        on = self.encrypt.isChecked()
        self.keyring_radio.setEnabled(on and self._keyring_ok)
        self.passphrase_radio.setEnabled(on)
        self.passphrase.setEnabled(on)
        self.passphrase_again.setEnabled(on)
        if not on:
            self.passphrase_hint.setText("")
        elif self.keyring_radio.isChecked():
            self.passphrase_hint.setText("Optional: a passphrase also opens the project on another computer or if "
                                         "the keyring is lost. Without one, only this computer can open it.")
        else:
            self.passphrase_hint.setText("Required. Without the passphrase nobody, including you, can open the "
                                         "project: keep it somewhere safe.")
        self._validate()

    def _encryption_problem(self) -> str:
        if not hasattr(self, "encrypt") or not self.encrypt.isChecked():
            return ""
        first, again = self.passphrase.text(), self.passphrase_again.text()
        if not first and not self.keyring_radio.isChecked():
            return "Enter a passphrase to protect the encrypted project."
        if first and len(first) < MIN_PASSPHRASE_CHARS:
            return f"The passphrase needs at least {MIN_PASSPHRASE_CHARS} characters."
        if first != again:
            return "The two passphrases differ."
        return ""

    def target_path(self) -> Path:
        """Return where the project will be created."""
        path = Path(self.path.text().strip()).expanduser()
        return path if path.suffix.lower() == ".soc2" else path.with_name(path.name + ".soc2")

    # -- keeping the pages consistent -------------------------------------------------------------------

    def _suggest_path(self, organization: str) -> None:
        if not self._path_edited:
            self.path.setText(str(self._folder / suggested_file_name(organization)))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Create project file", self.path.text(),
                                                "SOC 2 Workbench projects (*.soc2)")
        if chosen:
            self._path_edited = True
            self.path.setText(chosen)

    def _sync_period(self) -> None:
        type1 = self.report_type() is ReportType.TYPE1
        suggested = suggested_period_start(self.report_type(), self._today)
        if suggested != self._suggested_start and _to_date(self.start.date()) == self._suggested_start:
            self._suggested_start = suggested  # the user kept the suggestion: follow the report type
            self.start.setDate(_to_qdate(suggested))
            return  # setting the date synced the period again
        self.start_label.setText("&As of:" if type1 else "Period &starts:")
        for widget in (self.length, self.length_label):
            widget.setVisible(not type1)
        custom = not type1 and int(self.length.currentData()) == 0
        for widget in (self.end, self.end_label):
            widget.setVisible(custom)
        if not custom and not type1:
            self.end.setDate(_to_qdate(self.period()[1]))
        self.period_hint.setText(self._period_hint(suggested))
        self._validate()

    def _period_hint(self, suggested: date) -> str:
        """Say how much room the chosen start leaves to prepare, against the suggested one."""
        weeks = (suggested - self._today).days // 7
        if _to_date(self.start.date()) >= suggested:
            return (f"Starting on {shown_date(suggested)} or later leaves the plan about {weeks} weeks from today "
                    "for the readiness assessment, remediation, policies and evidence set-up.")
        return (f"This is sooner than {shown_date(suggested)}, which leaves about {weeks} weeks to prepare: the "
                "plan will squeeze the preparation, and list the tasks already late when even that does not fit.")

    def problem_text(self) -> str:
        """Return what stops the project from being created, or ''."""
        if not self.organization.text().strip():
            return "Enter the organisation's name."
        if not self.path.text().strip():
            return "Choose where to save the project."
        target = self.target_path()
        if target.exists():
            return f"{target} already exists; choose another name."
        if not target.parent.is_dir():
            return f"The folder {target.parent} does not exist."
        start, end = self.period()
        if end < start:
            return "The period ends before it starts."
        return self._encryption_problem()

    def _validate(self) -> None:
        self.problem.setText(self.problem_text())
        if not hasattr(self, "encrypt"):
            return  # still building the pages
        spec = self.project_spec()
        when = f"as of {shown_date(spec.period_start)}" if spec.report_type is ReportType.TYPE1 else \
            f"from {shown_date(spec.period_start)} to {shown_date(spec.period_end)}"
        self.summary.setText(
            f"{spec.organization or 'The organisation'}: a {spec.report_type.label} report covering "
            f"{', '.join(c.label for c in spec.categories)}, {when}."
        )
        for page in self.pages if hasattr(self, "pages") else ():
            page.completeChanged.emit()

    def accept(self) -> None:
        if not self.problem_text():
            super().accept()
