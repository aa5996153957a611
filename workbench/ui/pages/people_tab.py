"""The staff roster: each person's joiner and leaver checks, leavers' access removal against the company's own
stated time (a late one is an exception), and the period's joiners or leavers as a control's population."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QPushButton, QSpinBox, QWidget

from workbench.domain.people import Person, WorkerType, in_period
from workbench.services import people as service
from workbench.services.importers.kinds import PEOPLE
from workbench.services.importers.kinds.people import ListedPerson
from workbench.services.session import OpenProject
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.population_dialog import PopulationDialog, ask_population
from workbench.ui.pages.record_form import CHOICE, DATE, LINE, TEXT, FormField, enum_choices
from workbench.ui.pages.register_model import Choice, Column
from workbench.ui.pages.register_tab import RegisterTab, next_ref, open_guarded
from workbench.ui.undo import EditCommand


def _removal(row: ListedPerson) -> str:
    return "" if row.removal is None else row.removal.text


def _missing_checks(person: Person) -> str:
    missing = [what for what, day in (("background check", person.background_check_on),
                                      ("code of conduct", person.conduct_acknowledged_on),
                                      ("training", person.training_at_hire_on),
                                      ("access granted", person.access_granted_on)) if day is None]
    if person.end_date is not None:
        missing += [what for what, day in (("access removed", person.access_removed_on),
                                           ("equipment returned", person.equipment_returned_on)) if day is None]
    return ", ".join(missing)


def _column(header: str, name: str) -> Column:
    return Column(header, lambda r: format_date(getattr(r.person, name)),
                  lambda r: getattr(r.person, name) or date.min)


class PeopleTab(RegisterTab):
    """The staff roster."""

    key, title, noun, spec, kind = "people", "People", "person", PEOPLE, service.PEOPLE
    record_type = Person
    intro = ("Everyone who works for the company, from the HR system's staff export: joiners are checked, trained "
             "and given access; leavers' access is removed within the company's own stated time, and a late "
             "removal is an exception. The period's joiners and leavers are the populations an auditor samples.")
    columns = (
        Column("Ref", lambda r: r.ref), Column("Name", lambda r: r.person.name),
        Column("Email", lambda r: r.person.email),
        Column("Type", lambda r: r.person.worker_type.label if r.person.worker_type else ""),
        Column("Role", lambda r: r.person.role), _column("Start", "start_date"), _column("End", "end_date"),
        _column("Access removed", "access_removed_on"),
        Column("Removal", _removal, tip=lambda r: f"due by {format_date(r.removal.due)}" if r.removal else ""),
        Column("Exception", lambda r: "yes" if r.exception else ""),
        Column("Checks missing", lambda r: _missing_checks(r.person)),
    )
    choices = (Choice("Late access removal (exceptions)", lambda r: r.exception),
               Choice("Leavers", lambda r: r.person.end_date is not None),
               Choice("Current staff", lambda r: r.person.end_date is None),
               Choice("Contractors", lambda r: r.person.worker_type is WorkerType.CONTRACTOR),
               Choice("Checks missing", lambda r: bool(_missing_checks(r.person))))

    @staticmethod
    def fetch(project: OpenProject) -> service.PeopleRegister:
        """Read the roster, the stated time to remove access, the period and the controls."""
        return service.people_register(project)

    def records(self, data: service.PeopleRegister) -> tuple[ListedPerson, ...]:
        """Return the people."""
        return data.people

    def describe(self, data: service.PeopleRegister) -> str:
        """Say the stated time to remove access, the period's joiners and leavers, and the late removals."""
        period = data.period
        start, end = (period.start, period.end) if period else (None, None)
        joined = sum(in_period(r.person.start_date, start, end) for r in data.people)
        left = sum(in_period(r.person.end_date, start, end) for r in data.people)
        late = [r.ref for r in data.people if r.exception]
        days = data.removal_days
        text = (f"Access is to be removed within {days} business day{'s' * (days != 1)} of a leaver's last day. "
                f"In the period: {joined} joiner{'s' * (joined != 1)}, {left} leaver{'s' * (left != 1)}.")
        return text + (f" Late access removal (exception): {', '.join(late)}." if late else "")

    def extra_buttons(self) -> list[QPushButton]:
        """Add "Time to remove access…" and "Use as population…"."""
        self.days_button = QPushButton("&Time to remove access…")
        self.days_button.clicked.connect(self.set_removal_days)
        self.population_button = QPushButton("Use as &population…")
        self.population_button.clicked.connect(self.use_as_population)
        return [self.days_button, self.population_button]

    def set_removal_days(self) -> None:
        """Ask for the stated business days to remove a leaver's access and record them (undoable)."""
        if self.data is None:
            return
        dialog = RemovalDaysDialog(self.data.removal_days, self)

        def accepted() -> None:
            days = dialog.values()
            if days != self.data.removal_days:
                self.context.apply(EditCommand(f"Set the time to remove access to {days} business days",
                                               partial(service.set_removal_days, days=days)))

        self.days_dialog = dialog
        open_guarded(dialog, accepted, self.context)  # type: ignore[arg-type]

    def use_as_population(self) -> None:
        """Make the period's joiners or leavers the population of an event-driven control (undoable)."""
        ask_population(self, lambda refs: PeoplePopulationDialog(refs, self), lambda chosen: EditCommand(
            f"Use the {chosen[0]} as the population of {chosen[1]}", partial(
                service.use_as_population, control_ref=chosen[1], which=chosen[0])) if chosen[1] else None)

    def form(self) -> list[FormField]:
        """Return the person's fields and checks."""
        return [
            FormField("ref", "Reference", LINE, required=True), FormField("name", "Name", LINE, required=True),
            FormField("email", "Email"), FormField("worker_type", "Employee or contractor", CHOICE,
                                                   enum_choices(WorkerType)),
            FormField("role", "Role"), FormField("manager", "Manager"),
            FormField("start_date", "Start date", DATE), FormField("end_date", "End date", DATE),
            FormField("background_check_on", "Background check on", DATE),
            FormField("background_check_result", "Background check result"),
            FormField("conduct_acknowledged_on", "Code of conduct acknowledged on", DATE),
            FormField("training_at_hire_on", "Security training at hire on", DATE),
            FormField("training_yearly_on", "Security training (yearly) on", DATE),
            FormField("access_granted_on", "Access granted on", DATE),
            FormField("access_removed_on", "Access removed on", DATE),
            FormField("equipment_returned_on", "Equipment returned on", DATE),
            FormField("notes", "Notes", TEXT),
        ]

    def values_of(self, record: ListedPerson | None) -> dict[str, Any]:
        """Return a person's fields (a new one's reference is the next free number, starting today)."""
        if record is None:
            return {"ref": next_ref(self.model.rows, "P-"), "start_date": self.context.today()}
        return super().values_of(record.person)

    def record_from(self, values: dict[str, Any], record: ListedPerson | None) -> Person:
        """Return the person the dialog describes."""
        return super().record_from(values, record.person if record is not None else None)

