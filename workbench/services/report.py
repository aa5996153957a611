"""Step 6: the report received, its exceptions, who it was shared with, and what comes next."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from workbench.domain.entities import Distribution, Report, ReportDetails, ReportException
from workbench.domain.enums import Opinion, ReportType
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.domain.media import sniff_media_type
from workbench.services.changes import Change, Touched
from workbench.services.evidence import Progress, _check_readable, _hash_file, _Progress, _read_chunks
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

PDF = "application/pdf"

# A few plain words on each opinion, for readers who have never seen a SOC 2 report.
OPINION_EXPLANATIONS: dict[Opinion, str] = {
    Opinion.UNQUALIFIED: "A clean opinion: the description is fairly presented and the controls were suitably "
                         "designed (and, for Type II, operated effectively) to meet the criteria. A clean report "
                         "can still list exceptions in its test results that the auditor judged did not stop a "
                         "criterion being met: record each one with management's response.",
    Opinion.QUALIFIED: "Clean except for the matters the report names. A qualification can come from exceptions "
                       "serious enough that a criterion was not met, from a system description that misstates or "
                       "leaves out something material, from controls not suitably designed, or from a scope "
                       "limitation: evidence the auditor could not obtain.",
    Opinion.ADVERSE: "The matters found are material and pervasive: the description is misleading or the controls "
                     "cannot be relied on to meet the criteria.",
    Opinion.DISCLAIMER: "The auditor could not obtain enough evidence to form an opinion at all.",
}


@dataclass(frozen=True, slots=True)
class ReportDraft(ReportDetails):
    """The editable details of a report: what it states, and the follow-up dates the page keeps beside it."""

    bridge_letter_on: date | None = None
    next_cycle_start: date | None = None


@dataclass(frozen=True, slots=True)
class ReportFile:
    """The report document stored in the project."""

    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A report with what the page shows beside it: follow-up dates and the stored file."""

    report: Report
    bridge_letter_on: date | None = None
    next_cycle_start: date | None = None
    file: ReportFile | None = None

    @property
    def id(self) -> int:
        """Return the report's id."""
        return self.report.id

    def draft(self) -> ReportDraft:
        """Return the editable details, as they are stored."""
        r = self.report
        return ReportDraft(r.report_type, r.period_start, r.period_end, r.opinion, r.issued_on, r.auditor, r.notes,
                           self.bridge_letter_on, self.next_cycle_start)


def cleaned_report(draft: ReportDraft) -> ReportDraft:
    """Return a report's details as they are recorded: texts trimmed, a Type I report as of a single date."""
    end = draft.period_start if draft.report_type is ReportType.TYPE1 else draft.period_end
    return replace(draft, period_end=end, auditor=draft.auditor.strip(), notes=draft.notes.strip())


def _refusal(draft: ReportDraft) -> ValidationError | None:
    start, end = draft.period_start, draft.period_end
    if draft.report_type is ReportType.TYPE1:
        if start is None:
            return ValidationError("report date", "a Type I report needs the date it is as of")
        end = start
    else:
        if start is None or end is None:
            return ValidationError("report period", "a Type II report needs the start and end of its period")
        if end < start:
            return ValidationError("report period", "ends before it starts")
    if draft.issued_on is not None and draft.issued_on < end:
        return ValidationError("issue date", "a report cannot be issued before the end of the period it covers")
    if draft.bridge_letter_on is not None and draft.bridge_letter_on <= end:
        return ValidationError("bridge letter", "covers the time after the report period, so must be dated after it")
    if draft.next_cycle_start is not None and draft.next_cycle_start <= end:
        return ValidationError("next cycle", "must start after the end of this report's period")
    return None


def report_refusal(draft: ReportDraft) -> str:
    """Return why a report's details are refused, in words ("" when they are acceptable)."""
    refused = _refusal(draft)
    return f"{refused.what}: {refused.why}" if refused is not None else ""


def _checked(draft: ReportDraft) -> ReportDraft:
    """Validate a report's details; return them cleaned (a Type I report is as of a single date)."""
    refused = _refusal(draft)
    if refused is not None:
        raise refused
    return cleaned_report(draft)


