"""The risk register tab: the risks of the assessment in use beside their heat maps, signing it, and starting the
next assessment from a signed one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from workbench.domain.register_values import words
from workbench.domain.risks import Risk, Treatment, band, signed_read_only, untreated
from workbench.services import risks as service
from workbench.services.importers.kinds import RISKS
from workbench.services.session import OpenProject
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import OptionalDateEdit, format_date
from workbench.ui.pages.heat_map_view import HeatMapView
from workbench.ui.pages.record_form import (
    CHOICE,
    CONTROLS,
    DATE,
    LEVEL,
    LINE,
    SCORE,
    TEXT,
    YES_NO,
    FormField,
    enum_choices,
)
from workbench.ui.pages.register_model import Choice, Column
from workbench.ui.pages.register_tab import RegisterTab, open_guarded
from workbench.ui.undo import EditCommand


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _treatment(risk: Risk) -> str:
    return risk.treatment.label if risk.treatment else ""


COLUMNS = (
    Column("Ref", lambda r: r.ref),
    Column("Scenario", lambda r: r.scenario + (" (fraud)" if r.fraud else "")),
    Column("Asset or objective", lambda r: r.asset),
    Column("L", lambda r: _number(r.likelihood), lambda r: r.likelihood or 0),
    Column("I", lambda r: _number(r.impact), lambda r: r.impact or 0),
    Column("Inherent", lambda r: _number(r.inherent), lambda r: r.inherent or 0,
           lambda r: f"{_number(r.inherent)} ({band(r.inherent)})" if r.inherent else ""),
    Column("Treatment", _treatment, tip=lambda r: ": ".join(filter(None, (_treatment(r), r.treatment_text)))),
    Column("Controls", lambda r: ", ".join(r.controls)),
    Column("Residual", lambda r: _number(r.residual), lambda r: r.residual or 0),
    Column("Owner", lambda r: r.owner),
    Column("Review", lambda r: format_date(r.review_on), lambda r: r.review_on or date.min),
)


class RisksTab(RegisterTab):
    """The risks of the assessment in use; read-only once it is signed."""

    key, title, noun, spec, kind = "risks", "Risks", "risk", RISKS, service.RISKS
    columns = COLUMNS
    intro = ("Each risk rated for likelihood and impact from 1 to 5, before and after its treatment. Sign the "
             "assessment once management has reviewed it: it is then kept as it is, and its PDF is filed as "
             "evidence of the risk-assessment control.")

    @property
    def choices(self) -> tuple[Choice, ...]:  # type: ignore[override]
        refs = self.control_refs
        return (Choice("Without a treating control", lambda r: untreated(r, refs)),
                Choice("High inherent risk (15+)", lambda r: band(r.inherent) == "high"),
                Choice("High residual risk (15+)", lambda r: band(r.residual) == "high"),
                Choice("Fraud risks", lambda r: r.fraud),
                Choice("Accepted", lambda r: r.treatment is Treatment.ACCEPT))

    @staticmethod
    def fetch(project: OpenProject) -> service.RiskRegister:
        """Read the register in use, every assessment and the controls."""
        return service.risk_register(project)

    def records(self, data: service.RiskRegister) -> tuple[Risk, ...]:
        """Return the risks of the assessment in use."""
        return data.risks

    def build_extra(self, layout: QVBoxLayout) -> None:
        """Add the assessment's line, its Sign and Start buttons, and the heat maps."""
        self.assessment_label = plain_label()
        self.assessment_label.setObjectName("riskAssessment")
        self.sign_button = QPushButton("&Sign the assessment…")
        self.sign_button.clicked.connect(self.sign)
        self.next_button = QPushButton("Start the &next assessment")
        self.next_button.clicked.connect(self.start_next)
        row = QHBoxLayout()
        row.addWidget(self.assessment_label, 1)
        row.addWidget(self.sign_button)
        row.addWidget(self.next_button)
        layout.addLayout(row)
        self.heat_map = HeatMapView()

    def side_widget(self) -> QWidget:
        """Show the heat maps beside the risks."""
        return self.heat_map

    def show_extra(self, data: service.RiskRegister) -> None:
        """Show the assessment in use and place the risks on the heat maps."""
        assessment = data.assessment
        self.assessment_label.setText(
            "No assessment yet: add or import risks to start one." if assessment is None else
            f"Assessment {assessment.words()}: read-only. Start the next assessment to change risks (it begins as "
            "a copy of this one)." if assessment.signed else f"Assessment in use: {assessment.words()}.")
        self.sign_button.setEnabled(assessment is not None and not assessment.signed and bool(data.risks))
        self.next_button.setEnabled(assessment is None or assessment.signed)
        self.heat_map.set_risks(data.risks)
        self.filter.blockSignals(True)
        chosen = self.filter.currentIndex()
        for index, choice in enumerate(self.choices, start=1):  # the filters read the project's controls
            self.filter.setItemData(index, choice)
        self.filter.setCurrentIndex(chosen)
        self.filter.blockSignals(False)

    def describe(self, data: service.RiskRegister) -> str:
        """Say which risks need a treating control."""
        bare = data.untreated
        return f"{len(bare)} risks to mitigate have no control of the project treating them: {', '.join(bare[:8])}" \
            + ("…" if len(bare) > 8 else "") if bare else ""

    def refusal(self) -> str:
        """Refuse changes once the assessment in use is signed."""
        assessment = self.data.assessment if self.data is not None else None
        return signed_read_only(assessment) if assessment is not None and assessment.signed else ""

    def form(self) -> list[FormField]:
        """Return the risk's fields."""
        return [
            FormField("ref", "Reference", LINE, required=True),
            FormField("scenario", "Scenario", TEXT, required=True, hint="The threat and what it would do"),
            FormField("asset", "Asset or objective"), FormField("category", "Category"),
            FormField("fraud", "Fraud risk", YES_NO),
            FormField("likelihood", "Likelihood (1-5)", LEVEL), FormField("impact", "Impact (1-5)", LEVEL),
            FormField("inherent_given", "Inherent score", SCORE,
                      hint="Only when likelihood and impact are not rated: the score as given"),
            FormField("treatment", "Treatment", CHOICE, enum_choices(Treatment)),
            FormField("treatment_text", "Treatment plan", TEXT),
            FormField("controls", "Treating controls", CONTROLS),
            FormField("residual_likelihood", "Residual likelihood", LEVEL),
            FormField("residual_impact", "Residual impact", LEVEL),
            FormField("residual_given", "Residual score", SCORE),
            FormField("owner", "Owner"), FormField("review_on", "Review date", DATE),
            FormField("notes", "Notes", TEXT),
        ]

    def values_of(self, record: Risk | None) -> dict[str, Any]:
        """Return a risk's fields (a new one's reference is the next free number)."""
        if record is None:
            taken = {r.ref for r in self.model.rows}
            number = next(n for n in range(1, len(taken) + 2) if f"R-{n:03d}" not in taken)
            return {"ref": f"R-{number:03d}", "fraud": False}
        return {name: getattr(record, name) for name in (f.name for f in self.form())}

    def record_from(self, values: dict[str, Any], record: Risk | None) -> Risk:
        """Return the risk the dialog describes."""
        values = {**values, "fraud": bool(values.get("fraud"))}
        return replace(record, **values) if record is not None else Risk(0, **values)
    def note(self, values: dict[str, Any]) -> str:
        """Show the scores the ratings make."""
        parts = []
        for name, first, second, given in (("Inherent", "likelihood", "impact", "inherent_given"),
                                           ("residual", "residual_likelihood", "residual_impact", "residual_given")):
            if values.get(first) and values.get(second):
                parts.append(f"{name} score {values[first] * values[second]}")
            elif values.get(given):
                parts.append(f"{name} score {values[given]} (as given)")
        return "; ".join(parts)

    # -- signing ------------------------------------------------------------------------------------------

    def sign(self) -> None:
        """Ask who signs the assessment, when, and which control its PDF evidences; sign it (undoable)."""
        if self.data is None or self.data.assessment is None:
            return
        dialog = SignDialog(self.control_refs, service.risk_control(list(self.data.controls)), self.context.today(),
                            self)

        def accepted() -> None:
            name, day, control = dialog.values()
            self.context.apply(EditCommand(f"Sign the risk assessment ({name.strip()})", partial(
                service.sign_assessment, signed_by=name, signed_on=day, control_ref=control)))

        self.sign_dialog = dialog
        open_guarded(dialog, accepted, self.context)  # type: ignore[arg-type]

    def start_next(self) -> None:
        """Start the next assessment as a copy of the signed one (undoable)."""
        self.context.apply(EditCommand("Start the next risk assessment", partial(
            service.start_assessment, started_on=self.context.today())))


