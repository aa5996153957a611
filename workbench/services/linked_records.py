"""What the registers' records count for: occurrences of the controls they serve (the evidence calendar counts a
restore test or a vendor review in its window like evidence), and the next actions they call for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workbench.domain.occurrences import Occurrence
from workbench.domain.people import removal_actions
from workbench.domain.policies import policy_actions
from workbench.domain.risks import assessment_overdue, untreated
from workbench.domain.vendors import Criticality, VendorReport, report_stale, reviewed_within
from workbench.services import action_targets as to
from workbench.services.action_targets import ActionTarget
from workbench.store import UnitOfWork

STEP_RISKS, STEP_REGISTERS = 2, 3  # the readiness assessment holds the risk assessment; the rest are step 3


def occurrences(uow: UnitOfWork, reports: Sequence[VendorReport] | None = None) -> dict[str, list[Occurrence]]:
    """Return, by control ref, the dated records that show the control operated: continuity tests and reviews of
    vendors' reports (a signed risk assessment is evidence itself: its PDF). `reports`: the vendors' reports when
    the caller has read them already."""
    found: dict[str, list[Occurrence]] = {}
    for test in uow.continuity_tests.list():
        if test.control_ref and test.performed_on:
            found.setdefault(test.control_ref, []).append(Occurrence(
                f"{test.kind.label if test.kind else 'Continuity test'} {test.ref}", test.performed_on))
    for report in uow.vendor_reports.list() if reports is None else reports:
        if report.control_ref and report.reviewed_on:
            found.setdefault(report.control_ref, []).append(Occurrence(
                f"Review of report {report.ref} ({report.vendor_name or report.vendor_ref})", report.reviewed_on))
    return found


def _named(refs: Sequence[str], limit: int = 3) -> str:
    return ", ".join(refs[:limit]) + (f" and {len(refs) - limit} more" if len(refs) > limit else "")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def register_actions(uow: UnitOfWork, today: date, *, control_refs: Sequence[str] | None = None,
                     reports: Sequence[VendorReport] | None = None) -> tuple[tuple[int, str, ActionTarget], ...]:
    """Return the next actions the registers call for, most pressing first, as (step, sentence, where it is done).

    `control_refs` and `reports`: the controls' refs and the vendors' reports, when the caller (the status) has read
    them already; otherwise they are read here, the controls only when there are risks to check.
    """
    actions: list[tuple[int, str, ActionTarget]] = []
    assessments = uow.risk_assessments.list()
    latest = assessments[-1] if assessments else None
    risks = uow.risks.of_assessment(latest.id) if latest else []
    refs: Sequence[str] = []
    if risks:  # the dashboard of a large library reads the controls only when it needs them
        refs = [c.ref for c in uow.controls.list()] if control_refs is None else control_refs
    bare = [r.ref for r in risks if untreated(r, refs)]
    if bare:
        actions.append((STEP_RISKS, f"Link a treating control to {_plural(len(bare), 'risk', 'risks')} "
                                    f"({_named(bare)})", to.RISKS))
    signed = [a.signed_on for a in assessments if a.signed_on is not None]
    if risks and assessment_overdue(signed[-1] if signed else None, today):
        actions.append((STEP_RISKS, "Sign the risk assessment" + (
            f": the last one was signed {signed[-1].isoformat()}, more than 12 months ago" if signed else ""),
                        to.RISKS))
    reports = uow.vendor_reports.list() if reports is None else reports
    unmapped = [(r, c) for r in reports for c in r.unmapped]
    if unmapped:
        first, control = unmapped[0]
        count = _plural(len(unmapped), "user entity control", "user entity controls")
        actions.append((STEP_REGISTERS, f"Map {count} vendors expect of us to our controls "
                                        f"({first.vendor_name or first.vendor_ref}: {control.text[:60]!r})",
                        to.VENDOR_REPORTS))
    stale = [r for r in reports if report_stale(r, today)]
    if stale:
        names = list(dict.fromkeys(r.vendor_name or r.vendor_ref for r in stale))
        actions.append((STEP_REGISTERS, f"Get newer SOC reports: the period of "
                                        f"{_plural(len(stale), 'report', 'reports')} ended more than 12 months ago "
                                        f"({_named(names)})", to.VENDOR_REPORTS))
    critical = [v for v in uow.vendors.list() if v.criticality is Criticality.CRITICAL
                and not reviewed_within([r for r in reports if r.vendor_ref == v.ref], today)]
    if critical:
        count = _plural(len(critical), "critical vendor", "critical vendors")
        actions.append((STEP_REGISTERS, f"Review the SOC report of {count} ({_named([v.name for v in critical])})",
                        to.VENDOR_REPORTS))
    people = uow.people.list()
    actions += [(STEP_REGISTERS, text, to.PEOPLE) for text in removal_actions(people, uow.people.removal_days(), today)]
    policies = uow.policies.list()
    if policies:
        actions += [(STEP_REGISTERS, text, _policy_target(text)) for text in policy_actions(
            policies, people, uow.policies.acknowledgements(), today, uow.settings.get().period_start)]
    return tuple(actions)


def _policy_target(action: str) -> ActionTarget:
    """Return where a policy action is done: who acknowledged what on the acknowledgements tab, the rest on the page."""
    return to.ACKNOWLEDGEMENTS if action.startswith(("Have ", "Acknowledgement")) else to.POLICIES
