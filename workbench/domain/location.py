"""Where a project lives: a .soc2 file, or a database on a PostgreSQL server named by a connection URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from workbench.domain.errors import ValidationError

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
PROFILE_PREFIX = "profile:"  # `profile:NAME` names a saved connection profile (services/connections.py)


def is_server_location(text: object) -> bool:
    """Return True when `text` names a project on a server (a postgresql:// URL, a saved profile, an address)."""
    if isinstance(text, ServerAddress):
        return True
    if not isinstance(text, str):
        return False
    if is_profile_location(text):
        return True
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def is_profile_location(text: object) -> bool:
    """Return True when `text` names a saved connection profile as `profile:NAME`."""
    return isinstance(text, str) and text.startswith(PROFILE_PREFIX) and bool(text[len(PROFILE_PREFIX):].strip())


def profile_name(text: str) -> str:
    """Return the profile name of a `profile:NAME` location."""
    return text[len(PROFILE_PREFIX):].strip()


def profile_location(name: str) -> str:
    """Return the location text naming a saved connection profile."""
    return f"{PROFILE_PREFIX}{name}"


def shown_location(location: object) -> str:
    """Return a location as it may be shown or remembered: a URL or address never carries its password."""
    if isinstance(location, ServerAddress):
        return str(location)
    if isinstance(location, str) and is_server_location(location) and not is_profile_location(location):
        return _without_password(location.strip())
    return str(location)


def parse_location(text: str) -> Path | str:
    """Read a project argument as typed: a postgresql:// URL stays text, anything else is a file path."""
    return text if is_server_location(text) else Path(text)


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    login, at, place = rest.rpartition("@")
    return f"{scheme}{sep}{login.split(':', 1)[0]}{at}{place}" if at else url


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A project's database on a PostgreSQL server; prints without its password, so it is safe to show."""

    user: str
    host: str
    port: int
    database: str
    password: str | None = field(default=None, repr=False)  # never shown, not even in a traceback
    options: str = ""

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        """Read postgresql://user[:password]@host[:port]/database[?options]; refuse anything else by name."""
        parts = urlsplit(url.strip())
        shown = _without_password(url.strip())
        if parts.scheme.lower() not in SERVER_SCHEMES:
            raise ValidationError(shown, "is not a postgresql:// address")
        try:
            port = parts.port or 5432
        except ValueError:
            raise ValidationError(shown, "has a port that is not a number") from None
        database = unquote(parts.path.lstrip("/"))
        if not database or "/" in database:
            raise ValidationError(shown, "names no database (postgresql://user@host:port/DATABASE)")
        if not parts.hostname:
            raise ValidationError(shown, "names no server (postgresql://user@HOST:port/database)")
        return cls(unquote(parts.username or ""), parts.hostname, port, database,
                   unquote(parts.password) if parts.password is not None else None, parts.query)

    def with_password(self, password: str | None) -> ServerAddress:
        """Return the same address with this password."""
        return ServerAddress(self.user, self.host, self.port, self.database, password, self.options)

    def with_database(self, database: str) -> ServerAddress:
        """Return the address of another database on the same server, as the same login."""
        return ServerAddress(self.user, self.host, self.port, database, self.password, self.options)

    @property
    def name(self) -> str:
        """Return the database name (what a file's name is to a project file)."""
        return self.database

    @property
    def stem(self) -> str:
        """Return the database name, as Path.stem would for a file."""
        return self.database

    def __str__(self) -> str:
        user = f"{self.user}@" if self.user else ""
        query = f"?{self.options}" if self.options else ""
        return f"postgresql://{user}{self.host}:{self.port}/{self.database}{query}"
