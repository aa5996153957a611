"""Team mode: who may do what on a project shared on a PostgreSQL server (the server enforces it)."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.errors import ValidationError
from workbench.domain.location import ServerAddress, is_server_location
from workbench.services import connections
from workbench.store import team
from workbench.store.team import ROLES, Member

__all__ = ["ROLES", "Member", "init_team", "invite", "members", "revoke", "team_address"]


def team_address(location: Path | str | ServerAddress) -> ServerAddress:
    """Return the server address of a project, refusing a project file (teams exist only on a server)."""
    location = connections.resolve_location(location)  # profile:NAME too
    if isinstance(location, ServerAddress):
        return location
    if not is_server_location(location):
        raise ValidationError(str(location), "team roles exist only for a project on a PostgreSQL server "
                                             "(postgresql://user@host:port/database); a project file is "
                                             "shared by giving a copy")
    return ServerAddress.parse(str(location))


def init_team(location: Path | str | ServerAddress) -> dict[str, str]:
    """Create the owner, contributor and auditor group roles and their grants; return {role: group role}."""
    return team.init_team(team_address(location))


def invite(location: Path | str | ServerAddress, login: str, role: str, password: str | None = None) -> bool:
    """Give a login one team role (creating the login when missing); return True when it was created."""
    if role not in ROLES:
        raise ValidationError(role, f"is not a team role; use {', '.join(ROLES)}")
    return team.invite(team_address(location), login, role, password)


def members(location: Path | str | ServerAddress) -> list[Member]:
    """Return the logins on the project's team with their roles."""
    return team.members(team_address(location))


def revoke(location: Path | str | ServerAddress, login: str) -> list[str]:
    """Take the login off the project's team; return the roles it lost."""
    return team.revoke(team_address(location), login)
