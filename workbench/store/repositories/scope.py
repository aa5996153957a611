"""Systems and components in scope, subservice organisations and complementary user entity controls."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.entities import Component, Cuec, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import NotFoundError
from workbench.store.schema import ComponentRow, CuecRow, SubserviceRow


class ComponentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Component]:
        """Return every component, grouped by kind in insertion order."""
        rows = self._session.scalars(select(ComponentRow).order_by(ComponentRow.id))
        return [Component(r.id, ComponentKind(r.kind), r.name, r.description, r.in_scope) for r in rows]

    def add(self, kind: ComponentKind, name: str, description: str = "", in_scope: bool = True) -> int:
        """Add a component and return its id."""
        row = ComponentRow(kind=kind.value, name=name, description=description, in_scope=in_scope)
        self._session.add(row)
        self._session.flush()
        return row.id

    def remove(self, component_id: int) -> None:
        """Remove a component."""
        row = self._session.get(ComponentRow, component_id)
        if row is None:
            raise NotFoundError(f"component {component_id}", "does not exist")
        self._session.delete(row)


class SubserviceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Subservice]:
        """Return every subservice organisation."""
        rows = self._session.scalars(select(SubserviceRow).order_by(SubserviceRow.id))
        return [
            Subservice(r.id, r.name, r.service, SubserviceMethod(r.method), r.soc_report, r.complementary_controls)
            for r in rows
        ]

    def add(self, name: str, service: str, method: SubserviceMethod, soc_report: str = "",
            complementary_controls: str = "") -> int:
        """Add a subservice organisation and return its id."""
        row = SubserviceRow(name=name, service=service, method=method.value, soc_report=soc_report,
                            complementary_controls=complementary_controls)
        self._session.add(row)
        self._session.flush()
        return row.id


class CuecRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Cuec]:
        """Return every complementary user entity control."""
        return [Cuec(r.id, r.text) for r in self._session.scalars(select(CuecRow).order_by(CuecRow.id))]

    def add(self, text: str) -> int:
        """Add a complementary user entity control and return its id."""
        row = CuecRow(text=text)
        self._session.add(row)
        self._session.flush()
        return row.id
