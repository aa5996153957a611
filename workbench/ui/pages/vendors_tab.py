"""The vendor tabs: the vendor inventory (criticality from three plain questions, subservice organisations tied to
the scope page) and the vendors' reports we reviewed, with what each expects of us and the file kept as evidence."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QPushButton

from workbench.domain.enums import Opinion, ReportType, SubserviceMethod
from workbench.domain.register_controls import control_for
from workbench.domain.vendors import (
    Criticality,
    DataAccess,
    ReportKind,
    Vendor,
    VendorReport,
    criticality_of,
    report_stale,
    reviewed_within,
)
from workbench.services import vendors as service
from workbench.services.evidence import Cancelled
from workbench.services.importers.kinds import VENDOR_REPORTS, VENDORS
from workbench.services.scope import add_subservice
from workbench.services.session import OpenProject
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.record_form import CHOICE, CONTROL, CUSTOM, DATE, LINE, TEXT, YES_NO, FormField, enum_choices
from workbench.ui.pages.register_model import Choice, Column
from workbench.ui.pages.register_tab import RegisterTab, Service, next_ref
from workbench.ui.pages.user_controls_editor import UserControlsEditor
from workbench.ui.undo import EditCommand, LongEditCommand


def _label(value: object) -> str:
    return str(getattr(value, "label", "")) if value is not None else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else "Yes" if value else "No"


def _last_review(register: service.VendorRegister | None, vendor: Vendor) -> date | None:
    reviews = [r.reviewed_on for r in register.reports_of(vendor) if r.reviewed_on] if register else []
    return max(reviews) if reviews else None


def _user_controls(report: VendorReport) -> str:
    if not report.user_controls:
        return ""
    unmapped = len(report.unmapped)
    return f"{len(report.user_controls)}" + (f" ({unmapped} not mapped)" if unmapped else " (all mapped)")


class VendorsTab(RegisterTab):
    """The vendor inventory."""

    key, title, noun, spec, kind = "vendors", "Vendors", "vendor", VENDORS, service.VENDORS
    record_type = Vendor
    intro = ("Who you rely on, what they reach and how critical they are: a subservice organisation in your report, "
             "or one holding customer data whose failure stops your service, is critical and needs its SOC report "
             "reviewed every year.")

    @property
    def columns(self) -> tuple[Column, ...]:  # type: ignore[override]
        return (
            Column("Ref", lambda v: v.ref), Column("Vendor", lambda v: v.name), Column("Service", lambda v: v.service),
            Column("Data", lambda v: _label(v.data)), Column("Service stops", lambda v: _yes(v.stops_service)),
            Column("Subservice", self._subservice), Column("Criticality", lambda v: _label(v.criticality),
                                                           lambda v: list(Criticality).index(v.criticality)
                                                           if v.criticality else 9),
            Column("Last review", lambda v: format_date(_last_review(self.data, v)),
                   lambda v: _last_review(self.data, v) or date.min),
            Column("Next review", lambda v: format_date(v.next_review), lambda v: v.next_review or date.min),
            Column("Owner", lambda v: v.owner),
        )

    @property
    def choices(self) -> tuple[Choice, ...]:  # type: ignore[override]
        return (Choice("Critical", lambda v: v.criticality is Criticality.CRITICAL),
                Choice("Subservice organisations", lambda v: v.subservice is not None),
                Choice("Without a review in 12 months", lambda v: not reviewed_within(
                    self.data.reports_of(v) if self.data else (), self.context.today())))

    def _subservice(self, vendor: Vendor) -> str:
        if vendor.subservice is None:
            return ""
        on_page = self.data is not None and self.data.on_scope_page(vendor)
        return vendor.subservice.label + ("" if on_page else " (not on the scope page)")

    @staticmethod
    def fetch(project: OpenProject) -> service.VendorRegister:
        """Read vendors, their reports and the scope's subservice organisations."""
        return service.vendor_register(project)

    def records(self, data: service.VendorRegister) -> tuple[Vendor, ...]:
        """Return the vendors."""
        return data.vendors

    def describe(self, data: service.VendorRegister) -> str:
        """Say which critical vendors lack a review, and which subservice vendors the scope page lacks."""
        today = self.context.today()
        unreviewed = [v.name for v in data.vendors if v.criticality is Criticality.CRITICAL
                      and not reviewed_within(data.reports_of(v), today)]
        missing = [v.name for v in data.vendors if v.subservice is not None and not data.on_scope_page(v)]
        parts = []
        if unreviewed:
            parts.append(f"Critical vendors without a review in 12 months: {', '.join(unreviewed)}.")
        if missing:
            parts.append(f"Subservice organisations not on the scope page: {', '.join(missing)}.")
        return " ".join(parts)

    def extra_buttons(self) -> list[QPushButton]:
        """Add "List on the scope page" for a subservice vendor the scope lacks."""
        self.scope_button = QPushButton("List on the &scope page")
        self.scope_button.setToolTip("Add the selected subservice vendor to the scope's subservice organisations")
        self.scope_button.clicked.connect(self.list_on_scope)
        return [self.scope_button]

    def list_on_scope(self) -> None:
        """Add the selected subservice vendor to the scope page's subservice organisations (undoable)."""
        vendor = self.selected()
        if vendor is None or vendor.subservice is None or (self.data and self.data.on_scope_page(vendor)):
            return
        self.context.apply(EditCommand(f"List {vendor.name} on the scope page", partial(
            add_subservice, name=vendor.name, service=vendor.service, method=vendor.subservice)))

    def form(self) -> list[FormField]:
        """Return the vendor's fields: the three questions its criticality follows from among them."""
        return [
            FormField("ref", "Reference", LINE, required=True), FormField("name", "Vendor", LINE, required=True),
            FormField("service", "Service"),
            FormField("data", "Which data does it touch?", CHOICE, enum_choices(DataAccess)),
            FormField("stops_service", "Does our service stop when it fails?", YES_NO),
            FormField("subservice", "Is it a subservice organisation in our report?", CHOICE,
                      enum_choices(SubserviceMethod)),
            FormField("criticality", "Criticality (when the questions are not answered)", CHOICE,
                      enum_choices(Criticality)),
            FormField("contract_terms", "Contract security terms", TEXT), FormField("owner", "Owner"),
            FormField("next_review", "Next review", DATE), FormField("notes", "Notes", TEXT),
        ]

    def note(self, values: dict[str, Any]) -> str:
        """Show the criticality the answers make."""
        found = criticality_of(values.get("data"), values.get("stops_service"), values.get("subservice"))
        return f"Criticality from the answers: {found.label}." if found else "Answer the questions to rate it."

    def values_of(self, record: Vendor | None) -> dict[str, Any]:
        """Return a vendor's fields (a new one's reference is the next free number)."""
        if record is None:
            return {"ref": next_ref(self.model.rows, "V-")}
        return super().values_of(record)

    def services(self) -> tuple[Service, Service, Service]:
        """Return the record engine's add and update of vendors, and the removal that takes their reports too."""
        add, update, _remove = super().services()
        return add, update, lambda project, record_id: service.remove_vendor(project, record_id)


