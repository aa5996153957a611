"""The incident register (its significant incidents offered for the description's DC4 section, the register as an
event-driven control's population) and the continuity tests (RTO and RPO targets against what was achieved)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QFormLayout, QPushButton, QWidget

from workbench.domain.continuity import ContinuityKind, ContinuityTest
from workbench.domain.incidents import Incident, Severity, description_text
from workbench.domain.register_controls import control_for
from workbench.domain.register_values import format_duration
from workbench.services import incidents as service
from workbench.services.importers.kinds import CONTINUITY_TESTS, INCIDENTS
from workbench.services.session import OpenProject
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel, text_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.population_dialog import PopulationDialog, ask_population
from workbench.ui.pages.record_form import CHOICE, CONTROL, DATE, DURATION, LINE, TEXT, YES_NO, FormField, enum_choices
from workbench.ui.pages.register_model import Choice, Column
from workbench.ui.pages.register_tab import RegisterTab, next_ref, open_guarded
from workbench.ui.undo import EditCommand


def _label(value: object) -> str:
    return str(getattr(value, "label", "")) if value is not None else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _told(incident: Incident) -> str:
    return ", ".join(who for who, flag in (("customers", incident.customers_notified),
                                           ("regulators", incident.regulators_notified)) if flag)


class IncidentsTab(RegisterTab):
    """The incident register."""

    key, title, noun, spec, kind = "incidents", "Incidents", "incident", INCIDENTS, service.INCIDENTS
    record_type = Incident
    intro = ("Every incident from detection to lessons learned. Significant ones (critical or high severity, or "
             "customers or regulators told) belong in the system description's incidents section; the register is "
             "the population an auditor samples for incident handling.")
    columns = (
        Column("Ref", lambda i: i.ref), Column("Title", lambda i: i.title, tip=lambda i: i.description or i.title),
        Column("Detected", lambda i: format_date(i.detected_on), lambda i: i.detected_on or date.min),
        Column("Severity", lambda i: _label(i.severity), lambda i: list(Severity).index(i.severity)
               if i.severity else 9),
        Column("Security", lambda i: _yes(i.security)),
        Column("Contained", lambda i: format_date(i.contained_on), lambda i: i.contained_on or date.min),
        Column("Resolved", lambda i: format_date(i.resolved_on), lambda i: i.resolved_on or date.min),
        Column("Notified", _told), Column("Root cause", lambda i: i.root_cause),
        Column("Control", lambda i: i.control_ref or ""),
        Column("Significant", lambda i: "yes" if i.significant else ""),
    )
    choices = (Choice("Significant", lambda i: i.significant), Choice("Security incidents", lambda i: bool(i.security)),
               Choice("Not resolved", lambda i: i.resolved_on is None))

    @staticmethod
    def fetch(project: OpenProject) -> service.IncidentRegister:
        """Read incidents, continuity tests, the period and the controls."""
        return service.incident_register(project)

    def records(self, data: service.IncidentRegister) -> tuple[Incident, ...]:
        """Return the incidents."""
        return data.incidents

    def describe(self, data: service.IncidentRegister) -> str:
        """Say how many incidents are significant."""
        significant = [i.ref for i in data.incidents if i.significant]
        return f"{len(significant)} significant: {', '.join(significant)}." if significant else ""

    def extra_buttons(self) -> list[QPushButton]:
        """Add "Offer to the description…" and "Use as population…"."""
        self.describe_button = QPushButton("Offer to the &description…")
        self.describe_button.clicked.connect(self.offer_to_description)
        self.population_button = QPushButton("Use as &population…")
        self.population_button.clicked.connect(self.use_as_population)
        return [self.describe_button, self.population_button]

    def offer_to_description(self) -> None:
        """Show the incidents section drafted from the significant incidents; write it when accepted (undoable)."""
        if self.data is None:
            return
        period = self.data.period
        chosen = [i for i in self.data.incidents if period is None or i.detected_on is None
                  or period.start <= i.detected_on <= period.end]
        dialog = DescriptionDialog(description_text(chosen), self.data.description, self)

        def accepted() -> None:
            self.context.apply(EditCommand("Write the description's incidents section", partial(
                service.offer_to_description, text=dialog.values())))

        self.describe_dialog = dialog
        open_guarded(dialog, accepted, self.context)  # type: ignore[arg-type]

    def use_as_population(self) -> None:
        """Make the period's incidents the population of an event-driven control (undoable)."""
        ask_population(self, lambda refs: PopulationDialog(
            "Use the incidents as a population", "The incidents detected in the audit period replace the chosen "
            "control's population; its sample can then be drawn from them.", refs, self),
            lambda ref: EditCommand(f"Use the incidents as the population of {ref}", partial(
                service.use_as_population, control_ref=ref)) if ref else None)

    def form(self) -> list[FormField]:
        """Return the incident's fields."""
        return [
            FormField("ref", "Reference", LINE, required=True), FormField("title", "Title", LINE, required=True),
            FormField("description", "What happened", TEXT), FormField("detected_on", "Detected on", DATE),
            FormField("classification", "Classification"),
            FormField("severity", "Severity", CHOICE, enum_choices(Severity)),
            FormField("security", "Security incident", YES_NO),
            FormField("contained_on", "Contained on", DATE), FormField("resolved_on", "Resolved on", DATE),
            FormField("customers_notified", "Customers notified", YES_NO),
            FormField("regulators_notified", "Regulators notified", YES_NO),
            FormField("root_cause", "Root cause", TEXT), FormField("lessons", "Lessons learned", TEXT),
            FormField("follow_up", "Follow-up tasks (one per line)", TEXT),
            FormField("control_ref", "Control it is an occurrence of", CONTROL),
        ]

    def values_of(self, record: Incident | None) -> dict[str, Any]:
        """Return an incident's fields (a new one's reference is the next free number, detected today)."""
        if record is None:
            return {"ref": next_ref(self.model.rows, "INC-"), "detected_on": self.context.today(),
                    "control_ref": control_for(self.data.controls if self.data else (), "incident")}
        return super().values_of(record)