class SignDialog(EditDialog):
    """Who signs the risk assessment for management, on which day, and the control its PDF is evidence of."""

    def __init__(self, controls: tuple[str, ...], suggested: str | None, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign the risk assessment")
        form = QFormLayout(self)
        form.addRow(plain_label("Once signed, the assessment is kept exactly as it is: its risks can no longer "
                                "change. The next assessment starts as a copy of it."))
        self.name = QLineEdit()
        self.name.setAccessibleName("Signed by")
        self.day = OptionalDateEdit("Set")
        self.day.set_date(today)
        self.day.set_accessible_name("Signed on")
        self.control = QComboBox()
        self.control.setAccessibleName("Control evidenced")
        self.control.addItem("No control (no PDF filed as evidence)", None)
        for ref in controls:
            self.control.addItem(ref, ref)
        if suggested:
            self.control.setCurrentIndex(self.control.findData(suggested))
        form.addRow("Signed &by", self.name)
        form.addRow("Signed &on", self.day)
        form.addRow("&Evidence of", self.control)
        self.buttons = ok_cancel(self, "Sign")
        form.addRow(self.buttons)

    def values(self) -> tuple[str, date | None, str | None]:
        """Return (who, when, control) as entered."""
        return self.name.text(), self.day.date(), self.control.currentData()

    def refusal(self) -> str:
        """Return why it cannot be signed as entered, or ""."""
        return "" if words(self.name.text()) else "say who signs the assessment"
