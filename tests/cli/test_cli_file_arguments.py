"""A file argument that names no file: `register import`, `policies import` and `vendors attach` refuse it in one
line that says whether it is missing or not a file, before the project is opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.session import OpenProject

COMMANDS = {
    "register import": ["register", "import", "acme.soc2", "risks"],
    "policies import": ["policies", "import", "acme.soc2"],
    "vendors attach": ["vendors", "attach", "acme.soc2", "VR-1"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("name", "why"), [("missing.csv", "the file does not exist"),
                                           ("a folder", "is not a file")])
def test_a_file_argument_that_is_no_file_is_refused_in_one_line(tmp_path: Path,
                                                                make_project: Callable[..., OpenProject],
                                                                command: str, name: str, why: str) -> None:
    make_project(tmp_path / "acme.soc2").close()
    (tmp_path / "a folder").mkdir()
    before = (tmp_path / "acme.soc2").read_bytes()
    result = run(tmp_path, *COMMANDS[command], name)
    assert assert_one_error_line(result) == f"error: {name} : {why}"
    assert (tmp_path / "acme.soc2").read_bytes() == before
