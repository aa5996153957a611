"""Vendors and their reports as RegisterSpecs: the vendor inventory a company keeps, and the list of vendors' SOC
reports reviewed (with the user entity controls each expects of us, one per line, "[REF]" naming ours)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workbench.domain.enums import ReportType
from workbench.domain.register_values import parse_yes_no
from workbench.domain.vendors import (
    ReportKind,
    UserControl,
    Vendor,
    VendorReport,
    criticality_of,
    join_user_controls,
    parse_criticality,
    parse_data_access,
    parse_opinion,
    parse_report_kind,
    parse_report_type,
    parse_subservice,
    split_user_controls,
)
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import FlatRecords, Warnings, date_order, link_controls, refuse
from workbench.services.importers.spec import CREATE, UPDATE, Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM = FieldType.TEXT, FieldType.DATE, FieldType.ENUM

VENDOR_FIELDS = (
    Field("ref", TEXT, "Vendor ID", (
        "vendor id", "vendor #", "vendor no", "vendor number", "vendor ref", "supplier id", "supplier #", "id", "#",
        "no", "ref", "reference", "key",
    ), vetoes=frozenset({"contract", "owner", "report"}), what="the vendor ID", brief=True),
    Field("name", TEXT, "Vendor", (
        "vendor", "vendor name", "supplier", "supplier name", "name", "company", "company name", "provider",
        "service provider", "third party", "third party name", "organisation", "organization", "subprocessor",
        "sub processor", "processor", "partner", "tool", "application", "saas", "system",
    ), vetoes=frozenset({"id", "#", "owner", "contact", "tier", "risk", "type", "review", "criticality"}),
        required=True, what="the vendor name"),
    Field("service", TEXT, "Service", (
        "service", "services", "service provided", "services provided", "description", "purpose", "what they do",
        "product", "use", "usage", "business purpose", "function", "use case", "what for",
    )),
    Field("data", ENUM, "Data it touches", (
        "data", "data access", "data accessed", "data type", "data types", "data shared", "data classification",
        "access to data", "customer data", "handles customer data", "pii", "data it touches", "data processed",
        "access to customer data", "data handled", "personal data",
    ), parse=parse_data_access),
    Field("stops_service", ENUM, "Our service stops without it", (
        "our service stops without it", "stops service", "service stops", "critical to service",
        "service critical", "business critical", "outage impact", "single point of failure", "spof",
        "critical dependency", "availability impact", "service impact", "operationally critical",
    ), parse=parse_yes_no),
    Field("subservice", ENUM, "Subservice organisation", (
        "subservice organisation", "subservice organization", "subservice", "subservice method", "carve out",
        "carve out or inclusive", "in our report", "in soc report", "subservice org",
    ), parse=parse_subservice),
    Field("criticality", ENUM, "Criticality", (
        "criticality", "risk tier", "tier", "vendor tier", "risk level", "risk rating", "vendor risk", "rating",
        "criticality rating", "vendor criticality", "inherent risk", "classification", "importance",
    ), parse=parse_criticality),
    Field("contract_terms", TEXT, "Contract security terms", (
        "contract security terms", "contract terms", "security terms", "contract", "dpa", "agreement", "msa",
        "contractual terms", "security clauses", "contract status", "contractual security", "terms",
    )),
    Field("owner", TEXT, "Owner", (
        "owner", "vendor owner", "business owner", "relationship owner", "responsible", "internal owner",
        "account owner", "owner name",
    ), brief=True),
    Field("next_review", DATE, "Next review", (
        "next review", "next review date", "review date", "review due", "due date", "renewal date",
        "next assessment", "reassessment date", "review by", "next due",
    ), what="the next review date"),
    Field("notes", TEXT, "Notes", ("notes", "note", "comments", "comment", "remarks")),
)


class VendorRecords(FlatRecords):
    """Vendors; their criticality follows from the three questions when the file answers any of them."""

    def __init__(self) -> None:
        super().__init__("vendors", lambda key: Vendor(0, key, ""), {"data": "data"}, "vendor")

    def build(self, values: Mapping[str, Any], key: str, current: Vendor | None, loaded: Loaded
              ) -> tuple[Vendor, Warnings]:
        """Return the vendor a row asks for, its criticality worked out from the answers it gives."""
        record, warnings = super().build(values, key, current, loaded)
        answered = criticality_of(record.data, record.stops_service, record.subservice)
        if answered is not None:
            stated = values.get("criticality")
            if stated is not None and stated is not answered:
                warnings.append(("criticality", f"criticality: the sheet says {stated.label.lower()}, its answers "
                                                f"make it {answered.label.lower()}; {answered.label.lower()} is kept"))
            record = replace(record, criticality=answered)
        return record, warnings

    def values(self, record: Vendor) -> dict[str, Any]:
        """Return a vendor's fields."""
        return {name: getattr(record, name) for name in (f.name for f in VENDOR_FIELDS)}

    def refuse_removal(self, uow: UnitOfWork, source: str, record: Vendor) -> None:
        """Refuse to remove a vendor the import created once reports of it were recorded."""
        if uow.vendor_reports.of_vendor(record.ref):
            raise refuse(source, f"vendor {record.ref} now has reports recorded; remove them first")


