"""Controls in plain SQL: listing them all, and adding many at once (an import's whole work on controls).

Plain SQL runs on a Core connection as on a project file's own driver connection (store/driver.py), so an import of
new controls reads and writes without SQLAlchemy loaded; ControlRepository (controls.py) does the rest and lists
and adds through these functions too. The driver hands back what the database stores: dates as SQLite's ISO text
(PostgreSQL's driver, dates), and sealed text in an encrypted project, opened here with the project's key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.domain.natural import natural_sorted
from workbench.store import audit_trail, crypto, sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

BULK_COLUMNS = ("id", "ref", "title", "description", "owner", "frequency", "nature", "status", "notes",
                "implemented_since", "retired_on")
_TEXT_COLUMNS = tuple(BULK_COLUMNS.index(name) for name in ("ref", "title", "description", "owner", "notes"))
# The stored text of each choice a control makes (Enum.value is a slow property on the hot path of an import).
_STORED: dict[Any, str | None] = {None: None}
_STORED.update((member, member.value) for kind in (Frequency, Nature, ControlStatus) for member in kind)


def control_of(row: Sequence[Any], criteria: tuple[str, ...]) -> Control:
    """Return the control a row of BULK_COLUMNS and its version describes (dates and choices as stored)."""
    (id_, ref, title, description, owner, frequency, nature, status, notes, since, retired, version) = row
    return Control(
        id=id_, ref=ref, title=title, description=description, owner=owner,
        frequency=Frequency(frequency) if frequency else None,
        nature=Nature(nature) if nature else None,
        status=ControlStatus(status), notes=notes, criteria=criteria,
        implemented_since=sql.day(since), retired_on=sql.day(retired), version=version,
    )


def list_controls(session: Any) -> list[Control]:
    """Return every control in the natural order of its reference (A.5.2 before A.5.10), with its criteria."""
    connection = sql.plain_connection(session, flushed=True)
    links: dict[int, list[str]] = defaultdict(list)
    for control_id, criterion_id in sql.run(connection, "SELECT control_id, criterion_id FROM control_criteria"):
        links[control_id].append(criterion_id)
    rows = list(sql.run(connection, f"SELECT {', '.join(BULK_COLUMNS)}, version FROM controls"))
    cipher = crypto.cipher_of(connection)
    if cipher is not None:
        rows = [(*r[:3], crypto.read_text(cipher, r[3], "controls.description"), *r[4:8],
                 crypto.read_text(cipher, r[8], "controls.notes"), *r[9:]) for r in rows]
    return natural_sorted((control_of(r, tuple(sorted(links.get(r[0], ())))) for r in rows), key=lambda c: c.ref)


def _short(rows: Sequence[tuple[Any, ...]]) -> bool:
    """Return True when no text of these bulk rows is long enough for the trail to shorten (see plain_row)."""
    columns = list(zip(*rows, strict=True))  # looked at column by column, each in one pass
    try:
        return max(max(map(len, columns[index])) for index in _TEXT_COLUMNS) <= audit_trail.MAX_VALUE_CHARS
    except TypeError:  # a text left None: let plain_row look
        return False


def _iso(day: date | None) -> str | None:
    """Return a date as the ISO text both back ends store (and the audit trail records) for it."""
    return day.isoformat() if day is not None else None


def add_controls(session: Session, drafts: Sequence[ControlDraft]) -> None:
    """Add several new controls at once (imports), recorded in the audit trail as one entry per call.

    The entry lists every created control with all its values and criteria, so the trail stays complete
    while a 20,000-row import writes 20 entries instead of 50,000.
    """
    if not drafts:
        return
    connection = sql.plain_connection(session, flushed=True)
    sql.lock_audit_appends(connection)  # on a server: no other writer picks the same ids meanwhile
    next_id = (sql.run(connection, "SELECT coalesce(max(id), 0) FROM controls").scalar() or 0) + 1
    rows = [
        (control_id, d.ref, d.title, d.description, d.owner, _STORED[d.frequency], _STORED[d.nature],
         _STORED[d.status], d.notes, _iso(d.implemented_since), _iso(d.retired_on))
        for control_id, d in enumerate(drafts, start=next_id)
    ]
    criteria = [sorted(set(d.criteria)) for d in drafts]
    links = [(row[0], criterion_id) for row, linked in zip(rows, criteria, strict=True) for criterion_id in linked]
    # Driver-level executemany: the ORM, and even Core's insertmanyvalues, cost several times the write itself.
    # It bypasses the column types, so an encrypted project's free text is sealed here (see store/crypto.py).
    cipher = crypto.cipher_of(connection)
    stored = rows if cipher is None else [
        (*row[:3], cipher.encrypt_text(row[3], "controls.description"), *row[4:8],
         cipher.encrypt_text(row[8], "controls.notes"), *row[9:])
        for row in rows
    ]
    sql.run(
        connection,
        "INSERT INTO controls (id, ref, title, description, owner, frequency, nature, status, notes, "
        "implemented_since, retired_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        stored,
    )
    sql.reset_id_sequences(connection, ["controls"])
    if links:
        sql.run(connection, "INSERT INTO control_criteria (control_id, criterion_id) VALUES (?, ?)", links)
    plain = rows if _short(rows) else [tuple(audit_trail.plain_row(row)) for row in rows]
    summary = {
        "columns": [*BULK_COLUMNS, "criteria"],
        "created": [(*row, linked) for row, linked in zip(plain, criteria, strict=True)],  # JSON lists
    }
    key = drafts[0].ref if len(drafts) == 1 else f"{drafts[0].ref} .. {drafts[-1].ref} ({len(drafts)} controls)"
    audit_trail.record(session, [("create", "controls", key, summary)])


class ControlRows:
    """The controls repository of a core-first unit of work (store/core_first.py): lists and adds in plain SQL, and
    hands anything else to the full repository (`full` makes it: ControlRepository, which loads the ORM)."""

    core_first = True

    def __init__(self, session: Session, full: Callable[[], Any]) -> None:
        self._session = session
        self._make_full = full
        self._full: Any = None

    def list(self) -> list[Control]:
        """Return every control (see list_controls)."""
        return list_controls(self._session)

    def add_many(self, drafts: Sequence[ControlDraft]) -> None:
        """Add several new controls at once (see add_controls)."""
        add_controls(self._session, drafts)

    def replace_many(self, changes: Sequence[tuple[str, ControlDraft]]) -> None:
        """Replace several controls (ControlRepository.replace_many); an import that replaces none loads nothing."""
        if changes:
            self._repository().replace_many(changes)

    def _repository(self) -> Any:
        if self._full is None:
            self._full = self._make_full()
        return self._full

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._repository(), name)