def add_report(project: OpenProject, report_type: ReportType, period_start: date | None, period_end: date | None,
               *, opinion: Opinion | None = None, issued_on: date | None = None, auditor: str = "",
               notes: str = "", bridge_letter_on: date | None = None, next_cycle_start: date | None = None,
               report_id: int | None = None) -> Change[int]:
    """Record a SOC 2 report (with a given id when putting one back); the change carries its id."""
    d = _checked(ReportDraft(report_type, period_start, period_end, opinion, issued_on, auditor, notes,
                             bridge_letter_on, next_cycle_start))
    with project.uow() as uow:
        report_id = uow.reports.add(d.report_type, d.period_start, d.period_end, opinion=d.opinion,
                                    issued_on=d.issued_on, auditor=d.auditor, notes=d.notes,
                                    bridge_letter_on=d.bridge_letter_on, next_cycle_start=d.next_cycle_start,
                                    report_id=report_id)
        uow.commit()
    return Change(Touched.REPORT, partial(remove_report, report_id=report_id), report_id)


def add_report_draft(project: OpenProject, draft: ReportDraft, *, report_id: int | None = None) -> Change[int]:
    """Record a report from its details; the change carries its id."""
    return add_report(project, draft.report_type, draft.period_start, draft.period_end, opinion=draft.opinion,
                      issued_on=draft.issued_on, auditor=draft.auditor, notes=draft.notes,
                      bridge_letter_on=draft.bridge_letter_on, next_cycle_start=draft.next_cycle_start,
                      report_id=report_id)


def _record(uow: UnitOfWork, report: Report) -> ReportRecord:
    bridge, next_cycle, sha = uow.reports.follow_up(report.id)
    stored = None
    if sha is not None:
        size, media_type = uow.reports.file_info(sha)
        stored = ReportFile(sha, size, media_type)
    return ReportRecord(report, bridge, next_cycle, stored)


def _record_of(uow: UnitOfWork, report_id: int) -> ReportRecord:
    report = next((r for r in uow.reports.list() if r.id == report_id), None)
    if report is None:
        raise NotFoundError(f"report {report_id}", "does not exist")
    return _record(uow, report)


def update_report(project: OpenProject, report_id: int, draft: ReportDraft) -> Change[None]:
    """Replace the details of a report (its file, exceptions and distribution stay); undone by putting them back."""
    d = _checked(draft)
    with project.uow() as uow:
        before = _record_of(uow, report_id).draft()
        uow.reports.update(report_id, d.report_type, d.period_start, d.period_end, opinion=d.opinion,
                           issued_on=d.issued_on, auditor=d.auditor, notes=d.notes,
                           bridge_letter_on=d.bridge_letter_on, next_cycle_start=d.next_cycle_start)
        uow.commit()
    return Change(Touched.REPORT, partial(update_report, report_id=report_id, draft=before))


def remove_report(project: OpenProject, report_id: int) -> Change[ReportRecord]:
    """Delete a report with its exceptions and distribution log (the stored file's bytes stay); see restore_report."""
    with project.uow() as uow:
        record = _record_of(uow, report_id)
        uow.reports.remove(report_id)
        uow.commit()
    return Change(Touched.REPORT, partial(restore_report, record=record), record)


def restore_report(project: OpenProject, record: ReportRecord) -> Change[int]:
    """Put a removed report back, with its id, file, exceptions and distribution log."""
    r = record.report
    with project.uow() as uow:
        sha = record.file.sha256 if record.file and uow.evidence.has_blob(record.file.sha256) else None
        report_id = uow.reports.add(r.report_type, r.period_start, r.period_end, opinion=r.opinion,
                                    issued_on=r.issued_on, auditor=r.auditor, notes=r.notes,
                                    bridge_letter_on=record.bridge_letter_on,
                                    next_cycle_start=record.next_cycle_start, blob_sha256=sha, report_id=r.id)
        for e in r.exceptions:
            uow.reports.add_exception(report_id, e.reference, e.description, e.management_response,
                                      exception_id=e.id)
        for d in r.distributions:
            uow.reports.add_distribution(report_id, d.recipient, d.organization, d.nda_reference, d.sent_on,
                                         distribution_id=d.id)
        uow.commit()
    return Change(Touched.REPORT, partial(remove_report, report_id=report_id), report_id)


