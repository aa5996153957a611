"""`register import ... --dry-run` exits 2 in exactly the cases the import itself refuses the file, saying so, so
that a script can check a file before importing it; a file the import takes (row errors skipped) still exits 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_process import assert_one_error_line, run

FAULTY = ("person,policy,version,acknowledged_on\nCarol,information-security,1,2026-03-01\n"
          "Eve,information-security,1,12/03/2026 14:05\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for args in (("new", "acme.soc2", "--org", "Acme"), ("policies", "add", "acme.soc2", "--all"),
                 ("policies", "publish", "acme.soc2", "information-security", "--approver", "Ann", "--approved",
                  "2026-01-01", "--effective", "2026-01-02")):
        result = run(tmp_path, *args)
        assert result.returncode == 0, result.stderr
    return tmp_path / "acme.soc2"


def _state(tmp_path: Path, project: Path) -> str:
    return run(tmp_path, "register", "list", project, "acknowledgements", "--json").stdout


def test_a_dry_run_of_a_file_the_import_refuses_exits_2_saying_so(tmp_path, project):
    (tmp_path / "sig.csv").write_text(FAULTY, encoding="utf-8")
    before = _state(tmp_path, project)
    dry = run(tmp_path, "register", "import", project, "acknowledgements", "sig.csv", "--dry-run")
    line = assert_one_error_line(dry, "sig.csv", "would refuse the file: 1 row has an error: row 3, column D")
    assert line.endswith("nothing was changed") and "nothing was imported" not in line
    assert "would import 2 acknowledgement rows" in dry.stdout and "row 3 error:" in dry.stdout
    as_json = run(tmp_path, "register", "import", project, "acknowledgements", "sig.csv", "--dry-run", "--json")
    assert as_json.returncode == 2 and json.loads(as_json.stdout)["refused"].startswith("row 3, column D")
    assert run(tmp_path, "register", "import", project, "acknowledgements", "sig.csv").returncode == 2
    assert _state(tmp_path, project) == before


def test_a_dry_run_of_a_file_the_import_takes_exits_0(tmp_path, project):
    (tmp_path / "sig.csv").write_text(FAULTY.rsplit("Eve", 1)[0], encoding="utf-8")
    dry = run(tmp_path, "register", "import", project, "acknowledgements", "sig.csv", "--dry-run", "--json")
    assert dry.returncode == 0 and "refused" not in json.loads(dry.stdout)
    assert json.loads(_state(tmp_path, project)) == []  # the dry run's trial writes were rolled back
    # a control row without a title is skipped, the others imported: both the dry run and the import exit 0
    (tmp_path / "controls.csv").write_text("ref,title\nC-1,One\nC-2,\n", encoding="utf-8")
    dry = run(tmp_path, "import-controls", project, "controls.csv", "--dry-run")
    assert dry.returncode == 0 and "row 3 error" in dry.stdout and "would refuse" not in dry.stderr
    assert run(tmp_path, "import-controls", project, "controls.csv").returncode == 0
