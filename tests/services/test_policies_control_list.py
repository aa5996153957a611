"""A control list (CISO Assistant's applied controls: description, category, csf_function, status, priority, effort,
control_impact ...) imported as policies is refused whole, naming the file and saying to import it as controls; a
policy register with a description and status column still imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.test_services_registers import digest, write_csv
from workbench.domain.errors import WorkbenchError
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import POLICIES
from workbench.services.policies import policy_register
from workbench.services.session import OpenProject

REALWORLD = Path("/work/shared/realworld")
APPLIED_CONTROLS = ("name", "description", "category", "csf_function", "ref_id", "status", "priority", "effort",
                    "control_impact", "link", "start_date", "eta")


def _applied_controls(path: Path) -> Path:
    return write_csv(path, [APPLIED_CONTROLS, *((f"Safeguard {n}", "Keeps things safe.", "technical", "protect",
                                                 f"AC-{n:03}", "active", "2", "M", "3", "", "2025-01-15", "")
                                                for n in range(12))])


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_control_list_imported_as_policies_is_refused_whole(new_project: OpenProject, tmp_path: Path,
                                                              dry_run: bool) -> None:
    path = _applied_controls(tmp_path / "applied_controls.csv")
    before = digest(new_project)
    with pytest.raises(WorkbenchError) as raised:
        import_register(new_project, POLICIES, path)
    assert raised.value.what == str(path)
    assert raised.value.why.startswith("looks like a control list, not a policy register (its columns "
                                       "'csf_function', 'priority', 'effort', 'control_impact', 'eta' and ")
    assert "import it as controls (import-controls PROJECT FILE); nothing was imported" in raised.value.why
    assert digest(new_project) == before and policy_register(new_project).policies == ()
    if dry_run:
        assert import_register(new_project, POLICIES, path, dry_run=True)["refused"] == raised.value.why


def test_the_real_ciso_assistant_export_is_refused(new_project: OpenProject) -> None:
    path = REALWORLD / "ciso-assistant_applied_controls_sample.csv"
    if not path.is_file():
        pytest.skip("the real-world sample files are not on this machine")
    with pytest.raises(WorkbenchError, match="looks like a control list"):
        import_register(new_project, POLICIES, path)
    assert policy_register(new_project).policies == ()


def test_a_policy_register_with_description_category_and_status_imports(new_project: OpenProject,
                                                                        tmp_path: Path) -> None:
    path = write_csv(tmp_path / "policies.csv", [
        ("Policy", "Description", "Category", "Status", "Owner", "Priority"),
        ("Access Control Policy", "Who gets access", "Security", "Approved", "CISO", "High"),
        ("Backup Policy", "What is backed up", "Operations", "Draft", "CTO", "Low")])
    result = import_register(new_project, POLICIES, path)
    assert result["created"] == 2
    assert [p.title for p in policy_register(new_project).policies] == ["Access Control Policy", "Backup Policy"]


def test_a_control_list_with_a_policy_column_of_its_own_is_not_guessed_at(new_project: OpenProject,
                                                                          tmp_path: Path) -> None:
    path = write_csv(tmp_path / "policies.csv", [
        ("Policy", "Description", "Category", "Control owner", "Priority", "Review cycle months"),
        ("Access Control Policy", "Who gets access", "Security", "CISO", "High", "12")])
    assert import_register(new_project, POLICIES, path)["created"] == 1
