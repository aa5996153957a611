"""Helpers of the team-mode tests: reach the test server (WORKBENCH_TEST_POSTGRES), make and drop databases."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import Engine, text

from workbench.domain.location import ServerAddress

ENV = "WORKBENCH_TEST_POSTGRES"


def admin_address() -> ServerAddress:
    """Return the admin address of the test server; skip (or fail on CI) when there is none or it is down."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        reason = f"no PostgreSQL test server: set {ENV} to an admin URL (postgresql://postgres@127.0.0.1:54329/postgres)"
    else:
        address = ServerAddress.parse(url)
        engine = admin_engine(address)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return address
        except Exception as exc:  # any failure to reach it means the same: no server to test against
            reason = f"the PostgreSQL test server at {address} cannot be reached ({type(exc).__name__})"
        finally:
            engine.dispose()
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def admin_engine(address: ServerAddress) -> Engine:
    """Return an AUTOCOMMIT engine on `address` (DDL such as CREATE DATABASE runs outside transactions)."""
    from workbench.store.server import engine_for

    return engine_for(address, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")


def unique_name(prefix: str) -> str:
    """Return a database or role name no other test uses."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def drop_database(admin: ServerAddress, database: str, roles: list[str]) -> None:
    """Drop the database and the given roles (group roles and logins made by the test), ignoring missing ones."""
    engine = admin_engine(admin)
    try:
        with engine.connect() as connection:
            quote = connection.dialect.identifier_preparer.quote_identifier
            connection.execute(text(f"DROP DATABASE IF EXISTS {quote(database)} WITH (FORCE)"))
            for role in roles:
                connection.execute(text(f"DROP ROLE IF EXISTS {quote(role)}"))
    finally:
        engine.dispose()
