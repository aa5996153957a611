"""The sample's security scans: two Prowler runs of the production account a month apart (new, fixed and still
failing checks between them), the later one evidence of CM-04 counted by the calendar, and a Trivy image scan."""

from __future__ import annotations

from datetime import date

from workbench.domain.tool_runs import Coverage
from workbench.services.findings import compare_runs, criteria_coverage, list_runs
from workbench.services.period import calendar_document, project_calendar
from workbench.services.session import open_project


def test_the_sample_has_two_prowler_runs_a_month_apart_and_a_trivy_scan(sample):
    with open_project(sample, backup_on_open=False, read_only=True) as project:
        trivy, first, second = list_runs(project)
        diff = compare_runs(project, first.id, second.id)[2]
        coverage = {c.criterion: c.coverage for c in criteria_coverage(project)}
        period, controls, populations = project_calendar(project, date(2026, 10, 15))
        calendar = calendar_document(period, controls, populations, date(2026, 10, 15))
    assert [(r.run.tool, r.run.format, r.reflects_on) for r in (trivy, first, second)] == [
        ("trivy", "trivy-image", date(2026, 9, 14)), ("prowler", "prowler-csv", date(2026, 8, 3)),
        ("prowler", "prowler-csv", date(2026, 9, 1))]
    assert first.run.scope == second.run.scope == "aws 482910375566"
    assert (first.total, first.failed, first.manual) == (41, 6, 2)
    assert (second.total, second.failed, second.manual) == (41, 3, 2)
    assert (trivy.total, trivy.failed) == (4, 4)
    assert [f.check_id for f in diff.new_failures] == ["elbv2_waf_acl_attached"]
    assert len(diff.fixed) == 4
    assert sorted(f.check_id for f in diff.still_failing) == ["s3_bucket_server_access_logging_enabled",
                                                              "ssm_managed_compliant_patching"]
    assert (first.evidence_id, second.control_ref, trivy.evidence_id) == (None, "CM-04", None)
    assert second.evidence_id is not None
    (cm04,) = [w for w in calendar if w["control"] == "CM-04"]
    assert cm04["status"] == "covered" and second.evidence_id in cm04["evidence"]
    assert coverage["CC6.6"] is Coverage.AUTOMATED_FAIL and coverage["A1.2"] is Coverage.AUTOMATED_PASS
    assert coverage["CC2.3"] is Coverage.MANUAL_ONLY and coverage["CC1.1"] is Coverage.NOTHING
