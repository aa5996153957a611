"""Vendors and their SOC reports (CC9.2, DC7): criticality from three plain questions, what each report asks of us."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from workbench.domain.enums import LabelledEnum, Opinion, ReportType, SubserviceMethod
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import parse_from, words

REPORT_LIFE_MONTHS = 12  # a report whose period ended longer ago than this no longer covers the vendor


class DataAccess(LabelledEnum):
    NONE = "none"
    INTERNAL = "internal"
    CUSTOMER = "customer"

    @property
    def label(self) -> str:
        return {"none": "No company data", "internal": "Internal data only", "customer": "Customer data"}[self.value]


class Criticality(LabelledEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ReportKind(LabelledEnum):
    SOC1 = "soc1"
    SOC2 = "soc2"
    SOC3 = "soc3"
    ISO27001 = "iso27001"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"soc1": "SOC 1", "soc2": "SOC 2", "soc3": "SOC 3", "iso27001": "ISO 27001 certificate",
                "other": "Other assurance"}[self.value]


_DATA: dict[str, DataAccess] = {
    **dict.fromkeys(("customer", "customer data", "customers data", "client data", "personal data", "pii",
                     "confidential", "restricted", "production data", "yes", "high"), DataAccess.CUSTOMER),
    **dict.fromkeys(("internal", "internal data", "internal data only", "internal only", "company data",
                     "employee data", "staff data", "limited", "medium", "some"), DataAccess.INTERNAL),
    **dict.fromkeys(("none", "no", "no data", "no company data", "public", "public data", "n a", "na", "low"),
                    DataAccess.NONE),
}
_CRITICALITY: dict[str, Criticality] = {
    **dict.fromkeys(("critical", "tier 1", "tier1", "1", "very high", "essential"), Criticality.CRITICAL),
    **dict.fromkeys(("high", "tier 2", "tier2", "2", "important"), Criticality.HIGH),
    **dict.fromkeys(("medium", "moderate", "tier 3", "tier3", "3", "med"), Criticality.MEDIUM),
    **dict.fromkeys(("low", "tier 4", "tier4", "4", "minimal", "none"), Criticality.LOW),
}
_KINDS: dict[str, ReportKind] = {
    **dict.fromkeys(("soc 1", "soc1", "ssae 18", "isae 3402"), ReportKind.SOC1),
    **dict.fromkeys(("soc 2", "soc2", "soc 2 type i", "soc 2 type ii", "soc 2 type 1", "soc 2 type 2",
                     "soc2 type ii", "soc2 type i", "soc2 type 2", "soc2 type 1", "isae 3000"), ReportKind.SOC2),
    **dict.fromkeys(("soc 3", "soc3"), ReportKind.SOC3),
    **dict.fromkeys(("iso 27001", "iso27001", "iso", "iso 27001 certificate"), ReportKind.ISO27001),
    **dict.fromkeys(("other", "other assurance", "pentest", "pen test", "questionnaire", "caiq", "sig"),
                    ReportKind.OTHER),
}
_OPINIONS: dict[str, Opinion] = {
    **dict.fromkeys(("unqualified", "unmodified", "clean", "pass", "passed", "no exceptions"), Opinion.UNQUALIFIED),
    **dict.fromkeys(("qualified", "modified"), Opinion.QUALIFIED),
    **dict.fromkeys(("adverse",), Opinion.ADVERSE),
    **dict.fromkeys(("disclaimer", "disclaimed", "disclaimer of opinion"), Opinion.DISCLAIMER),
}
_EXCEPTIONS_ONLY = frozenset(("with exceptions", "exceptions", "exceptions noted", "exception noted",
                              "exceptions found", "has exceptions"))
_SUBSERVICE: dict[str, SubserviceMethod | None] = {
    **dict.fromkeys(("carve out", "carveout", "carved out", "yes", "y", "true", "x", "subservice"),
                    SubserviceMethod.CARVE_OUT),
    **dict.fromkeys(("inclusive", "included", "inclusive method"), SubserviceMethod.INCLUSIVE),
    **dict.fromkeys(("no", "n", "false", "none", "n a", "na", "not a subservice organisation"), None),
}


def parse_data_access(text: str) -> DataAccess | None:
    """Return which data a vendor touches, from a cell (None when blank)."""
    return parse_from(_DATA, text, "customer data, internal data or none")


def parse_criticality(text: str) -> Criticality | None:
    """Return the criticality a cell states (None when blank)."""
    return parse_from(_CRITICALITY, text, "a criticality (critical, high, medium or low)")


def parse_report_kind(text: str) -> ReportKind | None:
    """Return SOC 1, 2 or 3 (or another assurance) from a cell such as "SOC 2 Type II" (None when blank)."""
    return parse_from(_KINDS, text, "a kind of report (SOC 1, SOC 2, SOC 3, ISO 27001)")


def parse_report_type(text: str) -> ReportType | None:
    """Return Type I or Type II from a cell ("Type 2", "SOC 2 Type II", "II"); None when blank or not said."""
    said = words(text)
    if not said:
        return None
    found = re.search(r"\btype (i{1,2}|1|2)\b", said) or re.fullmatch(r"(i{1,2}|1|2)", said)
    if found is None:
        if said in ("soc 3", "soc3", "iso 27001", "n a", "na"):
            return None
        raise ValueError(f"{str(text).strip()[:40]!r} is not Type I or Type II")
    return ReportType.TYPE1 if found.group(1) in ("i", "1") else ReportType.TYPE2


def parse_opinion(text: str) -> Opinion | None:
    """Return the auditor's opinion a cell names (None when blank); ValueError for exceptions alone.

    Exceptions found in the tests of controls leave an opinion unqualified unless the auditor qualified it for
    them, so "with exceptions" does not say which opinion the report gives.
    """
    if words(text) in _EXCEPTIONS_ONLY:
        raise ValueError(f"{str(text).strip()[:40]!r} says the tests found exceptions, not the opinion: write "
                         "unqualified (exceptions noted) or qualified, as the report's opinion reads")
    return parse_from(_OPINIONS, text, "an opinion (unqualified, qualified, adverse or disclaimer)")


def parse_subservice(text: str) -> SubserviceMethod | None:
    """Return carve-out or inclusive for a vendor that is a subservice organisation (None: it is not one)."""
    said = words(text)
    if not said:
        return None
    return parse_from(_SUBSERVICE, text, "carve-out, inclusive, yes or no")


def criticality_of(data: DataAccess | None, stops_service: bool | None,
                   subservice: SubserviceMethod | None) -> Criticality | None:
    """Return a vendor's criticality from the three questions (None when none of them is answered).

    A subservice organisation in our report, or one holding customer data whose failure stops our service, is
    critical; customer data or a stop alone is high; internal data is medium; otherwise low.
    """
    if data is None and stops_service is None and subservice is None:
        return None
    if subservice is not None or (data is DataAccess.CUSTOMER and stops_service):
        return Criticality.CRITICAL
    if data is DataAccess.CUSTOMER or stops_service:
        return Criticality.HIGH
    return Criticality.MEDIUM if data is DataAccess.INTERNAL else Criticality.LOW


@dataclass(frozen=True, slots=True)
class Vendor(RegisterRecord):
    name: str
    service: str = ""
    data: DataAccess | None = None
    stops_service: bool | None = None
    subservice: SubserviceMethod | None = None
    criticality: Criticality | None = None
    contract_terms: str = ""
    owner: str = ""
    next_review: date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class UserControl:
    """A control a vendor's report expects of us (a complementary user entity control), and ours that meets it."""

    text: str
    control_ref: str | None = None


