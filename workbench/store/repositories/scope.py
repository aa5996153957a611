"""Systems and components in scope, subservice organisations and complementary user entity controls."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.entities import Component, Cuec, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.store.repositories.plain import read, table
from workbench.store.schema import ComponentRow, CuecRow, SubserviceRow

RowT = TypeVar("RowT", ComponentRow, SubserviceRow, CuecRow)


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


def _subservice(row: Any) -> Subservice:
    return Subservice(row.id, row.name, row.service, SubserviceMethod(row.method), row.soc_report,
                      row.complementary_controls)


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
        rows = read(self._session, select(subservices).order_by(subservices.c.id))
        return [_subservice(r) for r in rows]

    def get(self, subservice_id: int) -> Subservice:
        """Return one subservice organisation."""
        return _subservice(self._row(subservice_id))

    def add(self, name: str, service: str, method: SubserviceMethod, soc_report: str = "",
            complementary_controls: str = "", subservice_id: int | None = None) -> int:
        """Add a subservice organisation (with subservice_id when restoring one) and return its id."""
        row = SubserviceRow(name=name, service=service, method=method.value, soc_report=soc_report,
                            complementary_controls=complementary_controls)
        return _new_row(self._session, row, subservice_id, "subservice organisation").id

    def update(self, subservice: Subservice) -> None:
        """Replace the fields of an existing subservice organisation."""
        row = self._row(subservice.id)
        row.name = subservice.name
        row.service = subservice.service
        row.method = subservice.method.value
        row.soc_report = subservice.soc_report
        row.complementary_controls = subservice.complementary_controls

    def remove(self, subservice_id: int) -> None:
        """Remove a subservice organisation."""
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
        return [Cuec(r.id, r.text) for r in read(self._session, select(cuecs).order_by(cuecs.c.id))]

    def get(self, cuec_id: int) -> Cuec:
        """Return one complementary user entity control."""
        row = self._row(cuec_id)
        return Cuec(row.id, row.text)

    def add(self, text: str, cuec_id: int | None = None) -> int:
        """Add a complementary user entity control (with cuec_id when restoring one) and return its id."""
        return _new_row(self._session, CuecRow(text=text), cuec_id, "user entity control").id

    def update(self, cuec: Cuec) -> None:
        """Replace the text of an existing complementary user entity control."""
        self._row(cuec.id).text = cuec.text

    def remove(self, cuec_id: int) -> None:
        """Remove a complementary user entity control."""
        self._session.delete(self._row(cuec_id))

    def _row(self, cuec_id: int) -> CuecRow:
        row = self._session.get(CuecRow, cuec_id)
        if row is None:
            raise NotFoundError(f"user entity control {cuec_id}", "does not exist")
        return row
