"""Vendors, and the assurance reports of theirs we reviewed with the user entity controls each expects of us."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workbench.domain.enums import Opinion, ReportType, SubserviceMethod
from workbench.domain.errors import NotFoundError
from workbench.domain.vendors import Criticality, DataAccess, ReportKind, UserControl, Vendor, VendorReport
from workbench.store.repositories.plain import read, table
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value
from workbench.store.schema import VendorReportRow, VendorRow, VendorUserControlRow


class VendorRepository(RecordRepository[VendorRow, Vendor]):
    row_type = VendorRow
    noun = "vendor"
    same = ("ref", "name", "service", "stops_service", "contract_terms", "owner", "next_review", "notes")

    def _record(self, row: VendorRow, links: ControlLinks) -> Vendor:
        return Vendor(data=enum_member(DataAccess, row.data_access),
                      subservice=enum_member(SubserviceMethod, row.subservice),
                      criticality=enum_member(Criticality, row.criticality), **self._stored(row))

    def _columns(self, record: Vendor, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "data_access": enum_value(record.data),
                "subservice": enum_value(record.subservice), "criticality": enum_value(record.criticality)}

    def id_of(self, ref: str) -> int:
        """Return the id of the vendor with this reference (NotFoundError when there is none)."""
        found = self.by_ref(ref)
        if found is None:
            raise NotFoundError(f"vendor {ref}", "is not in the vendor register")
        return found.id


class VendorReportRepository(RecordRepository[VendorReportRow, VendorReport]):
    row_type = VendorReportRow
    noun = "vendor report"
    same = ("ref", "period_start", "period_end", "issued_on", "exceptions", "bridge_letter", "reviewed_on",
            "reviewed_by", "evidence_id", "notes")

    def _record(self, row: VendorReportRow, links: ControlLinks) -> VendorReport:
        vendors, expected = table(VendorRow), table(VendorUserControlRow)
        vendor = read(self._session, select(vendors.c.ref, vendors.c.name).where(vendors.c.id == row.vendor_id)).first()
        controls = tuple(UserControl(u.text, links.ref(u.control_id)) for u in read(self._session, select(
            expected).where(expected.c.report_id == row.id).order_by(expected.c.position)))
        return VendorReport(
            vendor_ref=vendor.ref if vendor else "", kind=enum_member(ReportKind, row.kind),
            report_type=enum_member(ReportType, row.report_type), opinion=enum_member(Opinion, row.opinion),
            control_ref=links.ref(row.control_id), user_controls=controls,
            vendor_name=vendor.name if vendor else "", **self._stored(row),
        )

    def _columns(self, record: VendorReport, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "vendor_id": VendorRepository(self._session).id_of(record.vendor_ref),
                "kind": enum_value(record.kind), "report_type": enum_value(record.report_type),
                "opinion": enum_value(record.opinion), "control_id": links.id(record.control_ref)}

    def _after_write(self, row: VendorReportRow, record: VendorReport) -> None:
        links = ControlLinks(self._session)
        wanted = [(c.text, links.id(c.control_ref)) for c in record.user_controls]
        stored = [(u.text, u.control_id) for u in self._session.scalars(
            select(VendorUserControlRow).where(VendorUserControlRow.report_id == row.id)
            .order_by(VendorUserControlRow.position))]
        if stored == wanted:
            return
        for old in self._session.scalars(select(VendorUserControlRow).where(VendorUserControlRow.report_id == row.id)):
            self._session.delete(old)
        self._session.flush()
        for position, (text, control_id) in enumerate(wanted):
            self._session.add(VendorUserControlRow(report_id=row.id, position=position, text=text,
                                                   control_id=control_id))
        self._session.flush()

    def remove(self, record_id: int) -> None:
        """Remove a report with the user entity controls it lists."""
        for child in self._session.scalars(select(VendorUserControlRow).where(
                VendorUserControlRow.report_id == record_id)):
            self._session.delete(child)
        super().remove(record_id)

    def of_vendor(self, vendor_ref: str) -> list[VendorReport]:
        """Return the reports of one vendor."""
        return [r for r in self.list() if r.vendor_ref == vendor_ref]

    def set_evidence(self, record_id: int, evidence_id: int | None) -> None:
        """Point a report at the evidence record holding its file (or at none)."""
        row = self._row(record_id)
        if row.evidence_id != evidence_id:
            row.evidence_id = evidence_id
        self._session.flush()
