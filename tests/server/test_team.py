"""Team mode: owner, contributor and auditor roles, enforced by PostgreSQL, seen through the command line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from tests.server.pg_helpers import admin_address, drop_database, unique_name
from workbench.cli import main
from workbench.domain.location import ServerAddress
from workbench.services.copying import copy_project
from workbench.services.integrity import project_digest
from workbench.services.session import open_project
from workbench.store.server import engine_for

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
READ_ONLY = "your login may only read this project (the server refused the change); nothing was saved"


@pytest.fixture(scope="session")
def _admin() -> ServerAddress:
    return admin_address()


@dataclass
class Team:
    admin: ServerAddress
    database: str
    logins: dict[str, str]  # role -> login name

    def url(self, role: str | None = None) -> str:
        """Return the project's URL as the admin (role None) or as the login holding `role`."""
        address = self.admin.with_database(self.database)
        if role is not None:
            address = ServerAddress(self.logins[role], address.host, address.port, address.database)
        return str(address)

    def digest(self) -> str:
        with open_project(self.url()) as project:
            return project_digest(project)


@pytest.fixture
def team(_admin: ServerAddress, tmp_path: Path) -> Iterator[Team]:
    """The sample project copied into a fresh database, with team roles and one login per role."""
    database = unique_name("wb_team")
    logins = {role: unique_name(f"wb_{role}") for role in ("owner", "contributor", "auditor")}
    made = Team(_admin, database, logins)
    try:
        source = tmp_path / "sample.soc2"
        shutil.copyfile(SAMPLE, source)
        copy_project(source, made.url())
        assert main(["team", "init", made.url()]) == 0
        for role, login in logins.items():
            assert main(["team", "invite", made.url(), login, "--role", role]) == 0
        yield made
    finally:
        groups = [f"{database}_{role}" for role in ("owner", "contributor", "auditor")]
        drop_database(_admin, database, [*logins.values(), *groups])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_auditor_exports_the_pdf_package_but_the_server_refuses_every_change(
        team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = team.digest()
    auditor = team.url("auditor")
    out = tmp_path / "package.pdf"
    assert main(["export", "pdf", auditor, str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-") and out.stat().st_size > 10_000
    capsys.readouterr()

    evidence = tmp_path / "screenshot.txt"
    evidence.write_text("MFA enforced for all users\n", encoding="utf-8")
    register = tmp_path / "controls.csv"
    register.write_text("ref,title\nNEW-1,A control the auditor may not add\n", encoding="utf-8")
    attempts = [
        ["assess", auditor, "CC6.1", "--status", "gap", "--note", "auditor tried"],
        ["import-controls", auditor, str(register)],
        ["evidence", "add", auditor, str(evidence), "--control", "AC-01"],
    ]
    for argv in attempts:
        assert main(argv) == 2, argv
        assert _one_error_line(capsys) == f"error: {auditor} : {READ_ONLY}"
    assert team.digest() == before

    assert main(["check", auditor]) == 0  # reading everything, the chain included, is allowed


def test_contributor_edits_but_the_audit_trail_stays_append_only(
        team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    contributor = team.url("contributor")
    assert main(["assess", contributor, "CC6.1", "--status", "gap", "--note", "found in walkthrough"]) == 0
    capsys.readouterr()

    engine = engine_for(ServerAddress.parse(contributor), pool_size=1)
    try:
        refused = [
            "DELETE FROM audit_entries WHERE seq = (SELECT max(seq) FROM audit_entries)",
            "UPDATE audit_entries SET actor = 'someone else'",
            "TRUNCATE audit_entries",
            "UPDATE alembic_version SET version_num = 'x'",
            "ALTER TABLE controls ADD COLUMN sneaky text",
        ]
        for statement in refused:
            with engine.connect() as connection, pytest.raises(ProgrammingError) as caught:
                connection.execute(text(statement))
            assert getattr(caught.value.orig, "sqlstate", None) == "42501" or "must be owner" in str(caught.value)
        with engine.connect() as connection:
            newest = connection.execute(text("SELECT max(seq) FROM audit_entries")).scalar()
            assert newest is not None and newest > 0
    finally:
        engine.dispose()
    assert main(["check", contributor]) == 0


def test_team_list_shows_each_login_and_revoke_shuts_it_out(
        team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["team", "list", team.url(), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    roles = {m["login"]: m["role"] for m in listed["members"]}
    assert roles == {login: role for role, login in team.logins.items()}

    # Re-inviting with another role replaces the old one: one role per login and project.
    assert main(["team", "invite", team.url(), team.logins["auditor"], "--role", "contributor"]) == 0
    assert main(["team", "invite", team.url(), team.logins["auditor"], "--role", "auditor"]) == 0
    capsys.readouterr()
    assert main(["team", "list", team.url(), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["members"]) == 3

    assert main(["team", "revoke", team.url(), team.logins["auditor"]]) == 0
    capsys.readouterr()
    assert main(["status", team.url("auditor")]) == 2
    assert "not on the project's team" in _one_error_line(capsys)
    assert main(["team", "revoke", team.url(), team.logins["auditor"]]) == 2
    assert "holds no role" in _one_error_line(capsys)


def test_only_an_owner_or_the_administrator_manages_the_team(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["team", "invite", team.url("contributor"), "wb_intruder", "--role", "owner"]) == 2
    line = _one_error_line(capsys)
    assert line.startswith(f"error: {team.url('contributor')} : your login may not manage this project's team")


def test_team_commands_refuse_a_project_file_and_an_unknown_role(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "local.soc2"
    assert main(["team", "init", str(project)]) == 2
    assert "team roles exist only for a project on a PostgreSQL server" in _one_error_line(capsys)
    with pytest.raises(SystemExit) as stopped:  # argument errors stop in the parser, with the same status
        main(["team", "invite", "postgresql://u@127.0.0.1:1/db", "bob", "--role", "boss"])
    assert stopped.value.code == 2
    assert "invalid choice: 'boss'" in _one_error_line(capsys)
