"""Tool runs and their findings: runs through the ORM, findings written in batches straight on the driver."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, func, select

from workbench.domain.errors import NotFoundError
from workbench.domain.findings import Finding, FindingStatus, ToolRun
from workbench.domain.tool_runs import StoredRun
from workbench.store import audit_trail, crypto, sql
from workbench.store.repositories.plain import read, table
from workbench.store.schema import ControlRow, FindingRow, ToolRunRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

FINDING_BATCH = 5000  # findings per executemany, and per audit-trail entry
_COLUMNS = ("run_id", "position", "check_id", "check_title", "resource", "status", "severity", "criteria",
            "service", "region", "detail")
_DETAIL = "findings.detail"  # the one column stored encrypted (the tool's words about the resource)
_INSERT = f"INSERT INTO findings ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _finding(row: Any) -> Finding:
    criteria = tuple(ref for ref in row.criteria.split(",") if ref)
    return Finding(row.check_id, row.check_title, row.resource, FindingStatus(row.status), row.severity, criteria,
                   row.service, row.region, row.detail, row.position)


class FindingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_run(self, run: ToolRun, control_id: int | None, imported_at: str) -> int:
        """Add a tool run (without findings); return its id."""
        row = ToolRunRow(tool=run.tool, tool_version=run.version, format=run.format, scope=run.scope,
                         reflects_at=run.reflects_at.isoformat(timespec="seconds"), sha256=run.sha256,
                         source_name=run.source_name, control_id=control_id, imported_at=imported_at)
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_findings(self, run_id: int, findings: Iterable[Finding], after: int = 0) -> int:
        """Add a run's findings in the order given, in batches, after its first `after`; return how many were added."""
        connection = self._session.connection()
        count = after
        batch: list[tuple[Any, ...]] = []
        for finding in findings:
            count += 1
            batch.append((run_id, count, finding.check_id, finding.check_title, finding.resource,
                          finding.status.value, finding.severity, ",".join(finding.criteria), finding.service,
                          finding.region, finding.detail))
            if len(batch) >= FINDING_BATCH:
                self._write(connection, run_id, batch, count - len(batch) + 1)
                batch = []
        if batch:
            self._write(connection, run_id, batch, count - len(batch) + 1)
        return count - after

    def _write(self, connection: Any, run_id: int, rows: list[tuple[Any, ...]], first: int) -> None:
        cipher = crypto.cipher_of(connection)
        stored = rows if cipher is None else [(*row[:-1], cipher.encrypt_text(row[-1], _DETAIL)) for row in rows]
        sql.run(connection, _INSERT, stored)
        summary = {"columns": list(_COLUMNS), "created": [audit_trail.plain_row(row) for row in rows]}
        key = f"tool run {run_id} findings {first}..{first + len(rows) - 1}"
        audit_trail.record(self._session, [("create", FindingRow.__tablename__, key, summary)])

    def remove_run(self, run_id: int) -> None:
        """Delete a run and its findings (the trail records one entry for the findings)."""
        row = self._session.get(ToolRunRow, run_id)
        if row is None:
            raise NotFoundError(f"tool run {run_id}", "does not exist")
        count = self._session.scalar(select(func.count()).select_from(FindingRow).where(
            FindingRow.run_id == run_id)) or 0
        self._session.execute(delete(FindingRow).where(FindingRow.run_id == run_id))
        audit_trail.record(self._session, [("delete", FindingRow.__tablename__, f"tool run {run_id} findings",
                                            {"before": {"findings": count}})])
        self._session.delete(row)
        self._session.flush()

    def set_links(self, run_id: int, control_id: int | None, evidence_id: int | None) -> None:
        """Set the control a run evidences and its evidence record."""
        row = self._session.get(ToolRunRow, run_id)
        if row is None:
            raise NotFoundError(f"tool run {run_id}", "does not exist")
        row.control_id, row.evidence_id = control_id, evidence_id
        self._session.flush()

    def runs(self) -> list[StoredRun]:
        """Return every run with its counts, in the order imported."""
        return [self._stored(row) for row in read(self._session, self._select().order_by(
            table(ToolRunRow).c.id)).all()]

    def get(self, run_id: int) -> StoredRun:
        """Return one run; raise NotFoundError when there is none of this id."""
        row = read(self._session, self._select().where(table(ToolRunRow).c.id == run_id)).first()
        if row is None:
            raise NotFoundError(f"tool run {run_id}", "is not a run of this project")
        return self._stored(row)

    @staticmethod
    def _select() -> Any:
        runs, controls, found = table(ToolRunRow), table(ControlRow), table(FindingRow)
        counts = select(found.c.run_id, *(func.sum(case((found.c.status == status.value, 1), else_=0)).label(
            status.value) for status in FindingStatus)).group_by(found.c.run_id).subquery()
        return (select(runs, controls.c.ref.label("control_ref"), *(counts.c[s.value] for s in FindingStatus))
                .outerjoin(controls, controls.c.id == runs.c.control_id)
                .outerjoin(counts, counts.c.run_id == runs.c.id))

    @staticmethod
    def _stored(row: Any) -> StoredRun:
        run = ToolRun(row.tool, row.tool_version, row.format, row.scope, datetime.fromisoformat(row.reflects_at),
                      row.sha256, row.source_name)
        counts = [int(row._mapping[status.value] or 0) for status in FindingStatus]
        return StoredRun(row.id, run, row.control_ref or "", row.evidence_id, row.imported_at, *counts)

    def findings(self, run_id: int) -> Iterator[Finding]:
        """Yield a run's findings in the file's order."""
        rows = self._session.execute(select(table(FindingRow)).where(table(FindingRow).c.run_id == run_id)
                                     .order_by(table(FindingRow).c.position))
        return (_finding(row) for row in rows)

    def statuses(self, run_ids: Iterable[int]) -> list[tuple[tuple[str, ...], FindingStatus]]:
        """Return each distinct (criteria, status) among these runs' findings."""
        found = table(FindingRow)
        rows = read(self._session, select(found.c.criteria, found.c.status).distinct()
                    .where(found.c.run_id.in_(list(run_ids)))).all()
        return [(tuple(ref for ref in criteria.split(",") if ref), FindingStatus(status)) for criteria, status in rows]
