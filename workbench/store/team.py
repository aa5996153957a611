"""Team roles on a project database, enforced by PostgreSQL itself: owner, contributor and auditor.

Each project database gets three group roles (NOLOGIN), named from the database: `<db>_owner`,
`<db>_contributor` and `<db>_auditor`. People log in with their own login roles, each a member of one group:

- owner: owns the project's tables (so may upgrade the schema), every privilege, and may grant them on;
- contributor: reads and edits every project table, but may not touch the schema version (alembic_version)
  and may only append to the audit trail (no UPDATE or DELETE on audit_entries);
- auditor: SELECT only, so the server refuses any change.

Connecting to the database is granted to the groups only (PUBLIC loses CONNECT), so a login outside the team
cannot even open the project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import DBAPIError

from workbench.domain.errors import ProjectFileError, ValidationError, WorkbenchError
from workbench.domain.location import ServerAddress
from workbench.store import migrate
from workbench.store.postgres import engine_for, translate

ROLES = ("owner", "contributor", "auditor")
MAX_IDENTIFIER = 63  # PostgreSQL truncates longer names (NAMEDATALEN - 1)
INSUFFICIENT_PRIVILEGE = "42501"
# Tables a contributor may read but never change, and the privileges withheld on each.
CONTRIBUTOR_WITHHELD = {"alembic_version": "INSERT, UPDATE, DELETE", "audit_entries": "UPDATE, DELETE"}


class TeamError(WorkbenchError):
    """A team-management request the server or the project cannot honour."""


@dataclass(frozen=True, slots=True)
class Member:
    """A login on a project's team and the role it holds."""

    login: str
    role: str
    can_login: bool


def role_name(database: str, role: str) -> str:
    """Return the group role name for `role` on this database (shortened with a hash past 63 bytes)."""
    if role not in ROLES:
        raise ValidationError(role, f"is not a team role; use {', '.join(ROLES)}")
    name = f"{database}_{role}"
    if len(name.encode()) <= MAX_IDENTIFIER:
        return name
    tag = hashlib.sha256(database.encode()).hexdigest()[:8]
    room = MAX_IDENTIFIER - len(f"_{tag}_{role}")
    prefix = database.encode()[:room].decode(errors="ignore")
    return f"{prefix}_{tag}_{role}"


def group_roles(database: str) -> dict[str, str]:
    """Return {role: group role name} for this database."""
    return {role: role_name(database, role) for role in ROLES}


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _role_exists(connection: Connection, name: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}).first() is not None


def _is_superuser(connection: Connection) -> bool:
    return bool(connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())


def _refusal(address: ServerAddress, exc: DBAPIError, doing: str) -> WorkbenchError:
    if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE or "permission denied" in str(exc.orig).lower():
        detail = " ".join(str(exc.orig).split())[:160]
        return TeamError(str(address), f"your login may not {doing} (the server refused: {detail}); "
                                       "use an owner's or the server administrator's login")
    return translate(address, exc)


@contextmanager
def _admin_transaction(address: ServerAddress, doing: str) -> Iterator[Connection]:
    """One transaction on the project database (roles and grants are transactional in PostgreSQL)."""
    engine = engine_for(address, pool_size=1)
    try:
        with engine.begin() as connection:
            revision = migrate.current_revision(connection)
            if revision is None:
                raise ProjectFileError(str(address), "is not a SOC 2 Workbench project (no project tables); "
                                                     "make one there with `workbench new` or `workbench copy`")
            yield connection
    except DBAPIError as exc:
        raise _refusal(address, exc, doing) from None
    finally:
        engine.dispose()


def _require_groups(connection: Connection, address: ServerAddress) -> dict[str, str]:
    groups = group_roles(address.database)
    missing = [name for name in groups.values() if not _role_exists(connection, name)]
    if missing:
        raise TeamError(str(address), "has no team roles yet; run `workbench team init` on it first")
    return groups


