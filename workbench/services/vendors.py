"""Vendors (CC9.2) and the assurance reports of theirs we review (DC7): edits, the report file kept as evidence of
the vendor-review control, and the tie of subservice vendors to the scope's subservice organisations."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from workbench.domain.entities import Control, Subservice
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.media import sniff_media_type
from workbench.domain.vendors import UserControl, Vendor, VendorReport, criticality_of
from workbench.services.changes import Change, Touched
from workbench.services.evidence import CHUNK_SIZE, Progress, RemovedEvidence
from workbench.services.register_records import RecordKind, known_control, required
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

VENDOR, REPORT = "vendor", "vendor report"
_FILE_TOUCHES = Touched.VENDORS | Touched.EVIDENCE


def _clean_vendor(uow: UnitOfWork, vendor: Vendor) -> Vendor:
    what = f"vendor {vendor.ref.strip()}".strip()
    answered = criticality_of(vendor.data, vendor.stops_service, vendor.subservice)
    return replace(vendor, ref=required(VENDOR, "reference", vendor.ref), name=required(what, "name", vendor.name),
                   service=vendor.service.strip(), owner=vendor.owner.strip(),
                   criticality=answered if answered is not None else vendor.criticality)


def _clean_report(uow: UnitOfWork, report: VendorReport) -> VendorReport:
    what = f"vendor report {report.ref.strip()}".strip()
    vendor = uow.vendors.by_ref(report.vendor_ref.strip())
    if vendor is None:
        raise ValidationError(what, f"{report.vendor_ref.strip() or 'no vendor'} is not in the vendor register")
    if report.period_start and report.period_end and report.period_end < report.period_start:
        raise ValidationError(what, "its period ends before it starts")
    controls = tuple(UserControl(required(what, "user entity control", c.text), known_control(uow, what, c.control_ref))
                     for c in report.user_controls)
    evidence = report.evidence_id if report.evidence_id and _evidence_exists(uow, report.evidence_id) else None
    return replace(report, ref=required(REPORT, "reference", report.ref), vendor_ref=vendor.ref,
                   control_ref=known_control(uow, what, report.control_ref), user_controls=controls,
                   reviewed_by=report.reviewed_by.strip(), evidence_id=evidence)


def _evidence_exists(uow: UnitOfWork, evidence_id: int) -> bool:
    try:
        uow.evidence.get(evidence_id)
    except WorkbenchError:
        return False
    return True


# Vendors and their reports, edited by the record engine (services.register_records); a vendor is removed with its
# reports by remove_vendor.
VENDORS: RecordKind[Vendor] = RecordKind(VENDOR, Touched.VENDORS, lambda uow: uow.vendors, _clean_vendor)
REPORTS: RecordKind[VendorReport] = RecordKind(REPORT, Touched.VENDORS, lambda uow: uow.vendor_reports,
                                               _clean_report)


@dataclass(frozen=True, slots=True)
class RemovedVendor:
    """A vendor removed with its reports, for undo."""

    vendor: Vendor
    reports: tuple[VendorReport, ...]


def remove_vendor(project: OpenProject, vendor_id: int) -> Change[RemovedVendor]:
    """Remove a vendor with its reports (their files stay as evidence); undone by restore_vendor."""
    with project.uow() as uow:
        vendor = uow.vendors.get(vendor_id)
        reports = tuple(uow.vendor_reports.of_vendor(vendor.ref))
        for report in reports:
            uow.vendor_reports.remove(report.id)
        uow.vendors.remove(vendor_id)
        uow.commit()
    removed = RemovedVendor(vendor, reports)
    return Change(Touched.VENDORS, partial(restore_vendor, removed=removed), removed)


def restore_vendor(project: OpenProject, removed: RemovedVendor) -> Change[int]:
    """Put a removed vendor back with its reports, under their ids."""
    with project.uow() as uow:
        vendor_id = uow.vendors.add(_clean_vendor(uow, removed.vendor), removed.vendor.id)
        for report in removed.reports:
            uow.vendor_reports.add(_clean_report(uow, report), report.id)
        uow.commit()
    return Change(Touched.VENDORS, partial(remove_vendor, vendor_id=vendor_id), vendor_id)


# -- the report file as evidence --------------------------------------------------------------------------------


def attach_report_file(project: OpenProject, report_id: int, path: Path | str,
                       progress: Progress | None = None) -> Change[VendorReport]:
    """Keep the report's file (hashed) as evidence of the control its review serves, dated at the review."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WorkbenchError(str(source), f"cannot be read ({exc.strerror or exc})") from None
    if progress is not None:
        progress(1, 2)
    with project.uow() as uow:
        report = uow.vendor_reports.get(report_id)
        if report.control_ref is None:
            raise ValidationError(f"vendor report {report.ref}", "choose the control its review serves first; the "
                                                                  "file is kept as that control's evidence")
        previous = _detach(uow, report)
        sha256 = hashlib.sha256(data).hexdigest()
        if not uow.evidence.has_blob(sha256):
            uow.evidence.store_blob(sha256, sniff_media_type(data[:8192], source.name),
                                    [data[i:i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)] or [b""])
        title = f"{report.vendor_name} {report.kind.label if report.kind else 'report'}" + (
            f", period to {report.period_end.isoformat()}" if report.period_end else "")
        evidence_id = uow.evidence.add(
            uow.controls.id_of(report.control_ref), sha256, title=title, filename=source.name, added_at=uow.now(),
            collected_on=report.reviewed_on or report.issued_on or uow.now().date(),
            source=f"Vendor report {report.ref}, reviewed")
        uow.vendor_reports.set_evidence(report_id, evidence_id)
        uow.commit()
        result = uow.vendor_reports.get(report_id)
    return Change(_FILE_TOUCHES, partial(detach_report_file, report_id=report_id, previous=previous), result)


