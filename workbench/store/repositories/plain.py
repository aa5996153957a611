"""Reading rows as plain column values (SQLAlchemy Core) instead of ORM objects, for the repositories' reads.

An ORM query is compiled through the ORM (several times the cost of Core's compilation) and its rows become tracked
objects; the first one in a process also configures every mapper of the schema. The dashboard's status reads a
little of nearly every table, so as ORM queries its first showing spent most of its time on that. A plain row has
the same attribute names as the mapped class (every column is named as its attribute), so mapping code reads both.
Writes go through the ORM as before: the audit trail sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable, Result, Table

from workbench.store.schema import Base

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


def table(row_type: type[Base]) -> Table:
    """Return the table a mapped class is stored in, to build Core statements on."""
    return row_type.__table__  # type: ignore[return-value]


def read(session: Session, statement: Executable) -> Result[Any]:
    """Run a Core select in the session's transaction; the session sends pending ORM changes first (autoflush)."""
    return session.execute(statement)
