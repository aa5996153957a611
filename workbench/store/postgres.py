"""The connection to a PostgreSQL server: the engine on a project's database, and its errors in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.domain.errors import ProjectFileError
from workbench.domain.location import ServerAddress

if TYPE_CHECKING:
    from sqlalchemy import Engine

CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "SOC 2 Workbench"


def engine_for(address: ServerAddress, *, pool_size: int = 4) -> Engine:
    """Return an engine on the project's database (psycopg 3); nothing connects until it is used."""
    from sqlalchemy import URL, create_engine

    url = URL.create("postgresql+psycopg", username=address.user or None, password=address.password,
                     host=address.host, port=address.port, database=address.database)
    return create_engine(url, pool_size=pool_size, max_overflow=4, pool_pre_ping=True,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": APPLICATION_NAME})


def translate(address: ServerAddress, exc: BaseException) -> ProjectFileError:
    """Turn a driver error met while connecting or reading into one clear sentence about the server."""
    message = " ".join(str(getattr(exc, "orig", exc)).split())
    lowered = message.lower()
    name = str(address)
    if "does not exist" in lowered and "database" in lowered:
        return ProjectFileError(name, "no such database on the server")
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return ProjectFileError(name, "the server refused the login (wrong user or password)")
    if "role" in lowered and "does not exist" in lowered:
        return ProjectFileError(name, "the server has no such login; ask the project's owner for an invitation")
    if "permission denied for database" in lowered:
        return ProjectFileError(name, "this login is not on the project's team (an owner can add it with "
                                      "`workbench team invite`)")
    if "permission denied" in lowered or "must be owner" in lowered:
        return ProjectFileError(name, f"the server refused this login the access it needs ({message[:160]})")
    if "connection refused" in lowered or "could not connect" in lowered or "timeout" in lowered \
            or "could not translate host name" in lowered or "connection failed" in lowered:
        return ProjectFileError(name, f"cannot reach the server ({message[:160]})")
    return ProjectFileError(name, f"the server answered with an error ({message[:200]})")
