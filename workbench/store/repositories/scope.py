"""Systems and components in scope, subservice organisations and complementary user entity controls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, select

from workbench.domain.entities import Component, Csoc, Cuec, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.store.repositories.plain import read, table
from workbench.store.schema import (
    ComponentRow,
    CriterionRow,
    CsocCriterionRow,
    CsocRow,
    CuecCriterionRow,
    CuecRow,
    SubserviceRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

RowT = TypeVar("RowT", ComponentRow, SubserviceRow, CuecRow, CsocRow)
LinkT = TypeVar("LinkT", CsocCriterionRow, CuecCriterionRow)


def _new_row(session: Session, row: RowT, row_id: int | None, what: str) -> RowT:
    """Add a row, with a chosen id (restoring a removed record) or the next free one; flush for the id."""
    if row_id is not None:
        if session.get(type(row), row_id) is not None:
            raise DuplicateError(f"{what} {row_id}", "already exists")
        row.id = row_id
    session.add(row)
    session.flush()
    return row


def _component(row: Any) -> Component:  # an ORM row or a plain one (repositories/plain.py)
    return Component(row.id, ComponentKind(row.kind), row.name, row.description, row.in_scope)


def _subservice(row: Any, csocs: Sequence[Csoc] = ()) -> Subservice:
    return Subservice(row.id, row.name, row.service, SubserviceMethod(row.method), row.soc_report, tuple(csocs))


def _criteria_of(session: Session, link: type[LinkT], owner: str, ids: Iterable[int] | None = None,
                 ) -> dict[int, tuple[str, ...]]:
    """Return each owner's criteria in catalog order (owner: the link table's column naming the record)."""
    links, criteria = table(link), table(CriterionRow)
    statement = (select(links.c[owner], links.c.criterion_id)
                 .join(criteria, criteria.c.id == links.c.criterion_id).order_by(criteria.c.position))
    if ids is not None:
        statement = statement.where(links.c[owner].in_(list(ids)))
    found: dict[int, list[str]] = {}
    for owner_id, criterion_id in read(session, statement):
        found.setdefault(owner_id, []).append(criterion_id)
    return {owner_id: tuple(ids_) for owner_id, ids_ in found.items()}


def _set_criteria(session: Session, link: type[LinkT], owner: str, owner_id: int, wanted: Sequence[str]) -> None:
    """Make the record's criteria links exactly `wanted` (through the ORM, so the audit trail sees each link)."""
    current = {r.criterion_id: r for r in session.scalars(select(link).where(getattr(link, owner) == owner_id))}
    for criterion_id, row in current.items():
        if criterion_id not in wanted:
            session.delete(row)
    for criterion_id in dict.fromkeys(wanted):
        if criterion_id not in current:
            session.add(link(**{owner: owner_id, "criterion_id": criterion_id}))


def _csocs(session: Session, subservice_ids: Iterable[int] | None = None) -> dict[int, list[Csoc]]:
    """Return the CSOCs of these subservice organisations (all when None), each list in its order."""
    csocs: Table = table(CsocRow)
    statement = select(csocs).order_by(csocs.c.subservice_id, csocs.c.position, csocs.c.id)
    if subservice_ids is not None:
        statement = statement.where(csocs.c.subservice_id.in_(list(subservice_ids)))
    rows = read(session, statement).all()
    criteria = _criteria_of(session, CsocCriterionRow, "csoc_id", [r.id for r in rows])
    found: dict[int, list[Csoc]] = {}
    for r in rows:
        found.setdefault(r.subservice_id, []).append(Csoc(r.id, r.text, criteria.get(r.id, ())))
    return found


def _set_csocs(session: Session, subservice_id: int, wanted: Sequence[Csoc]) -> None:
    """Make the subservice organisation's CSOCs exactly `wanted`: kept ids updated, id 0 added, the rest removed."""
    current = {r.id: r for r in session.scalars(select(CsocRow).where(CsocRow.subservice_id == subservice_id))}
    kept = {c.id for c in wanted if c.id in current}
    gone = [row for csoc_id, row in current.items() if csoc_id not in kept]
    for row in gone:
        _set_criteria(session, CsocCriterionRow, "csoc_id", row.id, ())
    session.flush()  # the links go before the rows they point to
    for row in gone:
        session.delete(row)
    session.flush()
    for position, csoc in enumerate(wanted):
        row = current.get(csoc.id)
        if row is None:
            row = _new_row(session, CsocRow(subservice_id=subservice_id, position=position, text=csoc.text),
                           csoc.id or None, "complementary subservice organisation control")
        else:
            if row.position != position:
                row.position = position
            if row.text != csoc.text:
                row.text = csoc.text
        _set_criteria(session, CsocCriterionRow, "csoc_id", row.id, csoc.criteria)


class ComponentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Component]:
        """Return every component, grouped by kind in insertion order."""
        components = table(ComponentRow)
        return [_component(r) for r in read(self._session, select(components).order_by(components.c.id))]

    def get(self, component_id: int) -> Component:
        """Return one component."""
        return _component(self._row(component_id))

    def add(self, kind: ComponentKind, name: str, description: str = "", in_scope: bool = True,
            component_id: int | None = None) -> int:
        """Add a component (with component_id when restoring one) and return its id."""
        row = ComponentRow(kind=kind.value, name=name, description=description, in_scope=in_scope)
        return _new_row(self._session, row, component_id, "component").id

    def update(self, component: Component) -> None:
        """Replace the fields of an existing component."""
        row = self._row(component.id)
        row.kind = component.kind.value
        row.name = component.name
        row.description = component.description
        row.in_scope = component.in_scope

    def remove(self, component_id: int) -> None:
        """Remove a component."""
        self._session.delete(self._row(component_id))

    def _row(self, component_id: int) -> ComponentRow:
        row = self._session.get(ComponentRow, component_id)
        if row is None:
            raise NotFoundError(f"component {component_id}", "does not exist")
        return row


class SubserviceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Subservice]:
        """Return every subservice organisation."""
        subservices = table(SubserviceRow)
        rows = read(self._session, select(subservices).order_by(subservices.c.id)).all()
        csocs = _csocs(self._session)
        return [_subservice(r, csocs.get(r.id, ())) for r in rows]

    def get(self, subservice_id: int) -> Subservice:
        """Return one subservice organisation with its complementary controls."""
        return _subservice(self._row(subservice_id), _csocs(self._session, [subservice_id]).get(subservice_id, ()))

    def add(self, name: str, service: str, method: SubserviceMethod, soc_report: str = "",
            csocs: Sequence[Csoc] = (), subservice_id: int | None = None) -> int:
        """Add a subservice organisation and its CSOCs (with their ids when restoring one) and return its id."""
        row = SubserviceRow(name=name, service=service, method=method.value, soc_report=soc_report)
        new_id = _new_row(self._session, row, subservice_id, "subservice organisation").id
        _set_csocs(self._session, new_id, csocs)
        return new_id

    def update(self, subservice: Subservice) -> None:
        """Replace the fields of an existing subservice organisation."""
        row = self._row(subservice.id)
        row.name = subservice.name
        row.service = subservice.service
        row.method = subservice.method.value
        row.soc_report = subservice.soc_report
        _set_csocs(self._session, row.id, subservice.csocs)

    def remove(self, subservice_id: int) -> None:
        """Remove a subservice organisation and its CSOCs (each removal in the audit trail)."""
        _set_csocs(self._session, subservice_id, ())
        self._session.delete(self._row(subservice_id))

    def _row(self, subservice_id: int) -> SubserviceRow:
        row = self._session.get(SubserviceRow, subservice_id)
        if row is None:
            raise NotFoundError(f"subservice organisation {subservice_id}", "does not exist")
        return row


class CuecRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Cuec]:
        """Return every complementary user entity control."""
        cuecs = table(CuecRow)
        criteria = _criteria_of(self._session, CuecCriterionRow, "cuec_id")
        return [Cuec(r.id, r.text, criteria.get(r.id, ()))
                for r in read(self._session, select(cuecs).order_by(cuecs.c.id))]

    def get(self, cuec_id: int) -> Cuec:
        """Return one complementary user entity control with its criteria."""
        row = self._row(cuec_id)
        return Cuec(row.id, row.text, _criteria_of(self._session, CuecCriterionRow, "cuec_id", [cuec_id]).get(
            cuec_id, ()))

    def add(self, text: str, cuec_id: int | None = None, criteria: Sequence[str] = ()) -> int:
        """Add a complementary user entity control (with cuec_id when restoring one) and return its id."""
        new_id = _new_row(self._session, CuecRow(text=text), cuec_id, "user entity control").id
        _set_criteria(self._session, CuecCriterionRow, "cuec_id", new_id, criteria)
        return new_id

    def update(self, cuec: Cuec) -> None:
        """Replace the text and criteria of an existing complementary user entity control."""
        row = self._row(cuec.id)
        if row.text != cuec.text:
            row.text = cuec.text
        _set_criteria(self._session, CuecCriterionRow, "cuec_id", cuec.id, cuec.criteria)

    def remove(self, cuec_id: int) -> None:
        """Remove a complementary user entity control and its criteria links."""
        _set_criteria(self._session, CuecCriterionRow, "cuec_id", cuec_id, ())
        self._session.flush()  # the links go before the row they point to
        self._session.delete(self._row(cuec_id))

    def _row(self, cuec_id: int) -> CuecRow:
        row = self._session.get(CuecRow, cuec_id)
        if row is None:
            raise NotFoundError(f"user entity control {cuec_id}", "does not exist")
        return row
