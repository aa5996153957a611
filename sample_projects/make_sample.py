"""Build the bundled sample project, deterministically: the same program makes the same content every time.

    python sample_projects/make_sample.py [OUT.soc2]

Without OUT it rewrites sample_projects/brightpath-analytics.soc2. A fixed, ticking clock and a fixed actor
make every timestamp and audit-trail hash repeatable; tests regenerate the sample and compare digests.
"""

from __future__ import annotations

import csv
import io
import struct
import sys
import tempfile
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sample_content as content  # noqa: E402
import sample_findings  # noqa: E402
import sample_people as people  # noqa: E402
import sample_policies  # noqa: E402

from workbench.domain.entities import ControlDraft, Csoc, Engagement  # noqa: E402
from workbench.domain.enums import (  # noqa: E402
    AssessmentStatus,
    Category,
    ComponentKind,
    ControlStatus,
    Frequency,
    Nature,
    Opinion,
    ReportType,
    RequestStatus,
    SubserviceMethod,
    TaskStatus,
)
from workbench.domain.schedule import Link, TaskSpec, is_working_day, working_days_between  # noqa: E402
from workbench.domain.testing import SampleResult  # noqa: E402
from workbench.services import (  # noqa: E402
    access_reviews,
    assessment,
    controls,
    engagement,
    evidence,
    plan,
    populations,
    report,
    risks,
    samples,
    scope,
    vendors,
)
from workbench.services.importers.engine import import_register  # noqa: E402
from workbench.services.importers.kinds import spec_named  # noqa: E402
from workbench.services.importers.kinds.populations import POPULATIONS  # noqa: E402
from workbench.services.project import NewProject, create_project  # noqa: E402
from workbench.services.session import OpenProject  # noqa: E402

SAMPLE_PATH = HERE / "brightpath-analytics.soc2"
ACTOR = "Aisha Rahman (sample data)"


