"""`workbench description subservice add|list|remove` as a user runs them: a new project's DC7 filled from the
command line (a subservice organisation, then its CSOCs), values read back, bad input refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_process import assert_one_error_line, run


def _ok(tmp_path: Path, *args: object) -> str:
    result = run(tmp_path, *args)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _ok(tmp_path, "new", "acme.soc2", "--org", "Acme")
    return tmp_path / "acme.soc2"


def _listed(tmp_path: Path, project: Path) -> list[dict]:
    return json.loads(_ok(tmp_path, "description", "subservice", "list", project, "--json"))


def test_a_subservice_added_from_the_command_line_takes_csocs_and_shows_under_dc7(tmp_path, project):
    out = _ok(tmp_path, "description", "subservice", "add", project, "AWS", "--method", "carve-out", "--service",
              "cloud hosting", "--soc-report", "SOC 2 Type II")
    assert out.startswith("subservice organisation AWS added (carve-out): cloud hosting")
    _ok(tmp_path, "description", "subservice", "add", project, "Okta", "--method", "inclusive")
    _ok(tmp_path, "description", "csoc", "add", project, "--subservice", "aws", "--text", "AWS restricts physical "
        "access to its data centres", "--criteria", "CC6.4")
    assert _listed(tmp_path, project) == [
        {"name": "AWS", "service": "cloud hosting", "method": "carve_out", "soc_report": "SOC 2 Type II", "csocs": 1},
        {"name": "Okta", "service": "", "method": "inclusive", "soc_report": "", "csocs": 0}]
    outline = json.loads(_ok(tmp_path, "description", "show", project, "--json"))
    assert [(s["name"], s["method"], len(s["csocs"])) for s in outline["subservices"]] == [
        ("AWS", "carve_out", 1), ("Okta", "inclusive", 0)]
    text = _ok(tmp_path, "description", "subservice", "list", project)
    assert "AWS (carve-out): cloud hosting; 1 complementary control\n" in text and "2 subservice organisations" in text


def test_remove_takes_the_organisation_and_its_csocs(tmp_path, project):
    _ok(tmp_path, "description", "subservice", "add", project, "AWS", "--method", "carve-out")
    _ok(tmp_path, "description", "csoc", "add", project, "--subservice", "AWS", "--text", "Physical access")
    out = _ok(tmp_path, "description", "subservice", "remove", project, "aws")
    assert out.strip() == "subservice organisation AWS removed, with its 1 complementary control"
    assert _listed(tmp_path, project) == []
    assert_one_error_line(run(tmp_path, "description", "subservice", "remove", project, "AWS"),
                          "subservice organisation 'AWS'", "is not in the project")


@pytest.mark.parametrize(("args", "phrases"), [
    (("AWS", "--method", "outsourced"), ("'outsourced' is not carve-out or inclusive",)),
    (("aws", "--method", "inclusive"), ("subservice organisation 'aws'", "is already in the project")),
    (("Ev\x1b[31mil", "--method", "inclusive"), ("subservice organisation name", "control character")),
    (("  ", "--method", "inclusive"), ("the name cannot be empty",)),
])
def test_bad_input_is_one_line_and_changes_nothing(tmp_path, project, args, phrases):
    _ok(tmp_path, "description", "subservice", "add", project, "AWS", "--method", "carve-out")
    before = project.read_bytes()
    assert_one_error_line(run(tmp_path, "description", "subservice", "add", project, *args), *phrases)
    assert [s["name"] for s in _listed(tmp_path, project)] == ["AWS"] and project.read_bytes() == before


def test_a_stored_escape_in_a_name_is_listed_as_text(tmp_path, make_project):
    from workbench.domain.enums import SubserviceMethod
    from workbench.services.scope import add_subservice

    project = make_project(tmp_path / "stored.soc2")
    add_subservice(project, "AWS \x1b[31mred", "hosting\x07", SubserviceMethod.INCLUSIVE)  # as the GUI stores it
    project.close()
    out = _ok(tmp_path, "description", "subservice", "list", "stored.soc2")
    assert "\x1b" not in out and "\x07" not in out
    assert "AWS \\x1b[31mred (inclusive): hosting\\x07; 0 complementary controls" in out
    out = _ok(tmp_path, "description", "subservice", "remove", "stored.soc2", "AWS \x1b[31mred")
    assert out.strip() == "subservice organisation AWS \\x1b[31mred removed"