VENDORS = RegisterSpec(
    kind="vendors", singular="vendor", title="Import the vendor inventory", fields=VENDOR_FIELDS, key="ref",
    label="name", natural_key=("name",), id_prefix="V-", missing_label="has no name", records=VendorRecords(),
    sheet_hint=re.compile(r"(vendor|supplier|third|provider|subprocessor|inventory)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(report|risk|incident|control)", re.IGNORECASE),
    sheet_weights={"name": 10, "service": 5, "criticality": 5, "data": 5},
    distinctive=("criticality", "subservice", "contract_terms", "stops_service"),
    pick_order=("ref", "subservice", "stops_service", "data", "criticality", "contract_terms", "next_review",
                "owner", "name", "service", "notes"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "tool", "application", "system", "use", "terms",
                       "rating", "tier", "data", "description", "product", "function", "classification"}),
    aliases={"id": "ref", "vendor": "name", "data_access": "data", "tier": "criticality"},
    keyless=True, preview=("criticality",), touches=Touched.VENDORS,
    texts=wizard_texts("vendors",
                       "Your list of vendors in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), CSV or JSON. "
                       "Vendors already recorded are updated by their ID, or by their name when the sheet has no ID "
                       "column.",
                       "Choose the column that holds each vendor's name (an ID column is optional)."),
)


# -- vendor reports -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportLabel:
    """What a cell such as "SOC 2 Type II" says: the kind of report, and its type when it says one."""

    kind: ReportKind | None
    report_type: ReportType | None

    @property
    def label(self) -> str:
        """Return it as a message shows it."""
        return " ".join(x.label for x in (self.kind, self.report_type) if x is not None)


def parse_report_label(text: str) -> ReportLabel | None:
    """Return the kind of report (and its type, when written with it) a cell names; None when blank."""
    kind = parse_report_kind(text)
    if kind is None:
        return None
    try:
        report_type = parse_report_type(text)
    except ValueError:
        report_type = None
    return ReportLabel(kind, report_type)


REPORT_FIELDS = (
    Field("ref", TEXT, "Report ID", (
        "report id", "report #", "report no", "report ref", "review id", "review #", "id", "#", "no", "ref",
        "reference", "key",
    ), vetoes=frozenset({"vendor", "control", "supplier"}), what="the report ID", brief=True),
    Field("vendor", TEXT, "Vendor", (
        "vendor", "vendor name", "supplier", "supplier name", "provider", "service organisation",
        "service organization", "subservice organisation", "subservice organization", "third party", "company",
        "name", "vendor id", "organisation", "organization",
    ), vetoes=frozenset({"owner", "contact"}), required=True, what="the vendor", brief=True),
    Field("kind", ENUM, "Report", (
        "report", "report type", "soc report", "type of report", "assurance report", "attestation", "report kind",
        "report name", "certification", "soc report type", "audit report", "assurance",
    ), vetoes=frozenset({"id", "#", "date", "period", "file"}), parse=parse_report_label),
    Field("report_type", ENUM, "Type", (
        "type", "soc type", "type i or ii", "type 1 or 2", "type i ii", "report type i ii",
    ), parse=parse_report_type),
    Field("period_start", DATE, "Period start", (
        "period start", "period from", "from", "start", "coverage start", "audit period start", "period begin",
        "report period start", "period start date", "start date", "covered from",
    ), what="the period start"),
    Field("period_end", DATE, "Period end", (
        "period end", "period to", "to", "end", "coverage end", "audit period end", "period ending",
        "report period end", "period end date", "end date", "covered to", "as of", "as of date",
    ), what="the period end"),
    Field("issued_on", DATE, "Issued", (
        "issued", "issue date", "issued on", "report date", "date issued", "opinion date", "date of report",
        "report issued",
    ), what="the issue date"),
    Field("opinion", ENUM, "Opinion", (
        "opinion", "auditor opinion", "audit opinion", "auditors opinion", "opinion type", "result", "outcome",
    ), parse=parse_opinion),
    Field("exceptions", TEXT, "Exceptions noted", (
        "exceptions", "exceptions noted", "deviations", "findings", "qualifications", "exceptions found",
        "noted exceptions", "test exceptions", "deviations noted", "exceptions relevant to us",
    )),
    Field("bridge_letter", TEXT, "Bridge letter", (
        "bridge letter", "bridge", "gap letter", "bridge letter date", "bridge letter received", "bridge letter to",
    ), brief=True),
    Field("reviewed_on", DATE, "Reviewed on", (
        "reviewed on", "reviewed", "review date", "date reviewed", "reviewed date", "last reviewed", "review",
    ), what="the review date"),
    Field("reviewed_by", TEXT, "Reviewed by", ("reviewed by", "reviewer", "review owner", "reviewed by name"),
          brief=True),
    Field("control", TEXT, "Review control", (
        "review control", "our control", "control", "control id", "related control", "vendor control",
    ), vetoes=frozenset({"user", "complementary", "cuec", "cuecs", "entity"}), brief=True),
    Field("user_controls", TEXT, "User entity controls", (
        "user entity controls", "cuecs", "cuec", "complementary user entity controls", "user controls",
        "customer responsibilities", "user responsibilities", "complementary controls", "controls expected of us",
        "user entity responsibilities", "complementary user entity control", "our responsibilities",
    )),
    Field("notes", TEXT, "Notes", ("notes", "note", "comments", "comment", "remarks")),
)
_REPORT_ATTRIBUTES = {"vendor": "vendor_ref", "control": "control_ref"}


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What report rows refer to: the project's controls, and its vendors by ref and by folded name."""

    controls: dict[str, str]
    vendors: dict[str, str]


