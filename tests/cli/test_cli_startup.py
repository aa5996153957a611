"""The command line parses its arguments without loading the heavy parts: they come when a command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "psycopg", "alembic", "reportlab", "openpyxl", "python_calamine", "PySide6", "keyring",
         "cryptography", "workbench.store", "workbench.services", "workbench.app", "workbench.ui")

PARSE = """
import json, sys
from workbench.cli.front import build_parser
build_parser().parse_args(json.loads(sys.argv[1]))
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("argv", [
    ["status", "acme.soc2", "--json"],
    ["register", "import", "acme.soc2", "controls", "register.xlsx", "--map", "Ref=ref", "--day-first"],
    ["export", "pdf", "acme.soc2", "out.pdf", "--criteria", "CC6.1,cc6.2", "--from", "2026-01-01"],
    ["new", "acme.soc2", "--org", "Acme", "--categories", "security,availability", "--encrypt"],
    ["gui", "acme.soc2", "--page", "timeline", "--screenshot", "out.png"],
    ["copy", "acme.soc2", "postgresql://someone@localhost/acme"],
])
def test_parsing_loads_no_heavy_module(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", PARSE, json.dumps(argv)], capture_output=True, text=True,
                            timeout=60, check=True)
    loaded = json.loads(result.stdout)
    assert [name for name in loaded if name.split(".")[0] in HEAVY or name.startswith(HEAVY)] == []