class RemovalDaysDialog(EditDialog):
    """The company's own stated time to remove a leaver's access, in business days."""

    def __init__(self, days: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Time to remove access")
        form = QFormLayout(self)
        form.addRow(plain_label("The business days after a leaver's last day within which your policy says their "
                                "access is removed. A later removal is an exception."))
        self.days = QSpinBox()
        self.days.setRange(0, 90)
        self.days.setValue(days)
        self.days.setSuffix(" business days")
        self.days.setAccessibleName("Business days")
        form.addRow("&Within", self.days)
        self.buttons = ok_cancel(self, "Set")
        form.addRow(self.buttons)

    def values(self) -> int:
        """Return the business days chosen."""
        return self.days.value()


class PeoplePopulationDialog(PopulationDialog):
    """Which of the period's people (joiners or leavers) become which event-driven control's population."""

    def __init__(self, refs: list[str], parent: QWidget | None = None) -> None:
        super().__init__("Use joiners or leavers as a population", "The people who joined or left in the audit "
                         "period replace the chosen control's population; its sample can then be drawn from them.",
                         refs, parent)

    def add_fields(self, form: QFormLayout) -> None:
        """Add the choice of joiners or leavers."""
        self.which = QComboBox()
        self.which.setAccessibleName("People")
        for text, value in (("Leavers", "leavers"), ("Joiners", "joiners")):
            self.which.addItem(text, value)
        form.addRow("&People", self.which)

    def values(self) -> tuple[str, str | None]:
        """Return joiners or leavers, and the control chosen."""
        return self.which.currentData(), self.control.currentData()
