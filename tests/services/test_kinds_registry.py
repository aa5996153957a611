"""The kinds registry: its table names each kind as its spec does, and using one kind loads only that kind."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.importers import kinds


def test_the_table_agrees_with_each_spec_and_specs_lists_them_in_its_order() -> None:
    assert [(spec.kind, spec.singular) for spec in kinds.SPECS] == [(k, s) for k, s, _m, _c in kinds.KINDS]
    assert len(kinds.SPECS) == len(kinds.KINDS) and kinds.SPECS[0] is kinds.CONTROLS
    assert kinds.spec_named("Vendor_Report") is kinds.VENDOR_REPORTS


def test_an_unknown_kind_names_the_kinds() -> None:
    with pytest.raises(WorkbenchError, match="use one of controls, requests"):
        kinds.spec_named("widgets")


def test_naming_one_kind_imports_only_its_module() -> None:
    code = ("import sys; from workbench.services.importers.kinds import spec_named; spec_named('controls'); "
            "print(sorted(m for m in sys.modules if m.startswith('workbench.services.importers.kinds.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['workbench.services.importers.kinds.controls']"
