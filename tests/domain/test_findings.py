"""Findings in the domain: criteria spellings, severities, and what changed between two runs."""

from __future__ import annotations

from workbench.domain.findings import Finding, FindingStatus, criteria_of, criterion_ref, diff_runs, severity_of


def finding(check: str, resource: str, status: FindingStatus, row: int = 1) -> Finding:
    return Finding(check, check.title(), resource, status, "high", ("CC6.1",), "iam", "eu-west-1", "", row)


def test_tools_spellings_of_criteria_become_the_catalogs() -> None:
    assert [criterion_ref(t) for t in ("cc_2_1", "CC6.1", "cc 7.2", "a_1_2", "PI1.3", "p_4_1", "c1.2")] == \
        ["CC2.1", "CC6.1", "CC7.2", "A1.2", "PI1.3", "P4.1", "C1.2"]
    assert [criterion_ref(t) for t in ("CC2", "1.20", "AC-2", "", "cc_x_1")] == ["", "", "", "", ""]
    assert criteria_of(["cc_7_2", "a_1_2", "CC6.1", "cc_6_1", "cc_10_1", "cc_6_10"]) == \
        ("CC6.1", "CC6.10", "CC7.2", "CC10.1", "A1.2")


def test_severities_are_one_of_ours() -> None:
    assert [severity_of(w) for w in ("HIGH", "Info", "none", "Moderate", "UNKNOWN", None, "weird")] == \
        ["high", "informational", "informational", "medium", "", "", ""]


def test_diff_keys_on_check_and_resource_and_ignores_muted_and_manual() -> None:
    old = [finding("mfa", "bo", FindingStatus.FAIL), finding("mfa", "ana", FindingStatus.FAIL),
           finding("trail", "main", FindingStatus.MUTED), finding("keys", "ci", FindingStatus.FAIL)]
    new = [finding("mfa", "bo", FindingStatus.FAIL, 2), finding("mfa", "ana", FindingStatus.PASS),
           finding("trail", "main", FindingStatus.FAIL), finding("keys", "ci", FindingStatus.MANUAL),
           finding("mfa", "bo", FindingStatus.FAIL, 9)]
    diff = diff_runs(old, new)
    assert [(f.check_id, f.resource) for f in diff.new_failures] == [("trail", "main")]
    assert [(f.check_id, f.resource) for f in diff.fixed] == [("keys", "ci"), ("mfa", "ana")]
    assert [(f.check_id, f.resource, f.row) for f in diff.still_failing] == [("mfa", "bo", 2)]
    assert diff_runs([], []).new_failures == ()
