"""Real-world spreadsheets from ../shared/realworld/ (see SOURCES.md there); skipped when the folder is absent.

What each file holds, and what the import must make of it:
- scf-2022.3: sheet 'SCF 2022.3', 1,090 controls (ref 'SCF #'), header on row 1 with multi-line headers among
  277 columns; the SOC 2 column is 'AICPA TSC 2017 (SOC 2)' (newline lists, stray spaces, P1.0-P3.0 headings).
  Must give 1,090 controls, 250+ of them mapped to criteria, and a warning for each P1.0/P2.0/P3.0 heading.
- scf-2018.1.1: 'AICPA SOC 2 (2016)' sits beside 'AICPA SOC 2 (2017)'; the 2017 column must be chosen.
- robparker29 ISO / NIST mapping workbooks: the same header repeats on several sheets; the first mapping sheet is
  chosen and 'SOC2_Control' (criterion ids) is the criteria column; a repeated ISO/NIST id is one control with
  the criteria of all its rows (a crosswalk), its differing descriptions reported.

The projects here have every category in scope, so that every criterion a register maps to can be linked.
- ciso-assistant applied controls (xlsx and csv): no TSC, owner or frequency column; ref 'ref_id', title 'name';
  the rows without a ref_id are reported as errors, the others import.
- ciso-assistant evidences.csv: an evidence (PBC) list with no control ids; refused with a clear error.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_SPEC
from workbench.domain.enums import Category
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_controls
from workbench.services.session import OpenProject

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
if not REALWORLD.is_dir():
    REALWORLD = Path("/work/shared/realworld")


@pytest.fixture
def new_project(make_project, project_location) -> OpenProject:
    """A new project with every category in scope."""
    return make_project(project_location("every-category.soc2"), replace(DEFAULT_SPEC, categories=tuple(Category)))


def source(name: str) -> Path:
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REALWORLD} (the real-world test material is not checked in)")
    return path


def test_scf_2022_yields_every_control_and_its_soc2_mappings(new_project: OpenProject) -> None:
    result = import_controls(new_project, source("scf-2022.3_secure-controls-framework.xlsx"))
    assert result["sheet"] == "SCF 2022.3"
    assert result["header_row"] == 1
    assert result["columns"]["criteria"] == "AICPA TSC 2017 (SOC 2)"
    assert result["columns"]["ref"] == "SCF #"
    assert result["columns"]["title"] == "SCF Control"
    assert result["created"] == 1090
    controls = list_controls(new_project)
    assert len(controls) == 1090
    mapped = [c for c in controls if c.criteria]
    assert len(mapped) >= 250
    assert result["criteria_links"] == sum(len(c.criteria) for c in controls)
    assert {c for control in mapped for c in control.criteria} >= {"CC1.1", "CC6.1", "A1.2", "PI1.1", "P8.1"}
    headings = [p for p in result["problems"] if "series heading" in p["message"]]
    assert {m["message"].split()[1] for m in headings} == {"P1.0", "P2.0", "P3.0"}
    assert all(p["level"] == "warning" for p in result["problems"])


def test_scf_2018_prefers_the_2017_column_over_the_2016_one(new_project: OpenProject) -> None:
    result = import_controls(new_project, source("scf-2018.1.1_secure-controls-framework.xlsx"), dry_run=True)
    assert result["columns"]["criteria"] == "AICPA SOC 2 (2017)"
    assert result["created"] == 747
    assert result["criteria_links"] >= 250
    assert not any("CC5.5" in p["message"] or "C1.7" in p["message"] for p in result["problems"])


@pytest.mark.parametrize(("name", "sheet", "ref", "rows"), [
    ("robparker29_SOC2_ISO_27001_Control_Mapping.xlsx", "SOC2 to ISO Mapping", "ISO_Control", 32),
    ("robparker29_SOC2_NIST_800-53_Control_Mapping.xlsx", "SOC2 to NIST Mapping", "NIST_Control", 42),
])
def test_mapping_workbooks_choose_the_soc2_column(new_project: OpenProject, name: str, sheet: str, ref: str,
                                                  rows: int) -> None:
    result = import_controls(new_project, source(name), dry_run=True)
    assert result["sheet"] == sheet
    assert result["columns"]["criteria"] == "SOC2_Control"
    assert result["columns"]["ref"] == ref
    assert result["rows"] == rows
    repeats = [p for p in result["problems"] if "already appears" in p["message"]]
    assert result["created"] + result["merged"] == rows and result["merged"] == len(repeats) > 0
    assert all("its criteria are merged into it" in p["message"] for p in repeats)
    assert result["criteria_links"] == rows  # one criterion per row, each row's kept by its control


@pytest.mark.parametrize("name", ["ciso-assistant_applied_controls_template.xlsx",
                                  "ciso-assistant_applied_controls_sample.csv"])
def test_another_tools_register_degrades_gracefully(new_project: OpenProject, name: str) -> None:
    result = import_controls(new_project, source(name))
    assert result["columns"]["ref"] == "ref_id"
    assert result["columns"]["title"] == "name"
    assert "criteria" not in result["columns"]
    assert result["rows"] == 20
    errors = [p for p in result["problems"] if p["level"] == "error"]
    assert result["created"] + len(errors) == 20
    assert all("no control ID" in p["message"] for p in errors)
    assert result["created"] >= 5


def test_an_evidence_list_is_not_a_control_register(new_project: OpenProject) -> None:
    path = source("ciso-assistant_evidences.csv")
    with pytest.raises(WorkbenchError, match="no column holds the control ID"):
        import_controls(new_project, path)
    assert list_controls(new_project) == []
