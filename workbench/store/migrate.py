"""Schema versions: what a file has, what this program knows, and upgrading to the newest."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

    from workbench.store.driver import DriverConnection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE)

# Opening a project only needs to know the revisions, which the scripts name in two plain lines; Alembic itself
# (a quarter of a second to import) is loaded only when a file actually needs upgrading.


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


@cache
def _revision_links(folder: Path) -> dict[str, str | None]:
    """Return {revision: down_revision} as written in the migration scripts of this folder."""
    links: dict[str, str | None] = {}
    for script in sorted((folder / "versions").glob("*.py")):
        found = {name: value for name, _, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8"))}
        if "revision" in found:
            links[found["revision"]] = found.get("down_revision") or None
    return links


def head_revision() -> str:
    """Return the newest schema revision this program knows."""
    links = _revision_links(MIGRATIONS_DIR)
    heads = set(links) - set(links.values())
    assert len(heads) == 1, f"the migrations folder must have exactly one head, not {sorted(heads)}"
    return heads.pop()


def known_revisions() -> set[str]:
    """Return every schema revision this program can read or upgrade from."""
    return set(_revision_links(MIGRATIONS_DIR))


def current_revision(connection: Connection | DriverConnection) -> str | None:
    """Return the schema revision recorded in the database, or None for an empty one."""
    if connection.dialect.name == "sqlite":
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    else:
        found = connection.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
    if found is None:
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade_to_head(connection: Connection) -> None:
    """Run every pending migration on this connection, inside its transaction."""
    from alembic import command

    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