class VendorReportsTab(RegisterTab):
    """The vendors' reports we reviewed, and the user entity controls each expects of us."""

    key, title, noun, spec, kind = "vendor-reports", "Vendor reports", "vendor report", VENDOR_REPORTS, \
        service.REPORTS
    record_type = VendorReport
    intro = ("Each critical vendor's own SOC report, reviewed once a year: its period, opinion and exceptions, and the "
             "controls it expects of you, each to be met by one of your controls. The report file is kept as "
             "evidence of the control its review serves.")
    columns = (
        Column("Ref", lambda r: r.ref), Column("Vendor", lambda r: r.vendor_name),
        Column("Report", lambda r: " ".join(filter(None, (_label(r.kind), _label(r.report_type))))),
        Column("Period end", lambda r: format_date(r.period_end), lambda r: r.period_end or date.min),
        Column("Opinion", lambda r: _label(r.opinion)),
        Column("Exceptions", lambda r: "yes" if r.exceptions.strip() else "none", tip=lambda r: r.exceptions),
        Column("Reviewed", lambda r: format_date(r.reviewed_on), lambda r: r.reviewed_on or date.min),
        Column("Control", lambda r: r.control_ref or ""),
        Column("Expected of us", _user_controls, lambda r: len(r.unmapped),
               lambda r: "\n".join(c.text + (f" [{c.control_ref}]" if c.control_ref else " [not mapped]")
                                   for c in r.user_controls)),
        Column("File", lambda r: "kept as evidence" if r.evidence_id else ""),
    )

    @property
    def choices(self) -> tuple[Choice, ...]:  # type: ignore[override]
        return (Choice("With controls expected of us not mapped", lambda r: bool(r.unmapped)),
                Choice("Period ended more than 12 months ago", lambda r: report_stale(r, self.context.today())),
                Choice("With exceptions noted", lambda r: bool(r.exceptions.strip())))

    @staticmethod
    def fetch(project: OpenProject) -> service.VendorRegister:
        """Read vendors, their reports and the controls."""
        return service.vendor_register(project)

    def records(self, data: service.VendorRegister) -> tuple[VendorReport, ...]:
        """Return the reports."""
        return data.reports

    def describe(self, data: service.VendorRegister) -> str:
        """Say how many controls expected of us no control of ours meets yet."""
        unmapped = service.unmapped_user_controls(data.reports)
        return f"{len(unmapped)} controls vendors' reports expect of you are not mapped to one of yours yet." \
            if unmapped else ""

    def show_extra(self, data: service.VendorRegister) -> None:
        """A report is added by hand for a vendor of the register: Add waits for one (an import adds vendors)."""
        self.add_button.setEnabled(bool(data.vendors))
        self.add_button.setToolTip("" if data.vendors else "Add the vendor first (the Vendors tab), or import the "
                                                           "reports: an import adds the vendors it names")

    def extra_buttons(self) -> list[QPushButton]:
        """Add "Attach report file…"."""
        self.attach_button = QPushButton("Attach the report &file…")
        self.attach_button.clicked.connect(lambda: self.attach_file())
        return [self.attach_button]

    def attach_file(self, path: Path | str | None = None) -> None:
        """Keep the selected report's file as evidence of its control (asks for the file; undoable)."""
        report = self.selected()
        if report is None:
            return
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Attach the vendor's report", "", "PDF files (*.pdf);;"
                                                                                              "All files (*)")
            if not chosen:
                return
            path = chosen
        report_id, source = report.id, Path(path)
        self.context.apply(LongEditCommand(
            f"Attach {source.name} to {report.ref}",
            lambda p, operation: service.attach_report_file(p, report_id, source, operation.progress),
            cancelled=(Cancelled,)))

    def form(self) -> list[FormField]:
        """Return the report's fields, its user entity controls in their own editor."""
        vendors = tuple((f"{v.name} ({v.ref})", v.ref) for v in (self.data.vendors if self.data else ()))
        refs = self.control_refs
        return [
            FormField("ref", "Reference", LINE, required=True),
            FormField("vendor_ref", "Vendor", CHOICE, vendors, required=True),
            FormField("kind", "Report", CHOICE, enum_choices(ReportKind)),
            FormField("report_type", "Type", CHOICE, enum_choices(ReportType)),
            FormField("period_start", "Period start", DATE), FormField("period_end", "Period end", DATE),
            FormField("issued_on", "Issued", DATE), FormField("opinion", "Opinion", CHOICE, enum_choices(Opinion)),
            FormField("exceptions", "Exceptions noted", TEXT), FormField("bridge_letter", "Bridge letter"),
            FormField("reviewed_on", "Reviewed on", DATE), FormField("reviewed_by", "Reviewed by"),
            FormField("control_ref", "Review control (its evidence)", CONTROL),
            FormField("user_controls", "Expected of us", CUSTOM, make=lambda: UserControlsEditor(refs)),
            FormField("notes", "Notes", TEXT),
        ]

    def values_of(self, record: VendorReport | None) -> dict[str, Any]:
        """Return a report's fields (a new one's reference is the next free number, of the selected vendor)."""
        if record is None:
            first = self.data.vendors[0].ref if self.data and self.data.vendors else None
            return {"ref": next_ref(self.model.rows, "VR-"), "vendor_ref": first, "kind": ReportKind.SOC2,
                    "report_type": ReportType.TYPE2, "reviewed_on": self.context.today(),
                    "control_ref": control_for(self.data.controls if self.data else (), "vendor-report")}
        return super().values_of(record)

    def record_from(self, values: dict[str, Any], record: VendorReport | None) -> VendorReport:
        """Return the report the dialog describes (no vendor chosen: an empty reference)."""
        return super().record_from({**values, "vendor_ref": values.get("vendor_ref") or ""}, record)
