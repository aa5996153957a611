"""access-review new on a user list whose last logins are written 03/04/2026: the text output says the date was
left unset (the account is then not checked for dormancy), and --day-first reads it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.test_cli_import import run
from tests.services.test_services_registers import write_csv
from workbench.services.session import OpenProject

USERS = [("Username", "Email", "Role", "Last login"), ("ann", "ann@acme.test", "Developer", "03/04/2024"),
         ("bob", "bob@acme.test", "Owner", "12/30/2024")]


def test_a_last_login_left_unset_is_said_and_day_first_reads_it(tmp_path: Path,
                                                                 make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    write_csv(tmp_path / "users.csv", USERS)
    first = run(tmp_path, "access-review", "new", "acme.soc2", "--system", "GitHub", "users.csv")
    assert first.returncode == 0, first.stderr
    assert "row 2 warning: last_login: '03/04/2024' could be 03 April or 04 March" in first.stdout
    assert "dormant: bob" in first.stdout and "dormant: ann" not in first.stdout

    second = run(tmp_path, "access-review", "new", "acme.soc2", "--system", "Okta", "users.csv", "--month-first")
    assert second.returncode == 0, second.stderr
    assert "warning" not in second.stdout and "dormant: ann, bob" in second.stdout
