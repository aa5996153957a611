"""Populations (one per control) with their items, and the evidence of their completeness and accuracy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, func, select

from workbench.domain.errors import NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.testing import Population, PopulationInfo, PopulationItem
from workbench.store import audit_trail, crypto, sql
from workbench.store.repositories.plain import read, table
from workbench.store.schema import ControlRow, PopulationEvidenceRow, PopulationItemRow, PopulationRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

ITEM_BATCH = 5000  # items per executemany, and per audit-trail entry
_ITEM_COLUMNS = ("population_id", "position", "key", "day", "in_period", "data")


def _data_text(data: Sequence[tuple[str, str]]) -> str:
    return json.dumps([list(pair) for pair in data], ensure_ascii=False, separators=(",", ":"))


def _data_of(text: str) -> tuple[tuple[str, str], ...]:
    try:
        pairs = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple((str(h), str(v)) for h, v in pairs) if isinstance(pairs, list) else ()



class PopulationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _population(self, row: Any, ref: str) -> Population:
        linked = table(PopulationEvidenceRow).c
        links = tuple(read(self._session, select(linked.evidence_id).where(linked.population_id == row.id)
                           .order_by(linked.evidence_id)).scalars())
        info = PopulationInfo(row.source, row.query, row.generated_at, row.generated_by, row.filename, row.sha256)
        return Population(row.id, ref, info, row.row_count, row.out_of_period, row.imported_at, links)

    def list(self) -> list[Population]:
        """Return every population with its control's reference, in the reference's natural order."""
        rows = read(self._session, self._with_refs()).all()
        return natural_sorted((self._population(row, row.ref) for row in rows), key=lambda p: p.control_ref)

    def get(self, control_ref: str) -> Population | None:
        """Return the population of this control, or None."""
        found = read(self._session, self._with_refs().where(table(ControlRow).c.ref == control_ref)).first()
        return None if found is None else self._population(found, found.ref)

    @staticmethod
    def _with_refs() -> Select[Any]:
        """Return the populations' columns, with their control's reference as `ref`."""
        populations, controls = table(PopulationRow), table(ControlRow)
        return select(populations, controls.c.ref).join(controls, controls.c.id == populations.c.control_id)

    def items(self, population_id: int) -> list[PopulationItem]:
        """Return a population's items in the file's order."""
        rows = self._session.execute(
            select(PopulationItemRow.key, PopulationItemRow.day, PopulationItemRow.in_period, PopulationItemRow.data)
            .where(PopulationItemRow.population_id == population_id).order_by(PopulationItemRow.position))
        return [PopulationItem(key, day, in_period, _data_of(data)) for key, day, in_period, data in rows]

    def keys(self, population_id: int) -> list[tuple[str, date | None]]:
        """Return (key, date) of a population's items in the file's order (sampling needs nothing else)."""
        rows = self._session.execute(select(PopulationItemRow.key, PopulationItemRow.day).where(
            PopulationItemRow.population_id == population_id).order_by(PopulationItemRow.position))
        return [(key, day) for key, day in rows]

    def add(self, control_id: int, info: PopulationInfo, items: Sequence[PopulationItem], imported_at: str,
            population_id: int | None = None) -> int:
        """Add a control's population and its items (written in batches straight on the driver); return its id."""
        out = sum(1 for item in items if item.in_period is False)
        row = PopulationRow(id=population_id, control_id=control_id, source=info.source, query=info.query,
                            generated_at=info.generated_at, generated_by=info.generated_by, filename=info.filename,
                            sha256=info.sha256, row_count=len(items), out_of_period=out, imported_at=imported_at)
        self._session.add(row)
        self._session.flush()
        self._add_items(row.id, items)
        return row.id

    def _add_items(self, population_id: int, items: Sequence[PopulationItem]) -> None:
        connection = self._session.connection()
        cipher = crypto.cipher_of(connection)
        for start in range(0, len(items), ITEM_BATCH):
            batch = items[start:start + ITEM_BATCH]
            # Driver-level executemany: the ORM costs several times the write itself for 100,000 items.
            rows = [(population_id, start + offset, item.key, item.day.isoformat() if item.day else None,
                     item.in_period, _data_text(item.data)) for offset, item in enumerate(batch)]
            stored = rows if cipher is None else [
                (*row[:5], cipher.encrypt_text(row[5], "population_items.data")) for row in rows]
            sql.run(connection, "INSERT INTO population_items (population_id, position, key, day, in_period, data) "
                                "VALUES (?, ?, ?, ?, ?, ?)", stored)
            summary = {"columns": list(_ITEM_COLUMNS), "created": [audit_trail.plain_row(row) for row in rows]}
            key = f"population {population_id} items {start + 1}..{start + len(batch)}"
            audit_trail.record(self._session, [("create", PopulationItemRow.__tablename__, key, summary)])

    def remove(self, population_id: int) -> None:
        """Delete a population with its items and evidence links (the trail records one entry for the items)."""
        row = self._session.get(PopulationRow, population_id)
        if row is None:
            raise NotFoundError(f"population {population_id}", "does not exist")
        count = self._session.scalar(select(func.count()).select_from(PopulationItemRow).where(
            PopulationItemRow.population_id == population_id)) or 0
        self._session.execute(delete(PopulationItemRow).where(PopulationItemRow.population_id == population_id))
        audit_trail.record(self._session, [("delete", PopulationItemRow.__tablename__,
                                            f"population {population_id} items", {"before": {"items": count}})])
        for link in self._session.scalars(select(PopulationEvidenceRow).where(
                PopulationEvidenceRow.population_id == population_id)):
            self._session.delete(link)
        self._session.delete(row)
        self._session.flush()

    def link_evidence(self, population_id: int, evidence_id: int) -> bool:
        """Link evidence of completeness and accuracy; return False when it was linked already."""
        if self._session.get(PopulationEvidenceRow, (population_id, evidence_id)) is not None:
            return False
        self._session.add(PopulationEvidenceRow(population_id=population_id, evidence_id=evidence_id))
        self._session.flush()
        return True

    def unlink_evidence(self, population_id: int, evidence_id: int) -> None:
        """Remove a completeness-and-accuracy link."""
        row = self._session.get(PopulationEvidenceRow, (population_id, evidence_id))
        if row is not None:
            self._session.delete(row)
            self._session.flush()

    def restore_links(self, population_id: int, evidence_ids: Sequence[int]) -> None:
        """Link each of these evidence ids (undo of a replacement)."""
        for evidence_id in evidence_ids:
            self.link_evidence(population_id, evidence_id)