def list_reports(project: OpenProject) -> list[Report]:
    """Return every recorded report, newest first."""
    with project.uow() as uow:
        return uow.reports.list()


def list_report_records(project: OpenProject) -> list[ReportRecord]:
    """Return every recorded report, newest first, with follow-up dates and file details."""
    with project.uow() as uow:
        return [_record(uow, report) for report in uow.reports.list()]


def opinion_warning(record: ReportRecord) -> str | None:
    """Return a reminder when a qualified or adverse opinion has neither an exception nor a note saying why, else None.

    Such an opinion may rest on exceptions, but also on a misstated description or a scope limitation: either
    is worth recording.
    """
    report = record.report
    if report.opinion in (Opinion.QUALIFIED, Opinion.ADVERSE) and not report.exceptions and not report.notes:
        return (f"The opinion is {report.opinion.label.lower()}, but no exception is recorded and the notes do not "
                "say what it rests on: add each exception the report lists, with management's response, or note "
                "what else the auditor qualified (the system description, or evidence they could not obtain).")
    return None


def _exception_fields(reference: str, description: str) -> tuple[str, str]:
    if not description.strip():
        raise ValidationError("exception", "describe what the auditor found")
    return reference.strip(), description.strip()


def _exception_of(uow: UnitOfWork, exception_id: int) -> tuple[int, ReportException]:
    """Return the report an exception belongs to, and the exception."""
    for report in uow.reports.list():
        for exception in report.exceptions:
            if exception.id == exception_id:
                return report.id, exception
    raise NotFoundError(f"exception {exception_id}", "does not exist")


def add_exception(project: OpenProject, report_id: int, reference: str, description: str,
                  management_response: str = "", *, exception_id: int | None = None) -> Change[int]:
    """Record an exception the auditor noted, with management's response; the change carries its id."""
    reference, description = _exception_fields(reference, description)
    with project.uow() as uow:
        exception_id = uow.reports.add_exception(report_id, reference, description, management_response.strip(),
                                                 exception_id=exception_id)
        uow.commit()
    return Change(Touched.REPORT, partial(remove_exception, exception_id=exception_id), exception_id)


def update_exception(project: OpenProject, exception_id: int, reference: str, description: str,
                     management_response: str) -> Change[None]:
    """Change an exception and management's response to it; undone by putting the old texts back."""
    reference, description = _exception_fields(reference, description)
    with project.uow() as uow:
        _report_id, before = _exception_of(uow, exception_id)
        uow.reports.update_exception(exception_id, reference, description, management_response.strip())
        uow.commit()
    return Change(Touched.REPORT, partial(update_exception, exception_id=exception_id, reference=before.reference,
                                          description=before.description,
                                          management_response=before.management_response))


def remove_exception(project: OpenProject, exception_id: int) -> Change[None]:
    """Delete an exception; undone by adding it back under its id."""
    with project.uow() as uow:
        report_id, gone = _exception_of(uow, exception_id)
        uow.reports.remove_exception(exception_id)
        uow.commit()
    return Change(Touched.REPORT, partial(add_exception, report_id=report_id, reference=gone.reference,
                                          description=gone.description,
                                          management_response=gone.management_response, exception_id=gone.id))


def add_distribution(project: OpenProject, report_id: int, recipient: str, organization: str = "",
                     nda_reference: str = "", sent_on: date | None = None, *,
                     distribution_id: int | None = None) -> Change[int]:
    """Log that the report was sent to someone (under which NDA, when); the change carries the entry's id."""
    if not recipient.strip():
        raise ValidationError("recipient", "say who received the report")
    with project.uow() as uow:
        issued = next((r.issued_on for r in uow.reports.list() if r.id == report_id), None)
        if sent_on is not None and issued is not None and sent_on < issued:
            raise ValidationError("date sent", "is before the report was issued")
        distribution_id = uow.reports.add_distribution(report_id, recipient.strip(), organization.strip(),
                                                       nda_reference.strip(), sent_on,
                                                       distribution_id=distribution_id)
        uow.commit()
    return Change(Touched.REPORT, partial(remove_distribution, distribution_id=distribution_id), distribution_id)


