"""Samples (one per control) and their items' results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.domain.errors import NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.testing import Sample, SampleBasis, SampleItem, SampleResult
from workbench.store.schema import ControlRow, SampleItemRow, SampleRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


def _item(row: SampleItemRow) -> SampleItem:
    return SampleItem(row.key, row.day, SampleResult(row.result) if row.result else None, row.evidence_id, row.note,
                      row.exception_id, row.position)


class SampleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, control_ref: str) -> SampleRow | None:
        return self._session.scalars(select(SampleRow).join(ControlRow, ControlRow.id == SampleRow.control_id)
                                     .where(ControlRow.ref == control_ref)).first()

    def _sample(self, row: SampleRow, ref: str) -> Sample:
        items = self._session.scalars(select(SampleItemRow).where(SampleItemRow.control_id == row.control_id)
                                      .order_by(SampleItemRow.position))
        return Sample(ref, SampleBasis(row.basis), row.size, row.seed, row.method, row.table_name, row.reason,
                      row.from_file, row.created_at, tuple(_item(i) for i in items))

    def get(self, control_ref: str) -> Sample | None:
        """Return the sample of this control, or None."""
        row = self._row(control_ref)
        return None if row is None else self._sample(row, control_ref)

    def list(self) -> list[Sample]:
        """Return every sample, in the natural order of its control's reference."""
        rows = self._session.execute(select(SampleRow, ControlRow.ref).join(
            ControlRow, ControlRow.id == SampleRow.control_id))
        return natural_sorted((self._sample(row, ref) for row, ref in rows), key=lambda s: s.control_ref)

    def put(self, control_id: int, sample: Sample) -> None:
        """Store a control's sample with its items (replacing the one it had)."""
        ref = self._session.scalar(select(ControlRow.ref).where(ControlRow.id == control_id))
        if ref is not None:
            self.remove(ref)
        row = SampleRow(control_id=control_id, basis=sample.basis.value, table_name=sample.table_name,
                        size=sample.size, seed=sample.seed, method=sample.method, reason=sample.reason,
                        from_file=sample.from_file, created_at=sample.created_at)
        self._session.add(row)
        self._session.flush()
        self._session.add_all(SampleItemRow(control_id=control_id, position=position, key=item.key, day=item.day,
                                            result=item.result.value if item.result else None,
                                            evidence_id=item.evidence_id, note=item.note,
                                            exception_id=item.exception_id)
                              for position, item in enumerate(sample.items))
        self._session.flush()

    def remove(self, control_ref: str) -> None:
        """Delete the control's sample, if it has one."""
        row = self._row(control_ref)
        if row is None:
            return
        for item in self._session.scalars(select(SampleItemRow).where(SampleItemRow.control_id == row.control_id)):
            self._session.delete(item)
        self._session.delete(row)
        self._session.flush()

    def set_result(self, control_ref: str, key: str, result: SampleResult | None, evidence_id: int | None,
                   note: str, exception_id: int | None) -> None:
        """Record (or clear, with None) the result of one item of the control's sample."""
        row = self._row(control_ref)
        item = None if row is None else self._session.scalars(select(SampleItemRow).where(
            SampleItemRow.control_id == row.control_id, SampleItemRow.key == key)).first()
        if item is None:
            raise NotFoundError(f"sample item {key}", f"is not in the sample of control {control_ref}")
        item.result = result.value if result else None
        item.evidence_id, item.note, item.exception_id = evidence_id, note, exception_id
        self._session.flush()