def _vendor_ref(text: str, vendors: Mapping[str, str]) -> str | None:
    return vendors.get(text) or vendors.get(text.casefold())


def _new_vendor_ref(name: str) -> str:
    return "VEN-" + hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:6].upper()


class VendorReportRecords(FlatRecords):
    """Vendor reports; a vendor the file names that the register lacks is added with the report."""

    def __init__(self) -> None:
        # A new report is of the kind its row says: a cell that cannot be read is warned of as "left unset", so it
        # must not become the record's default SOC 2.
        super().__init__("vendor_reports", lambda key: VendorReport(0, key, "", kind=None), _REPORT_ATTRIBUTES,
                         "vendor report")

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the reports by ref, with the controls and vendors rows may name."""
        loaded = super().load(uow)
        vendors: dict[str, str] = {}
        for vendor in uow.vendors.list():
            vendors.setdefault(" ".join(vendor.name.split()).casefold(), vendor.ref)
            vendors.setdefault(vendor.ref.casefold(), vendor.ref)
            vendors[vendor.ref] = vendor.ref
        return Loaded(loaded.existing, ReportContext(loaded.context, vendors))

    def build(self, values: Mapping[str, Any], key: str, current: VendorReport | None, loaded: Loaded
              ) -> tuple[VendorReport, Warnings]:
        """Return the report a row asks for: its vendor, its kind and type, its controls found."""
        context: ReportContext = loaded.context
        changes = dict(values)
        warnings: Warnings = []
        label = changes.pop("kind", None) if "kind" in changes else ...
        if isinstance(label, ReportLabel):
            changes["kind"] = label.kind
            if changes.get("report_type") is None and label.report_type is not None:
                changes["report_type"] = label.report_type
        elif label is None:
            changes["kind"] = None
        if "vendor" in changes:
            name = " ".join((changes["vendor"] or "").split())
            found = _vendor_ref(name, context.vendors)
            changes["adds_vendor"] = found is None
            if found is None:
                found = _new_vendor_ref(name)  # added with the report, and listed in the result's vendors_added
            changes["vendor"], changes["vendor_name"] = found, name
        warnings += link_controls(changes, "control", context.controls)
        if "user_controls" in changes:
            changes["user_controls"], found_warnings = self._user_controls(changes["user_controls"] or "", current,
                                                                           context)
            warnings += found_warnings
        record, _ = super().build(changes, key, current, loaded)
        return record, warnings + date_order(record, ("period_start", "period_end", "issued_on"))

    @staticmethod
    def _user_controls(text: str, current: VendorReport | None, context: ReportContext
                       ) -> tuple[tuple[UserControl, ...], Warnings]:
        """Return the cell's user entity controls mapped to ours: "[REF]" in the cell, else as already mapped."""
        before = {c.text.casefold(): c.control_ref for c in current.user_controls} if current else {}
        found: list[UserControl] = []
        warnings: Warnings = []
        for item in split_user_controls(text):
            ref = None
            if item.control_ref:
                ref = context.controls.get(item.control_ref) or context.controls.get(item.control_ref.casefold())
                if ref is None:
                    warnings.append(("user_controls", f"user_controls: {item.control_ref[:40]!r} is not a control "
                                                      f"of this project; {item.text[:40]!r} is left unmapped"))
            found.append(UserControl(item.text, ref or before.get(item.text.casefold())))
        return tuple(found), warnings

    def values(self, record: VendorReport) -> dict[str, Any]:
        """Return a report's fields (the vendor by name; user entity controls one per line, "[REF]" after ours)."""
        return {
            "ref": record.ref, "vendor": record.vendor_name or record.vendor_ref, "kind": record.kind,
            "report_type": record.report_type, "period_start": record.period_start, "period_end": record.period_end,
            "issued_on": record.issued_on, "opinion": record.opinion, "exceptions": record.exceptions,
            "bridge_letter": record.bridge_letter, "reviewed_on": record.reviewed_on,
            "reviewed_by": record.reviewed_by, "control": record.control_ref,
            "user_controls": join_user_controls(record.user_controls), "notes": record.notes,
        }

    def write(self, uow: UnitOfWork, creates: Sequence[VendorReport],
              updates: Sequence[tuple[VendorReport, VendorReport]]) -> None:
        """Add the vendors the file names that the register lacks, then the reports."""
        known = {v.ref for v in uow.vendors.list()}
        added: dict[str, Vendor] = {}
        for report in [*creates, *(record for _, record in updates)]:
            if report.vendor_ref not in known and report.vendor_ref not in added:
                added[report.vendor_ref] = Vendor(0, report.vendor_ref, report.vendor_name or report.vendor_ref)
        uow.vendors.add_many(list(added.values()))
        super().write(uow, creates, updates)

    def remember(self, uow: UnitOfWork, plan: Any) -> tuple[str, ...]:
        """Return the vendors the import added (undo removes them again)."""
        return tuple(dict.fromkeys(r.record.vendor_ref for r in plan.rows
                                   if r.record is not None and r.action in (CREATE, UPDATE) and r.record.adds_vendor))

    def forget(self, uow: UnitOfWork, kept: tuple[str, ...]) -> None:
        """Remove the vendors the import added, once their reports are gone."""
        for ref in kept or ():
            vendor = uow.vendors.by_ref(ref)
            if vendor is not None and not uow.vendor_reports.of_vendor(ref):
                uow.vendors.remove(vendor.id)