class ContinuityTab(RegisterTab):
    """Restore tests and DR/BCP exercises."""

    key, title, noun, spec, kind = "continuity-tests", "Continuity tests", "continuity test", CONTINUITY_TESTS, \
        service.TESTS
    record_type = ContinuityTest
    intro = ("Restore tests and the yearly disaster-recovery or business-continuity exercise, with the recovery time "
             "(RTO) and data loss (RPO) aimed at and achieved. A test linked to its control counts in that control's "
             "window of the evidence calendar.")
    columns = (
        Column("Ref", lambda t: t.ref), Column("Kind", lambda t: _label(t.kind)),
        Column("Scenario", lambda t: t.scenario),
        Column("Date", lambda t: format_date(t.performed_on), lambda t: t.performed_on or date.min),
        Column("RTO target / achieved", lambda t: f"{format_duration(t.rto_target)} / "
                                                  f"{format_duration(t.rto_achieved)}".strip(" /")),
        Column("RPO target / achieved", lambda t: f"{format_duration(t.rpo_target)} / "
                                                  f"{format_duration(t.rpo_achieved)}".strip(" /")),
        Column("Result", lambda t: t.result()), Column("Control", lambda t: t.control_ref or ""),
        Column("Issues", lambda t: t.issues, tip=lambda t: "\n".join(filter(None, (t.issues, t.follow_up)))),
    )
    stretch_column = 2
    choices = (Choice("Targets missed", lambda t: t.met is False),
               Choice("Restore tests", lambda t: t.kind is ContinuityKind.RESTORE),
               Choice("Exercises", lambda t: t.kind not in (None, ContinuityKind.RESTORE)))

    @staticmethod
    def fetch(project: OpenProject) -> service.IncidentRegister:
        """Read incidents, continuity tests and the controls."""
        return service.incident_register(project)

    def records(self, data: service.IncidentRegister) -> tuple[ContinuityTest, ...]:
        """Return the continuity tests."""
        return data.tests

    def describe(self, data: service.IncidentRegister) -> str:
        """Say which tests missed their targets."""
        missed = [t.ref for t in data.tests if t.met is False]
        return f"Targets missed: {', '.join(missed)}." if missed else ""

    def form(self) -> list[FormField]:
        """Return the test's fields."""
        return [
            FormField("ref", "Reference", LINE, required=True), FormField("scenario", "Scenario", TEXT, required=True),
            FormField("kind", "Kind", CHOICE, enum_choices(ContinuityKind)),
            FormField("performed_on", "Date", DATE), FormField("participants", "Participants"),
            FormField("rto_target", "RTO target", DURATION), FormField("rto_achieved", "RTO achieved", DURATION),
            FormField("rpo_target", "RPO target", DURATION), FormField("rpo_achieved", "RPO achieved", DURATION),
            FormField("issues", "Issues", TEXT), FormField("follow_up", "Follow-up tasks (one per line)", TEXT),
            FormField("control_ref", "Control it is an occurrence of", CONTROL),
        ]

    def values_of(self, record: ContinuityTest | None) -> dict[str, Any]:
        """Return a test's fields (a new one's reference is the next free number, held today)."""
        if record is None:
            return {"ref": next_ref(self.model.rows, "CT-"), "performed_on": self.context.today(),
                    "kind": ContinuityKind.RESTORE,
                    "control_ref": control_for(self.data.controls if self.data else (), "restore")}
        return super().values_of(record)

class DescriptionDialog(EditDialog):
    """The incidents section (DC4) drafted from the register, to adjust before it replaces the section."""

    def __init__(self, draft: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The description's incidents section")
        self.resize(640, 420)
        form = QFormLayout(self)
        form.addRow(plain_label("Drafted from the significant incidents of the period. It replaces the incidents "
                                "section of the system description" + (" (it holds text now)." if current.strip()
                                                                       else ".")))
        self.text = text_box(draft)
        self.text.setAccessibleName("Incidents section")
        form.addRow(self.text)
        self.buttons = ok_cancel(self, "Write it")
        form.addRow(self.buttons)

    def values(self) -> str:
        """Return the section as edited."""
        return self.text.toPlainText()
