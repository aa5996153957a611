"""The registers as an export sees them: each register's rows exactly as `register list` gives them, and the records
behind the PDF's sections (the risks for the heat maps, the vendors' reports and what they expect of us)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.domain.continuity import ContinuityTest
from workbench.domain.incidents import Incident
from workbench.domain.risks import Risk, RiskAssessment
from workbench.domain.tool_runs import StoredRun
from workbench.domain.vendors import Vendor, VendorReport
from workbench.services.importers.spec import RegisterSpec
from workbench.store import UnitOfWork

# The registers the exports carry, in the order they print them, with each one's sheet name.
REGISTER_SHEETS: tuple[tuple[str, str], ...] = (
    ("risks", "Risks"), ("vendors", "Vendors"), ("vendor-reports", "Vendor reports"), ("incidents", "Incidents"),
    ("continuity-tests", "Continuity tests"), ("people", "People"),
    ("access-reviews", "Access reviews"),
)


@dataclass(frozen=True)
class RegisterTable:
    """One register's records in its fields' order, with the spec that names them."""

    spec: RegisterSpec
    sheet: str
    values: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RegisterSnapshot:
    """Every register of the project at export time."""

    tables: tuple[RegisterTable, ...] = ()
    assessments: tuple[RiskAssessment, ...] = ()
    risks: tuple[Risk, ...] = ()  # of the assessment in use
    vendors: tuple[Vendor, ...] = ()
    reports: tuple[VendorReport, ...] = ()
    incidents: tuple[Incident, ...] = ()
    tests: tuple[ContinuityTest, ...] = ()
    runs: tuple[StoredRun, ...] = ()  # the tool runs used as evidence

    def table(self, kind: str) -> RegisterTable | None:
        """Return one register's table, or None when it holds no records."""
        return next((t for t in self.tables if t.spec.kind == kind), None)

    @property
    def empty(self) -> bool:
        """Return True when no register holds a record."""
        return not self.tables


def take_registers(uow: UnitOfWork) -> RegisterSnapshot:
    """Read every register inside the export's unit of work."""
    from workbench.services.importers.kinds import spec_named  # the kinds load the engine's pieces

    tables = []
    for kind, sheet in REGISTER_SHEETS:
        spec = spec_named(kind)
        records = spec.records.listing(uow)
        if records:
            tables.append(RegisterTable(spec, sheet, tuple(spec.records.values(r) for r in records)))
    assessments = tuple(uow.risk_assessments.list())
    return RegisterSnapshot(
        tables=tuple(tables), assessments=assessments,
        risks=tuple(uow.risks.of_assessment(assessments[-1].id)) if assessments else (),
        vendors=tuple(uow.vendors.list()), reports=tuple(uow.vendor_reports.list()),
        incidents=tuple(uow.incidents.list()), tests=tuple(uow.continuity_tests.list()),
        runs=tuple(r for r in uow.findings.runs() if r.evidence_id is not None),
    )
