"""Management's assertion (section II of a SOC 2 report), drafted from the project: Type I at a date, Type II over
the period, with the carve-out and user entity caveats the description calls for. Our own words throughout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workbench.domain.documents import BulletList, Document, Heading, Paragraph, Table
from workbench.domain.entities import Cuec, ProjectSettings, Subservice
from workbench.domain.enums import ReportType, SubserviceMethod
from workbench.services.documents.drafted import Drafted
from workbench.services.documents.wording import (
    categories_words,
    checked_period,
    checked_system,
    isolated,
    isolated_settings,
    joined,
    long_date,
    period_words,
    signature,
)
from workbench.services.session import OpenProject

TITLE = "Management's assertion"


def _subservice_paragraphs(org: str, subservices: list[Subservice]) -> list[Paragraph | Table]:
    carved = [s for s in subservices if s.method is SubserviceMethod.CARVE_OUT]
    included = [s for s in subservices if s.method is SubserviceMethod.INCLUSIVE]
    out: list[Paragraph | Table] = []
    if carved:
        out.append(Paragraph(
            f"{org} relies on other organisations for part of the system (subservice organisations): "
            f"{joined([s.name for s in carved])}. The description presents them using the carve-out method: it "
            "says what each provides and which controls we expect it to operate so that, together with our own "
            "controls, the applicable criteria are met (complementary subservice organisation controls), but it "
            "does not describe or cover their own controls. This assertion does not extend to those controls, "
            "and we make no statement about their design or operation."))
        out.append(Table(("Subservice organisation", "What it provides"),
                         tuple((s.name, s.service) for s in carved), (1.0, 2.6)))
    if included:
        out.append(Paragraph(
            f"The description includes the relevant controls of {joined([s.name for s in included])} (the "
            "inclusive method). This assertion covers those controls as it covers our own, and the management of "
            "each such organisation gives its own written assertion about them."))
    return out


def _cuec_paragraph(org: str, cuecs: list[Cuec]) -> Paragraph:
    if cuecs:
        return Paragraph(
            f"Some of the applicable criteria are met only if the customers using the system (user entities) "
            f"operate controls of their own that {org}'s controls were designed to depend on. The description "
            f"lists these {len(cuecs)} complementary user entity controls. This assertion does not extend to "
            "them, and we make no statement about their design or operation.")
    return Paragraph(f"The description identifies no controls that user entities must operate for {org}'s "
                     "controls to meet the applicable criteria.")


def _statements(settings: ProjectSettings, start: date, end: date, relies: bool) -> BulletList:
    org, system = settings.organization, settings.system_name
    when = period_words(settings.report_type, start, end)
    relying = (" and if the subservice organisations and user entities operated the complementary controls the "
               "design of our controls assumes") if relies else ""
    throughout = when.replace("for the period", "throughout the period", 1)
    fair = (f"the description presents the {system} as it was designed and implemented {throughout}, fairly and "
            "in accordance with the description criteria;")
    if settings.report_type is ReportType.TYPE1:
        return BulletList((
            fair,
            f"the controls stated in the description were suitably designed as of {long_date(end)} to give "
            f"reasonable assurance that {org} would meet its service commitments and system requirements under "
            f"the applicable criteria, had those controls operated effectively as of that date{relying}.",
        ), numbered=True)
    return BulletList((
        fair,
        f"the controls stated in the description were suitably designed throughout that period to give reasonable "
        f"assurance that {org} would meet its service commitments and system requirements under the applicable "
        f"criteria, if those controls operated effectively{relying}; and",
        f"the controls stated in the description operated effectively throughout that period to give reasonable "
        f"assurance that {org}'s service commitments and system requirements were met under the applicable "
        f"criteria{', the complementary controls above having operated effectively too' if relies else ''}.",
    ), numbered=True)


def management_assertion(project: OpenProject, on: date | None = None) -> Drafted:
    """Return management's assertion for the project's report, dated `on` (default: the project's today)."""
    with project.uow() as uow:
        settings = isolated_settings(uow.settings.get())
        subservices = [replace(s, name=isolated(s.name), service=isolated(s.service)) for s in uow.subservices.list()]
        cuecs = uow.cuecs.list()
    start, end = checked_period(settings, "management assertion")
    on = on or project.now().date()
    org, kind = settings.organization, settings.report_type.label
    system = checked_system(settings, "management assertion")
    when = period_words(settings.report_type, start, end)
    categories = categories_words(settings)
    carved = any(s.method is SubserviceMethod.CARVE_OUT for s in subservices)
    report = (f"{long_date(start)} to {long_date(end)}" if settings.report_type is ReportType.TYPE2
              else long_date(end))
    blocks = [
        Heading(f"Assertion of the management of {org}", 1),
        Paragraph(
            f"We, the management of {org}, have prepared the accompanying description of the {system} (the "
            f"description) {when}, following the description criteria for a SOC 2 system description (DC 200). "
            "It is written for our customers, their auditors and others who understand the system well enough to "
            "use it: it explains how the system provides our services and which controls we rely on to meet the "
            "commitments we make to customers and the requirements the system must satisfy, judged against the "
            f"trust services criteria for {categories} (the applicable criteria)."),
        *_subservice_paragraphs(org, subservices),
        _cuec_paragraph(org, cuecs),
        Paragraph("We confirm, to the best of our knowledge and belief, that:"),
        _statements(settings, start, end, carved or bool(cuecs)),
        Heading("Limits of any system of controls", 2),
        Paragraph(
            "However well designed, controls give reasonable, not absolute, assurance: people make mistakes, "
            "controls can be got round by collusion or by management overriding them, and errors or fraud may "
            "happen and go unnoticed. A conclusion about the controls "
            + ("as of one date says nothing about how they operated on any other date, and "
               if settings.report_type is ReportType.TYPE1 else "over the period ")
            + "cannot be carried forward to later periods: systems, controls and the threats they face change."),
        signature(org, on),
    ]
    return Drafted(Document(
        TITLE, f"{org} · {system} · SOC 2 {kind} {when}",
        (("Organisation", org), ("System", system), ("Report", f"SOC 2 {kind}"),
         ("Period" if settings.report_type is ReportType.TYPE2 else "As of", report),
         ("Trust services categories", categories), ("Date of this assertion", long_date(on))),
        tuple(blocks), org, f"SOC 2 {kind} management assertion, {system}",
        ("SOC 2", kind, "management assertion", org, system)), _early(on, end))


def _early(on: date, end: date) -> tuple[str, ...]:
    """Warn when the assertion is dated on or before the day its report's period ends (or its as-of date)."""
    if on > end:
        return ()
    return (f"the assertion is dated {on.isoformat()}, not after {end.isoformat()}, the end of what it covers; "
            "management signs it when the examination ends, with the auditor's report",)