def init_team(address: ServerAddress) -> dict[str, str]:
    """Create the three group roles and grant each its privileges on every project table; safe to repeat."""
    with _admin_transaction(address, "set up this project's team roles") as connection:
        groups = group_roles(address.database)
        q = {role: _quote(connection, name) for role, name in groups.items()}
        database = _quote(connection, address.database)
        schema = _quote(connection, connection.execute(text("SELECT current_schema()")).scalar_one())
        for role, name in groups.items():
            if not _role_exists(connection, name):
                connection.exec_driver_sql(f"CREATE ROLE {q[role]} NOLOGIN")
        me = _quote(connection, connection.execute(text("SELECT current_user")).scalar_one())
        if not _is_superuser(connection):
            # Needed to hand the tables to the owner group and to set its default privileges.
            connection.exec_driver_sql(f"GRANT {q['owner']} TO {me}")
        statements = [
            f"REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC",
            f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {q['owner']}",
            f"GRANT CONNECT ON DATABASE {database} TO {q['contributor']}, {q['auditor']}",
            f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {q['owner']}",
            f"GRANT USAGE ON SCHEMA {schema} TO {q['contributor']}, {q['auditor']}",
            # owner
            f"GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA {schema} TO {q['owner']} WITH GRANT OPTION",
            f"GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA {schema} TO {q['owner']} WITH GRANT OPTION",
            # contributor: edits (bulk imports move id sequences on, hence UPDATE on sequences)
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {q['contributor']}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {q['contributor']}",
            *(f"REVOKE {privileges} ON TABLE {schema}.{_quote(connection, table)} FROM {q['contributor']}"
              for table, privileges in CONTRIBUTOR_WITHHELD.items()),
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {q['contributor']}",
            # auditor: reads only
            f"REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA {schema} FROM {q['auditor']}",
            f"REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA {schema} FROM {q['auditor']}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {q['auditor']}",
        ]
        for statement in statements:
            connection.exec_driver_sql(statement)
        # The owner group owns the tables, so any owner may run a schema upgrade (which alters them).
        tables = connection.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname")).scalars().all()
        for table in tables:
            connection.exec_driver_sql(f"ALTER TABLE {schema}.{_quote(connection, table)} OWNER TO {q['owner']}")
        # Tables and sequences a later schema upgrade adds get the same rights.
        for creator in dict.fromkeys((q["owner"], me)):
            default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {creator} IN SCHEMA {schema}"
            for statement in (
                f"{default} GRANT ALL PRIVILEGES ON TABLES TO {q['owner']} WITH GRANT OPTION",
                f"{default} GRANT ALL PRIVILEGES ON SEQUENCES TO {q['owner']} WITH GRANT OPTION",
                f"{default} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q['contributor']}",
                f"{default} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {q['contributor']}",
                f"{default} GRANT SELECT ON TABLES TO {q['auditor']}",
            ):
                connection.exec_driver_sql(statement)
        return groups


def _create_login_statement(connection: Connection, login: str, password: str | None, *, exists: bool) -> str:
    """Build CREATE/ALTER ROLE with the server quoting the name and the password (no client-side escaping)."""
    verb = "ALTER ROLE %I" if exists else "CREATE ROLE %I LOGIN"
    if password is None:
        return connection.execute(text(f"SELECT format('{verb}', CAST(:login AS text))"), {"login": login}).scalar_one()
    return connection.execute(text(f"SELECT format('{verb} PASSWORD %L', CAST(:login AS text), CAST(:pw AS text))"),
                              {"login": login, "pw": password}).scalar_one()


def invite(address: ServerAddress, login: str, role: str, password: str | None) -> bool:
    """Give `login` the team role (creating the login, with `password`, when missing); return True if created."""
    role_name(address.database, role)  # refuses an unknown role by name
    if not login.strip():
        raise ValidationError("LOGIN", "name the login to invite")
    with _admin_transaction(address, "manage this project's team") as connection:
        groups = _require_groups(connection, address)
        if login in groups.values():
            raise ValidationError(login, "is one of the project's group roles, not a person's login")
        created = not _role_exists(connection, login)
        if created or password is not None:
            connection.exec_driver_sql(_create_login_statement(connection, login, password, exists=not created))
        who = _quote(connection, login)
        for other, name in groups.items():
            if other != role and _is_member(connection, login, name):
                connection.exec_driver_sql(f"REVOKE {_quote(connection, name)} FROM {who}")
        if not _is_member(connection, login, groups[role]):
            connection.exec_driver_sql(f"GRANT {_quote(connection, groups[role])} TO {who}")
        return created


def _is_member(connection: Connection, login: str, group: str) -> bool:
    return connection.execute(text(
        "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        "WHERE g.rolname = :group AND u.rolname = :login"), {"group": group, "login": login}).first() is not None


def members(address: ServerAddress) -> list[Member]:
    """Return every login holding one of the project's team roles, by login name."""
    with _admin_transaction(address, "read this project's team") as connection:
        groups = _require_groups(connection, address)
        by_name = {name: role for role, name in groups.items()}
        rows = connection.execute(text(
            "SELECT u.rolname, g.rolname, u.rolcanlogin FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE g.rolname IN :groups ORDER BY u.rolname, g.rolname").bindparams(
                bindparam("groups", expanding=True)), {"groups": list(by_name)}).all()
        return [Member(login, by_name[group], bool(can_login)) for login, group, can_login in rows
                if login not in by_name]


def revoke(address: ServerAddress, login: str) -> list[str]:
    """Take every team role of this project away from `login` (the login itself stays); return the roles taken."""
    with _admin_transaction(address, "manage this project's team") as connection:
        groups = _require_groups(connection, address)
        if not _role_exists(connection, login):
            raise TeamError(login, "no such login on the server")
        taken = [role for role, name in groups.items() if _is_member(connection, login, name)]
        if not taken:
            raise TeamError(login, f"holds no role on {address.database}")
        for role in taken:
            connection.exec_driver_sql(f"REVOKE {_quote(connection, groups[role])} FROM {_quote(connection, login)}")
        return taken