class TickingClock:
    """A clock that starts at a fixed instant and moves one minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def __call__(self) -> datetime:
        self._now += timedelta(minutes=1)
        return self._now


def png_bytes(caption: str, width: int = 640, height: int = 400) -> bytes:
    """Draw a simple, deterministic 'screenshot' (title bar, panels, bars) as PNG bytes."""
    seed = zlib.crc32(caption.encode())
    bars = [(seed >> (i * 3)) % 7 + 3 for i in range(8)]
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            if y < 36:
                pixel = (33, 66, 120)
            elif 60 <= y < 340 and 30 <= x < 290:
                pixel = (236, 240, 245)
                index = (x - 40) // 30
                if 0 <= index < 8 and (x - 40) % 30 < 20 and y >= 330 - bars[index] * 25:
                    pixel = (46, 125, 50) if index % 3 else (249, 168, 37)
            elif 60 <= y < 340 and 320 <= x < 610:
                pixel = (250, 250, 250) if (y - 60) // 28 % 2 else (230, 234, 240)
            else:
                pixel = (255, 255, 255)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    text = chunk(b"tEXt", b"Description\x00" + caption.encode("latin-1", "replace"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + text + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) \
        + chunk(b"IEND", b"")


def pdf_bytes(title: str, paragraphs: tuple[str, ...]) -> bytes:
    """Typeset a short policy document as PDF bytes (reportlab's invariant mode keeps them repeatable)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=content.ORGANIZATION, invariant=1)
    story = [Paragraph(escape(title), styles["Title"]), Spacer(1, 12)]
    for paragraph in paragraphs:
        story += [Paragraph(escape(paragraph), styles["BodyText"]), Spacer(1, 6)]
    doc.build(story)
    return buffer.getvalue()


def evidence_file(item: content.Evidence) -> bytes:
    """Return the bytes of one sample evidence file."""
    if item.kind == "png":
        return png_bytes(str(item.body))
    if item.kind == "pdf":
        return pdf_bytes(item.title, tuple(item.body))
    return str(item.body).encode("utf-8")


def populate(project: OpenProject) -> None:
    """Feed the sample content through the services, as a user would through the GUI."""
    scope.set_description(project, dict(content.DESCRIPTION))
    for component in content.COMPONENTS:
        scope.add_component(project, ComponentKind(component.kind), component.name, component.description)
    for sub in content.SUBSERVICES:
        scope.add_subservice(project, sub.name, sub.service, SubserviceMethod(sub.method), sub.soc_report,
                             [Csoc(0, text, criteria) for text, criteria in sub.csocs])
    for text, criteria in zip(content.CUECS, content.CUEC_CRITERIA, strict=True):
        scope.add_cuec(project, text, criteria)
    for c in content.CONTROLS:
        controls.add_control(project, ControlDraft(
            ref=c.ref, title=c.title, description=c.description, owner=c.owner,
            frequency=Frequency(c.frequency), nature=Nature(c.nature), status=ControlStatus(c.status),
            criteria=c.criteria, implemented_since=implemented_since(c),
        ))
    for criterion_id, (status, note) in content.ASSESSMENTS.items():
        assessment.assess(project, criterion_id, AssessmentStatus(status), note)
    for t in content.TASKS:
        controls.add_task(project, t.title, owner=t.owner, due=t.due, status=TaskStatus(t.status),
                          criterion_id=t.criterion, control_ref=t.control_ref)
    evidence_ids: dict[str, int] = {}
    for item in content.EVIDENCE:
        meta = evidence.EvidenceMeta(item.control_ref, item.title, item.collected, item.period_start,
                                     item.period_end, item.source)
        added = evidence.add_evidence_bytes(project, item.filename, evidence_file(item), meta).value
        evidence_ids.setdefault(item.filename, added.id)
    e = content.ENGAGEMENT
    engagement.save_engagement(project, Engagement(e.firm, e.lead_auditor, e.email, e.phone))
    for m in content.MILESTONES:
        engagement.add_milestone(project, m.name, m.due, m.done)
    for r in content.REQUESTS:
        engagement.add_request(project, r.ref, r.item, tsc_refs=r.tsc_refs, control_ref=r.control_ref, owner=r.owner,
                               due=r.due, status=RequestStatus(r.status),
                               evidence_ids=[evidence_ids[name] for name in r.evidence_filenames])
    plan.replace_plan(project, plan_specs(), content.PLAN[0].start)
    add_prior_report(project)
    add_type2_testing(project)
    add_registers(project)
    add_people(project)
    sample_policies.add_policies(project)
    sample_findings.add_findings(project)


PLAN_KINDS = {"observation": "observation", "fieldwork": "fieldwork", "engagement_letter": "cpa", "kickoff": "cpa",
              "management_assertion": "cpa", "representation_letter": "cpa", "final_report": "cpa"}


def plan_specs() -> list[TaskSpec]:
    """Return the sample's plan as schedulable tasks that land on its hand-made dates.

    The observation window is pinned on the audit period; every other task gets the lag after each
    predecessor that makes the schedule start it on its planned day.
    """
    ends = {task.key: task.end for task in content.PLAN}
    specs = []
    for task in content.PLAN:
        links = tuple(Link(key, working_days_between(ends[key] + timedelta(days=1), task.start - timedelta(days=1)))
                      for key in task.depends_on)
        pinned = task.key == "observation"
        duration = 0 if task.milestone else working_days_between(task.start, task.end)
        specs.append(TaskSpec(task.key, task.name, task.step, duration, links,
                              fixed_start=task.start if pinned else None, fixed_end=task.end if pinned else None,
                              kind=PLAN_KINDS.get(task.key, "")))
    return specs


def add_prior_report(project: OpenProject) -> None:
    """Record last year's Type I report with its file, exception and distribution log."""
    prior = content.PRIOR_REPORT
    report_id = report.add_report_draft(project, report.ReportDraft(
        report_type=ReportType(prior.report_type), period_start=prior.as_of, period_end=prior.as_of,
        opinion=Opinion(prior.opinion), issued_on=prior.issued, auditor=prior.auditor, notes=prior.notes,
        bridge_letter_on=prior.bridge_letter, next_cycle_start=prior.next_cycle_start,
    )).value
    for reference, description, response in prior.exceptions:
        report.add_exception(project, report_id, reference, description, response)
    for recipient, organization, nda, sent in prior.distribution:
        report.add_distribution(project, report_id, recipient, organization, nda, sent)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / prior.filename
        pdf.write_bytes(pdf_bytes("SOC 2 Type I report (sample)", prior.pages))
        report.attach_report_file(project, report_id, pdf)


def implemented_since(control: content.Control) -> date | None:
    """Return the day an implemented control began to operate (None for one not implemented yet)."""
    if control.status != "implemented":
        return None
    return content.IMPLEMENTED_SINCE.get(control.ref, content.IMPLEMENTED_SINCE_DEFAULT)


def population_rows(spec: content.PopulationSpec) -> list[list[str]]:
    """Lay the population's events on the period's working days (skipping some), cycling through its texts."""
    every = content.PROVISIONING_EVERY if spec is content.PROVISIONING_POPULATION else 1
    rows: list[list[str]] = []
    day, index = content.PERIOD_START, 0
    while day <= content.PERIOD_END:
        if is_working_day(day):
            index += 1
            if index % every == 0 and (spec.skip == 1 or index % spec.skip):
                number = len(rows)
                rows.append([spec.key_format.format(spec.first_number + number), day.isoformat(),
                             *(texts[(number + 3 * column) % len(texts)] for column, texts in enumerate(spec.columns))])
        day += timedelta(days=1)
    return rows


def add_type2_testing(project: OpenProject) -> None:
    """Import the populations, draw a sample of each with its fixed seed and record the results.

    Exceptions go to the latest report, so this year's Type II report (a draft) is recorded first.
    """
    report.add_report_draft(project, report.ReportDraft(
        report_type=ReportType.TYPE2, period_start=content.PERIOD_START, period_end=content.PERIOD_END))
    with tempfile.TemporaryDirectory() as folder:
        for spec in content.POPULATIONS:
            source = Path(folder) / spec.filename
            with source.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(spec.headers)
                writer.writerows(population_rows(spec))
            import_register(project, POPULATIONS, source, details=(
                ("control", spec.control_ref), ("source", spec.source), ("query", spec.query),
                ("generated_at", spec.generated_at.isoformat()), ("generated_by", spec.generated_by)))
    for spec in content.POPULATIONS:
        item = next(e for e in content.POPULATION_EVIDENCE if e.filename == spec.evidence_filename)
        meta = evidence.EvidenceMeta(item.control_ref, item.title, item.collected, item.period_start,
                                     item.period_end, item.source)
        added = evidence.add_evidence_bytes(project, item.filename, evidence_file(item), meta).value
        populations.link_population_evidence(project, spec.control_ref, added.id)
        sample = samples.draw_sample(project, spec.control_ref, seed=spec.seed).value
        for position, sampled in enumerate(sample.items):
            failed = spec.control_ref == content.EXCEPTION_CONTROL and position == content.EXCEPTION_POSITION
            change = samples.record_result(project, spec.control_ref, sampled.key,
                                           SampleResult.EXCEPTION if failed else SampleResult.PASS,
                                           note=content.EXCEPTION_NOTE if failed else "")
            if failed and change.value is not None:
                exception = next(x for r in report.list_reports(project) for x in r.exceptions
                                 if x.id == change.value)
                report.update_exception(project, exception.id, exception.reference, exception.description,
                                        content.MANAGEMENT_RESPONSE)


def add_registers(project: OpenProject) -> None:
    """Import the registers Brightpath kept as spreadsheets, sign the risk assessment, keep the vendors' reports."""
    risks.start_assessment(project, content.RISK_ASSESSMENT_STARTED)
    with tempfile.TemporaryDirectory() as folder:
        for kind, rows in (("risks", content.RISK_ROWS), ("vendors", content.VENDOR_ROWS),
                           ("vendor-reports", content.VENDOR_REPORT_ROWS), ("incidents", content.INCIDENT_ROWS),
                           ("continuity-tests", content.CONTINUITY_ROWS)):
            source = Path(folder) / f"{kind}.csv"
            with source.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            result = import_register(project, spec_named(kind), source)
            assert result["created"] == len(rows) - 1 and not result["problems"], (kind, result["problems"])
        risks.sign_assessment(project, content.RISK_ASSESSMENT_SIGNER, content.RISK_ASSESSMENT_SIGNED, "RM-01")
        for report in vendors.vendor_register(project).reports:
            pdf = Path(folder) / f"{report.vendor_name.replace(' ', '-')}-soc2-type2.pdf"
            pdf.write_bytes(pdf_bytes(f"{report.vendor_name}: SOC 2 Type II report (sample stand-in)", (
                f"A stand-in for the report {report.vendor_name} issued on {report.issued_on}, covering "
                f"{report.period_start} to {report.period_end}.",
                "The real report is confidential to the vendor's customers and is kept in the project, "
                "hashed, as the evidence of its review.")))
            vendors.attach_report_file(project, report.id, pdf)


def _csv_file(folder: str, name: str, rows: list[tuple[str, ...]]) -> Path:
    source = Path(folder) / name
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return source


def add_people(project: OpenProject) -> None:
    """Import the HR system's staff export, review GitHub access (closed, filed under AC-04) and start the AWS one."""
    with tempfile.TemporaryDirectory() as folder:
        result = import_register(project, spec_named("people"), _csv_file(folder, "staff.csv", people.ROSTER_ROWS))
        assert result["created"] == len(people.ROSTER_ROWS) - 1 and not result["problems"], result["problems"]
        github = access_reviews.start_review(project, "GitHub", _csv_file(folder, "github-members.csv",
                                                                          people.GITHUB_USERS))
        for login, decision, note in people.GITHUB_DECISIONS:
            access_reviews.decide(project, github["campaign"], login, decision, note)
        access_reviews.close_review(project, github["campaign"], people.GITHUB_REVIEWER, "AC-04")
        aws = access_reviews.start_review(project, "AWS", _csv_file(folder, "aws-iam-users.csv", people.AWS_USERS))
        for login, decision, note in people.AWS_DECISIONS:
            access_reviews.decide(project, aws["campaign"], login, decision, note)


def build(destination: Path) -> Path:
    """Build the sample project at destination, replacing any file there only once the new one is complete."""
    spec = NewProject(
        organization=content.ORGANIZATION,
        system_name=content.SYSTEM_NAME,
        report_type=ReportType(content.REPORT_TYPE),
        categories=tuple(Category(c) for c in content.CATEGORIES),
        period_start=content.PERIOD_START,
        period_end=content.PERIOD_END,
    )
    clock = TickingClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        building = Path(work) / destination.name
        with create_project(building, spec, actor=ACTOR, clock=clock) as project:
            populate(project)
        building.replace(destination)
    return destination


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_PATH
    print(build(target.absolute()))