def restore_distribution(project: OpenProject, report_id: int, entry: Distribution) -> Change[int]:
    """Put a removed distribution entry back with its id."""
    return add_distribution(project, report_id, entry.recipient, entry.organization, entry.nda_reference,
                            entry.sent_on, distribution_id=entry.id)


def remove_distribution(project: OpenProject, distribution_id: int) -> Change[None]:
    """Delete an entry of the distribution log; undone by restore_distribution."""
    with project.uow() as uow:
        found = next(((r.id, d) for r in uow.reports.list() for d in r.distributions if d.id == distribution_id),
                     None)
        if found is None:
            raise NotFoundError(f"distribution entry {distribution_id}", "does not exist")
        uow.reports.remove_distribution(distribution_id)
        uow.commit()
    report_id, entry = found
    return Change(Touched.REPORT, partial(restore_distribution, report_id=report_id, entry=entry))


def attach_report_file(project: OpenProject, report_id: int, path: Path | str,
                       progress: Progress | None = None) -> Change[ReportFile]:
    """Store a PDF as the report's file, in the evidence blob storage (streamed, de-duplicated).

    Undone by pointing the report at the file it had before (the stored bytes stay, as evidence bytes do).
    """
    path = Path(path)
    try:
        size = _check_readable(path)
        tracker = _Progress(progress, 2 * size)
        with project.uow() as uow:
            before = uow.reports.follow_up(report_id)[2]  # the report must exist
            sha256, head = _hash_file(path, tracker)
            media_type = sniff_media_type(head, path.name)
            if media_type != PDF:
                raise ValidationError(str(path), "is not a PDF; attach the report as the auditor's PDF")
            if uow.evidence.has_blob(sha256):
                tracker.advance(size)
            else:
                try:
                    uow.evidence.store_blob(sha256, media_type, _read_chunks(path, tracker))
                except ValueError:
                    raise WorkbenchError(str(path), "the file changed while it was being added; try again") from None
                uow.flush()
            uow.reports.set_file(report_id, sha256)
            uow.commit()
            stored_size, stored_type = uow.reports.file_info(sha256)
    except OSError as exc:
        raise WorkbenchError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    undo = partial(set_report_file, report_id=report_id, sha256=before)
    return Change(Touched.REPORT, undo, ReportFile(sha256, stored_size, stored_type))


def set_report_file(project: OpenProject, report_id: int, sha256: str | None) -> Change[None]:
    """Point a report at a file already stored in the project (None: no file); undone by pointing it back."""
    with project.uow() as uow:
        before = uow.reports.follow_up(report_id)[2]
        if sha256 is not None and not uow.evidence.has_blob(sha256):
            raise NotFoundError(f"report file {sha256[:12]}", "is no longer stored in the project")
        uow.reports.set_file(report_id, sha256)
        uow.commit()
    return Change(Touched.REPORT, partial(set_report_file, report_id=report_id, sha256=before))


def read_report_file(project: OpenProject, report_id: int) -> Iterator[bytes]:
    """Yield the stored bytes of a report's file, chunk by chunk."""
    with project.uow() as uow:
        sha = uow.reports.follow_up(report_id)[2]
        if sha is None:
            raise NotFoundError(f"report {report_id}", "has no file attached")
        yield from uow.evidence.read(sha)


def save_report_file_copy(project: OpenProject, report_id: int, destination: Path | str) -> Path:
    """Write a copy of a report's stored file to destination; return the path written."""
    destination = Path(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        with partial.open("wb") as handle:
            for chunk in read_report_file(project, report_id):
                handle.write(chunk)
        partial.replace(destination)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WorkbenchError(str(destination), f"cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return destination

