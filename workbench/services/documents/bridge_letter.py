"""The bridge letter: management's word on the time between the end of the last report's period and the letter's
date - no material changes, or the changes the project knows of (controls begun or retired, policies adopted or
revised) and the significant incidents. Our own words throughout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.documents import Block, BulletList, Document, Heading, Paragraph
from workbench.domain.entities import Control, Report
from workbench.domain.enums import ReportType
from workbench.domain.errors import ValidationError
from workbench.domain.incidents import Incident
from workbench.domain.policies import Policy
from workbench.services.documents.drafted import Drafted
from workbench.services.documents.wording import checked_system, isolated_settings, long_date, signature
from workbench.services.session import OpenProject

TITLE = "Bridge letter"
WHAT = "bridge letter"
USUAL_DAYS = 92  # firms commonly accept a bridge letter covering up to about three months


@dataclass(frozen=True, slots=True)
class _Basis:
    """What the letter bridges from: the last report's period end, and how that report is named."""

    end: date
    named: str  # "SOC 2 Type II report for the period ..." or the project's own period
    as_of: bool = False  # the last report was a Type I, as of `end`: no period ended then


def _basis(reports: list[Report], settings_end: date | None, kind: ReportType, on: date) -> _Basis:
    earlier = [r for r in reports if r.period_end is not None and r.period_end < on]
    if earlier:
        last = max(earlier, key=lambda r: (r.period_end, r.issued_on or date.min))
        assert last.period_end is not None
        span = (f"as of {long_date(last.period_end)}" if last.report_type is ReportType.TYPE1 or last.period_start
                is None else f"for the period {long_date(last.period_start)} to {long_date(last.period_end)}")
        issued = f", issued on {long_date(last.issued_on)}" if last.issued_on else ""
        by = f" by {last.auditor}" if last.auditor.strip() else ""
        return _Basis(last.period_end, f"our SOC 2 {last.report_type.label} report {span}{issued}{by}",
                      span.startswith("as of"))
    if settings_end is None:
        raise ValidationError(WHAT, "the project records no earlier report and has no audit period end; record "
                                    "the last report on the report page or set the period on the scope page")
    if settings_end >= on:
        raise ValidationError(WHAT, f"its date ({on.isoformat()}) must come after the end of the last report's "
                                    f"period ({settings_end.isoformat()})")
    if kind is ReportType.TYPE1:
        return _Basis(settings_end, f"our SOC 2 {kind.label} report as of {long_date(settings_end)}", True)
    return _Basis(settings_end, f"our SOC 2 {kind.label} report covering the period that ended on "
                                f"{long_date(settings_end)}")


def _in_gap(day: date | None, end: date, on: date) -> bool:
    return day is not None and end < day <= on


def _changes(controls: list[Control], policies: list[Policy], end: date, on: date) -> list[str]:
    dated = [(c.implemented_since, f"Control {c.ref} ({c.title}) began operating on {long_date(c.implemented_since)}.")
             for c in controls if c.implemented_since and _in_gap(c.implemented_since, end, on)]
    dated += [(c.retired_on, f"Control {c.ref} ({c.title}) was retired on {long_date(c.retired_on)}.")
              for c in controls if c.retired_on and _in_gap(c.retired_on, end, on)]
    dated += [(v.effective_on, f"{p.title or p.key}: {'adopted' if v.number == 1 else f'version {v.number}'}, "
                               f"approved by {v.approver}, in force from {long_date(v.effective_on)}.")
              for p in policies for v in p.versions if _in_gap(v.effective_on, end, on)]
    return [text for _, text in sorted(dated, key=lambda pair: pair[0])]


def _incidents(incidents: list[Incident], end: date, on: date) -> list[str]:
    return [f"{i.ref}, detected on {long_date(i.detected_on)}: {i.title}"
            + (f" (resolved on {long_date(i.resolved_on)})" if i.resolved_on else " (not yet resolved)")
            for i in incidents if i.significant and i.detected_on and _in_gap(i.detected_on, end, on)]


def bridge_letter(project: OpenProject, on: date | None = None) -> Drafted:
    """Return the bridge letter dated `on` (default: the project's today), from the last report's period end."""
    on = on or project.now().date()
    with project.uow() as uow:
        settings = isolated_settings(uow.settings.get())
        reports, controls, incidents = uow.reports.list(), uow.controls.list(), uow.incidents.list()
        policies = uow.policies.list()
    org, system = settings.organization, checked_system(settings, WHAT)
    basis = _basis(reports, settings.period_end or settings.period_start, settings.report_type, on)
    start = basis.end + timedelta(days=1)
    changes, significant = _changes(controls, policies, basis.end, on), _incidents(incidents, basis.end, on)
    blocks: list[Block] = [
        Paragraph("To our customers, prospective customers and their auditors:"),
        Paragraph(f"This letter concerns {basis.named}, which covered the {system}. That report says nothing "
                  f"about the system after {long_date(basis.end)}. This letter covers the time since then, from "
                  f"{long_date(start)} to the date of this letter, {long_date(on)} (the bridge period)."),
    ]
    if changes:
        blocks += [Paragraph("To the best of our knowledge and belief, the following changes to the system or to "
                             "the controls described in that report took place during the bridge period. Apart "
                             f"from them, there have been no material changes to the {system} or to those "
                             "controls."), BulletList(tuple(changes))]
    else:
        blocks.append(Paragraph(f"To the best of our knowledge and belief, there have been no material changes to "
                                f"the {system} or to the controls described in that report during the bridge "
                                "period."))
    blocks.append(Heading("Significant incidents", 2))
    blocks += ([Paragraph("These significant incidents were recorded during the bridge period:"),
                BulletList(tuple(significant))] if significant else
               [Paragraph("No significant incidents were recorded during the bridge period.")])
    blocks += [
        Paragraph("This letter is management's own statement: no service auditor has examined or tested it, and "
                  "it does not replace the report. Please read it together with the report it follows. We will "
                  "tell the recipients of this letter if we learn of a material change in the bridge period that "
                  "it does not mention."),
        signature(org, on),
    ]
    warnings = []
    if (on - basis.end).days > USUAL_DAYS:
        warnings.append(f"the bridge period runs {(on - basis.end).days} days from {basis.end.isoformat()}; firms "
                        "commonly accept a bridge letter covering up to about three months")
    document = Document(
        TITLE, f"{org} · {system} · {long_date(start)} to {long_date(on)}",
        (("Organisation", org), ("System", system),
         ("Last report as of" if basis.as_of else "Last report's period ended", long_date(basis.end)),
         ("Bridge period", f"{long_date(start)} to {long_date(on)}"), ("Date of this letter", long_date(on))),
        tuple(blocks), org, f"SOC 2 bridge letter, {system}", ("SOC 2", "bridge letter", org, system))
    return Drafted(document, tuple(warnings))