def _detach(uow: UnitOfWork, report: VendorReport) -> RemovedEvidence | None:
    if report.evidence_id is None or not _evidence_exists(uow, report.evidence_id):
        return None
    removed = RemovedEvidence(uow.evidence.get(report.evidence_id), uow.evidence.request_links(report.evidence_id))
    uow.evidence.remove(report.evidence_id)
    return removed


def _put_evidence(uow: UnitOfWork, removed: RemovedEvidence) -> int:
    """Put a removed evidence record back (same bytes, details and request links); return its id."""
    evidence = removed.evidence
    if not uow.evidence.has_blob(evidence.sha256):
        raise WorkbenchError(f"evidence {evidence.filename}", "its bytes are no longer in the project")
    return uow.evidence.restore(evidence, uow.controls.id_of(evidence.control_ref), evidence.added_at or uow.now(),
                                removed.request_ids)


def detach_report_file(project: OpenProject, report_id: int,
                       previous: RemovedEvidence | None = None) -> Change[VendorReport]:
    """Remove the report's file from the evidence (the undo of attaching it), putting back the one it replaced."""
    with project.uow() as uow:
        report = uow.vendor_reports.get(report_id)
        removed = _detach(uow, report)
        uow.vendor_reports.set_evidence(report_id, _put_evidence(uow, previous) if previous else None)
        uow.commit()
        result = uow.vendor_reports.get(report_id)
    return Change(_FILE_TOUCHES, partial(_reattach, report_id=report_id, removed=removed), result)


def _reattach(project: OpenProject, report_id: int, removed: RemovedEvidence | None) -> Change[VendorReport]:
    """Put a detached file back as the report's evidence (the redo of attaching)."""
    with project.uow() as uow:
        previous = _detach(uow, uow.vendor_reports.get(report_id))
        uow.vendor_reports.set_evidence(report_id, _put_evidence(uow, removed) if removed else None)
        uow.commit()
        result = uow.vendor_reports.get(report_id)
    return Change(_FILE_TOUCHES, partial(detach_report_file, report_id=report_id, previous=previous), result)


# -- the register as a page reads it --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VendorRegister:
    """Vendors, their reports, the scope's subservice organisations and the project's controls."""

    vendors: tuple[Vendor, ...]
    reports: tuple[VendorReport, ...]
    subservices: tuple[Subservice, ...]
    controls: tuple[Control, ...]

    def on_scope_page(self, vendor: Vendor) -> bool:
        """Return True when a vendor is among the scope page's subservice organisations (by name)."""
        return any(s.name.casefold().strip() == vendor.name.casefold().strip() for s in self.subservices)

    def reports_of(self, vendor: Vendor) -> tuple[VendorReport, ...]:
        """Return a vendor's reports."""
        return tuple(r for r in self.reports if r.vendor_ref == vendor.ref)


def read_vendors(uow: UnitOfWork) -> VendorRegister:
    """Return the vendor register inside a unit of work."""
    return VendorRegister(tuple(uow.vendors.list()), tuple(uow.vendor_reports.list()),
                          tuple(uow.subservices.list()), tuple(uow.controls.list()))


def vendor_register(project: OpenProject) -> VendorRegister:
    """Return the vendor register as the page and the exports show it."""
    with project.uow() as uow:
        return read_vendors(uow)


def unmapped_user_controls(reports: Sequence[VendorReport]) -> list[tuple[VendorReport, UserControl]]:
    """Return every user entity control a report expects of us that none of our controls meets yet."""
    return [(report, control) for report in reports for control in report.unmapped]
