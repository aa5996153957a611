"""The name the audit trail records: WORKBENCH_USER, else the name the user saved, else the login."""

from __future__ import annotations

import json

from workbench.cli import main
from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.identity import login_name


def _audit_actors(project) -> list[str]:
    with project.uow() as uow:
        return [entry.actor for entry in uow.audit.entries()]


def test_a_saved_name_is_recorded_for_changes_and_survives(monkeypatch, capsys, make_project, project_path):
    monkeypatch.delenv("WORKBENCH_USER")
    assert main(["user", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"name": login_name(), "source": "the login name"}
    assert main(["user", "--name", "  Ana   Souza "]) == 0
    assert capsys.readouterr().out == "Ana Souza (saved)\n"
    project = make_project(project_path)
    add_control(project, ControlDraft("AC-1", "Access reviews"))
    assert set(_audit_actors(project)) == {"Ana Souza"}
    monkeypatch.setenv("WORKBENCH_USER", "ci-bot")  # the environment wins, for scripts
    assert main(["user"]) == 0
    assert capsys.readouterr().out == "ci-bot (WORKBENCH_USER)\n"


def test_an_empty_name_goes_back_to_the_login_and_bad_names_are_refused(monkeypatch, capsys):
    monkeypatch.delenv("WORKBENCH_USER")
    main(["user", "--name", "Bo"])
    assert main(["user", "--name", ""]) == 0
    assert capsys.readouterr().out.endswith("(the login name)\n")
    assert main(["user", "--name", "Bo\x07"]) == 2
    assert capsys.readouterr().err == "error: your name : contains control characters\n"
    assert main(["user", "--name", "x" * 121]) == 2
    assert "longer than 120 characters" in capsys.readouterr().err
