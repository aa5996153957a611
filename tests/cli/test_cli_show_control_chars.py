"""`policies show` and `description show` print stored text with its control characters made visible, never raw:
an ESC sequence stored before inputs were checked would otherwise colour the user's terminal (QA C3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from tests.cli.test_cli_process import run
from workbench.services import scope
from workbench.services.policies import add_policies, publish
from workbench.services.session import OpenProject

HOSTILE = "Keep \x1b[31mRED\x1b[0m out\r\nof\tsight\x07\n"


def _shown(folder: Path, *args: object) -> str:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_policies_show_prints_a_stored_escape_as_text(tmp_path: Path, make_project: Callable[..., OpenProject]):
    project = make_project(tmp_path / "acme.soc2")
    add_policies(project, ["access-control"])
    with project.uow() as uow:  # stored directly: today's edits refuse control characters
        policy = uow.policies.get("access-control")
        uow.policies.update(replace(policy, title="Access \x1b]0;pwned\x07Control", draft_body=HOSTILE))
        uow.commit()
    publish(project, "access-control", "Ann \x1b[2J", effective_on=date(2026, 1, 2), approved_on=date(2026, 1, 1))
    project.close()
    out = _shown(tmp_path, "policies", "show", "acme.soc2", "access-control", "--on", "2026-02-01")
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "Keep \\x1b[31mRED\\x1b[0m out\nof\tsight\\x07\n" in out
    assert "Access \\x1b]0;pwned\\x07Control" in out and "approved by Ann \\x1b[2J on 2026-01-01" in out


def test_description_show_prints_a_stored_escape_as_text(tmp_path: Path, make_project: Callable[..., OpenProject]):
    project = make_project(tmp_path / "acme.soc2")
    scope.set_description(project, {"dc1": HOSTILE})
    project.close()
    out = _shown(tmp_path, "description", "show", "acme.soc2")
    assert "\x1b" not in out and "\x07" not in out
    assert "Keep \\x1b[31mRED\\x1b[0m out\nof\tsight\\x07" in out