_MAPPED = re.compile(r"^(?P<text>.*?)\s*(?:\[(?P<ref>[^\[\]]{1,128})\]|(?:->|=>|→)\s*(?P<arrow>\S{1,128}))\s*$")


def split_user_controls(text: str) -> list[UserControl]:
    """Return the user entity controls of a cell, one per line; "text [REF]" or "text -> REF" names our control."""
    found: list[UserControl] = []
    for line in str(text).splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if not line:
            continue
        match = _MAPPED.match(line)
        if match and match.group("text"):
            found.append(UserControl(match.group("text"), (match.group("ref") or match.group("arrow")).strip()))
        else:
            found.append(UserControl(line))
    return found


def join_user_controls(controls: Iterable[UserControl]) -> str:
    """Return user entity controls as one cell: a line each, "[REF]" after those mapped to our control."""
    return "\n".join(c.text + (f" [{c.control_ref}]" if c.control_ref else "") for c in controls)


@dataclass(frozen=True, slots=True)
class VendorReport(RegisterRecord):
    vendor_ref: str
    kind: ReportKind | None = ReportKind.SOC2
    report_type: ReportType | None = None
    period_start: date | None = None
    period_end: date | None = None
    issued_on: date | None = None
    opinion: Opinion | None = None
    exceptions: str = ""  # the exceptions the vendor's auditor noted; "" for none
    bridge_letter: str = ""
    reviewed_on: date | None = None
    reviewed_by: str = ""
    control_ref: str | None = None  # our control its review serves (vendor management)
    user_controls: tuple[UserControl, ...] = ()
    notes: str = ""
    evidence_id: int | None = None  # the report file, kept as evidence of control_ref
    vendor_name: str = field(default="", compare=False)
    adds_vendor: bool = field(default=False, compare=False)  # an import names a vendor the register lacks

    @property
    def unmapped(self) -> tuple[UserControl, ...]:
        """Return the user entity controls not yet met by one of our controls."""
        return tuple(c for c in self.user_controls if not c.control_ref)


def report_stale(report: VendorReport, today: date) -> bool:
    """Return True when the report's period ended more than 12 months before today."""
    ended = report.period_end or report.issued_on
    return ended is not None and ended + relativedelta(months=REPORT_LIFE_MONTHS) < today


def reviewed_within(reports: Iterable[VendorReport], today: date) -> bool:
    """Return True when one of the reports was reviewed in the last 12 months."""
    since = today - relativedelta(months=REPORT_LIFE_MONTHS)
    return any(r.reviewed_on is not None and since <= r.reviewed_on <= today for r in reports)