def report_summary(uow: UnitOfWork, plan: Any, kept: tuple[str, ...] | None) -> dict[str, Any]:
    """Return what an import of vendor reports adds to the result: the vendors it adds to the register."""
    added = kept if kept is not None else tuple(dict.fromkeys(
        r.record.vendor_ref for r in plan.rows if r.record is not None and r.action in (CREATE, UPDATE)
        and r.record.adds_vendor))
    return {"vendors_added": list(added)}


VENDOR_REPORTS = RegisterSpec(
    kind="vendor-reports", singular="vendor-report", title="Import vendors' reports", fields=REPORT_FIELDS,
    key="ref", label="vendor", natural_key=("vendor", "period_end"), id_prefix="VR-",
    missing_label="names no vendor", records=VendorReportRecords(),
    sheet_hint=re.compile(r"(soc|report|review|assurance|vendor|subservice)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|incident|inventory)", re.IGNORECASE),
    sheet_weights={"vendor": 10, "kind": 6, "period_end": 6, "opinion": 6, "user_controls": 6},
    distinctive=("opinion", "bridge_letter", "user_controls", "period_end"),
    pick_order=("ref", "user_controls", "reviewed_on", "reviewed_by", "bridge_letter", "period_start", "period_end",
                "issued_on", "opinion", "exceptions", "report_type", "kind", "control", "vendor", "notes"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "from", "to", "start", "end", "type", "report",
                       "result", "outcome", "review", "reviewed", "bridge", "company", "control", "assurance"}),
    aliases={"id": "ref", "report": "kind", "type": "report_type", "cuecs": "user_controls",
             "user_entity_controls": "user_controls"},
    keyless=True, preview=("kind", "period_end"), link_fields=("control",), touches=Touched.VENDORS,
    summary=report_summary,
    texts=wizard_texts("reports",
                       "The list of your vendors' SOC reports you reviewed: Excel, OpenDocument, CSV or JSON. Put the "
                       "user entity controls a report expects of you in one cell, one per line; end a line with "
                       "[CONTROL-ID] to map it to your control.",
                       "Choose the column that names each report's vendor (an ID column is optional)."),
)
