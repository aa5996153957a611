"""Samples for Type II testing: drawn reproducibly (or imported from the auditor's file), and each item's result.

A recurring control's sample is drawn from its expected windows (keyed "2026-Q2", "2026-03" ...), an event-driven
control's from its population; the size comes from a sample table (overridable with a reason), the seed is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from workbench.domain.entities import Control, ReportException
from workbench.domain.enums import Frequency, Nature, ReportType
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.domain.period import WINDOW_OF, expected_windows, project_period
from workbench.domain.sampling import METHOD, SampleTables, new_seed, parse_sample_tables, select
from workbench.domain.testing import Population, PopulationItem, Sample, SampleBasis, SampleItem, SampleResult
from workbench.paths import resources_dir
from workbench.services.changes import Change, Touched
from workbench.services.period import TESTED_ONCE, life_window, window_label
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

AUDITOR_METHOD = "the auditor's own selection, imported from their file"


def sample_tables() -> SampleTables:
    """Return the sample tables bundled with the program (resources/sampling/sample-tables.json)."""
    path = resources_dir() / "sampling" / "sample-tables.json"
    return parse_sample_tables(json.loads(path.read_text("utf-8")), str(path))


def _control(uow: UnitOfWork, ref: str) -> Control:
    control = uow.controls.get(ref.strip())
    if control is None:
        raise NotFoundError(f"control {ref}", "does not exist")
    return control


LEFT_OUT = "; items dated outside the audit period are not drawn"


def _population(uow: UnitOfWork, control: Control, *, period_only: bool = True
                ) -> tuple[SampleBasis, list[tuple[str, date | None]]]:
    """Return what the control's sample is drawn from: its population, else its expected windows.

    An automated control is tested once whatever its frequency (DESIGN.md section 6, as `calendar` has it): its one
    item comes from its population when it has one, else it is the one window over its life in the period.
    """
    automated = control.nature is Nature.AUTOMATED
    population = uow.populations.get(control.ref)
    if population is not None:
        keyed = _in_period(uow, control, population) if period_only else uow.populations.keys(population.id)
        return (SampleBasis.TESTED_ONCE if automated else SampleBasis.POPULATION), keyed
    if not automated and (control.frequency is Frequency.EVENT_DRIVEN or control.frequency is None):
        raise WorkbenchError(f"control {control.ref}", "has no population to sample; import one with `workbench "
                                                       f"register import PROJECT populations FILE --control "
                                                       f"{control.ref}`")
    period = project_period(uow.settings.get())
    if period is None:
        raise WorkbenchError(f"control {control.ref}", "the project has no audit period to lay out windows in")
    if automated:
        basis, keyed = SampleBasis.TESTED_ONCE, [(TESTED_ONCE, w.start) for w in life_window(control, period)]
    else:
        kind = WINDOW_OF[control.frequency]
        windows = expected_windows(period, control.frequency, control.implemented_since, control.retired_on)
        basis, keyed = SampleBasis.WINDOWS, [(window_label(kind, w), w.start) for w in windows]
    if not keyed:
        raise WorkbenchError(f"control {control.ref}", "expects no window in the period, so there is nothing to "
                                                       "sample")
    return basis, keyed


def _in_period(uow: UnitOfWork, control: Control, population: Population) -> list[tuple[str, date | None]]:
    """Return the population's keys with their dates, less (for a Type II) the items dated outside the audit period:
    the auditor tests the events of the period (DESIGN.md section 6), so one dated before or after it is never
    drawn."""
    keyed = uow.populations.keys(population.id)
    settings = uow.settings.get()
    period = project_period(settings)
    if period is None or settings.report_type is not ReportType.TYPE2:  # a Type I's as-of day holds no events
        return keyed
    kept = [(key, day) for key, day in keyed if day is None or period.start <= day <= period.end]
    if not kept:
        raise WorkbenchError(f"control {control.ref}", f"every item of its population is dated outside the audit "
                                                       f"period ({period.start} to {period.end}); import the "
                                                       "population of the period")
    return kept


def _size(tables: SampleTables, table: str | None, control: Control, basis: SampleBasis, count: int,
          size: int | None, reason: str) -> tuple[int, str]:
    chosen = tables.get(table)
    if size is not None:
        if size < 1:
            raise ValidationError("--size", "a sample size is a whole number of 1 or more")
        if not reason.strip():
            raise ValidationError("--size", "a size other than the table's needs --reason saying why")
        return min(size, count), chosen.name
    if basis is SampleBasis.TESTED_ONCE:
        return min(1, count), ""  # no table sizes it
    if basis is SampleBasis.POPULATION:
        return chosen.for_population(count), chosen.name
    by_frequency = chosen.for_frequency(control.frequency) if control.frequency else None
    return min(by_frequency or count, count), chosen.name


def _refuse_when_tested(uow: UnitOfWork, ref: str) -> Sample | None:
    previous = uow.samples.get(ref)
    if previous is not None and previous.has_results:
        raise WorkbenchError(f"control {ref}", "its sample already has results; a new sample would lose them "
                                               "(clear the results first)")
    return previous


def _store(project: OpenProject, uow: UnitOfWork, control: Control, sample: Sample, previous: Sample | None
           ) -> Change[Sample]:
    uow.samples.put(control.id, sample)
    uow.commit()
    return Change(Touched.SAMPLES, partial(restore_sample, control_ref=control.ref, sample=previous), sample)


def draw_sample(project: OpenProject, control_ref: str, *, size: int | None = None, reason: str = "",
                seed: str | None = None, table: str | None = None) -> Change[Sample]:
    """Draw the control's sample (replacing one without results); undone by putting the earlier one back.

    Selection: the population's keys ordered by SHA-256 of seed + key, the first `size` taken (domain.sampling).
    """
    tables = sample_tables()
    with project.uow() as uow:
        control = _control(uow, control_ref)
        previous = _refuse_when_tested(uow, control.ref)
        basis, keyed = _population(uow, control)
        dates = dict(keyed)
        count, table_name = _size(tables, table, control, basis, len(dates), size, reason)
        seed = seed if seed else new_seed()
        items = tuple(SampleItem(key, dates[key]) for key in select(list(dates), count, seed))
        population = uow.populations.get(control.ref)
        method = METHOD + (LEFT_OUT if population is not None and population.row_count > len(dates) else "")
        sample = Sample(control.ref, basis, len(items), seed, method, table_name, reason.strip(), "",
                        uow.now().isoformat(timespec="seconds"), items)
        return _store(project, uow, control, sample, previous)


@dataclass(frozen=True, slots=True)
class Selection:
    """The auditor's selection as imported: the sample, and the keys of their file that matched nothing."""

    sample: Sample
    unmatched: tuple[str, ...]


def _selection_keys(path: Path) -> list[str]:
    """Return the keys of an auditor's selection file, its key column found as any register's is."""
    from workbench.services.importers.kinds.populations import POPULATIONS
    from workbench.services.importers.mapping import guess_mapping
    from workbench.services.importers.sources import read_table
    from workbench.services.importers.table import table_samples
    from workbench.services.importers.values import cell_string

    try:
        table = read_table(path, POPULATIONS)
    except WorkbenchError as exc:
        if not exc.why.startswith("no header row found"):
            raise
        table = read_table(path, POPULATIONS, header_row=1)  # `sample` has no --header-row: the first row heads
    mapping = guess_mapping(POPULATIONS, table.headers, table_samples(table))
    if "key" not in mapping and len(table.headers) == 1:
        mapping = {"key": 0}  # one column under a header of the auditor's own ("Selected key"): it is the keys
    if "key" not in mapping:
        raise WorkbenchError(str(path), f"no column of {table.where} holds the selected items' keys (ID, key, "
                                        "ticket ...)")
    column = mapping["key"]
    keys = [cell_string(row[column]) if column < len(row) else "" for _, row in table.data()]
    return list(dict.fromkeys(k for k in keys if k))


def import_selection(project: OpenProject, control_ref: str, path: Path | str) -> Change[Selection]:
    """Make the auditor's own selection the control's sample; keys their file names but the population lacks are
    reported, the rest imported. Undone by putting the earlier sample back."""
    path = Path(path)
    keys = _selection_keys(path)
    with project.uow() as uow:
        control = _control(uow, control_ref)
        previous = _refuse_when_tested(uow, control.ref)
        basis, keyed = _population(uow, control, period_only=False)  # the auditor's choice, in period or not
        dates = dict(keyed)
        folded = {key.casefold(): key for key in reversed(list(dates))}
        matched: list[str] = []
        unmatched: list[str] = []
        for key in keys:
            found = key if key in dates else folded.get(key.casefold())
            (matched if found else unmatched).append(found or key)
        matched = list(dict.fromkeys(matched))
        if not matched:
            raise WorkbenchError(str(path), f"none of its {len(keys)} keys is in the population of {control.ref}; "
                                            "nothing was imported")
        items = tuple(SampleItem(key, dates[key]) for key in matched)
        sample = Sample(control.ref, basis, len(items), "", AUDITOR_METHOD, "", "", path.name,
                        uow.now().isoformat(timespec="seconds"), items)
        change = _store(project, uow, control, sample, previous)
    return Change(change.touched, change.inverse, Selection(sample, tuple(unmatched)))


def restore_sample(project: OpenProject, control_ref: str, sample: Sample | None) -> Change[Sample | None]:
    """Make `sample` the control's sample again (None: no sample); undone by putting back the one replaced."""
    with project.uow() as uow:
        control = _control(uow, control_ref)
        current = uow.samples.get(control.ref)
        uow.samples.remove(control.ref)
        if sample is not None:
            uow.samples.put(control.id, sample)
        uow.commit()
    return Change(Touched.SAMPLES, partial(restore_sample, control_ref=control_ref, sample=current), sample)


def get_sample(project: OpenProject, control_ref: str) -> Sample | None:
    """Return the control's sample, or None."""
    with project.uow() as uow:
        return uow.samples.get(control_ref.strip())


def list_samples(project: OpenProject) -> list[Sample]:
    """Return every sample, by control reference."""
    with project.uow() as uow:
        return uow.samples.list()


@dataclass(frozen=True, slots=True)
class ResultBefore:
    """What recording a result replaced: the item, the exception it had, and any report the result created."""

    control_ref: str
    item: SampleItem
    exception: tuple[int, ReportException] | None  # (report id, exception) as it was
    created_report: int | None
    created_exception: int | None


def _report_for_exceptions(uow: UnitOfWork) -> tuple[int, int | None]:
    """Return (the report exceptions go to, its id again when it was created now): the latest one, else a new one."""
    reports = uow.reports.list()
    if reports:
        return max(r.id for r in reports), None
    settings = uow.settings.get()
    report_id = uow.reports.add(settings.report_type, settings.period_start, settings.period_end)
    return report_id, report_id


def _exception(uow: UnitOfWork, exception_id: int | None) -> tuple[int, ReportException] | None:
    if exception_id is None:
        return None
    for report in uow.reports.list():
        for exception in report.exceptions:
            if exception.id == exception_id:
                return report.id, exception
    return None


def record_result(project: OpenProject, control_ref: str, key: str, result: SampleResult,
                  evidence_id: int | None = None, note: str = "") -> Change[int | None]:
    """Record a sample item's result; an exception becomes (or updates) one of the report's exceptions, whose
    management response is then asked for. The change's value is that exception's id (None for a pass).

    An exception needs the tester's note saying what was found (DESIGN.md section 6)."""
    note = note.strip()
    if result is SampleResult.EXCEPTION and not note:
        raise ValidationError("note", "an exception needs the tester's note saying what was found")
    with project.uow() as uow:
        control = _control(uow, control_ref)
        sample = uow.samples.get(control.ref)
        item = next((i for i in sample.items if i.key == key), None) if sample else None
        if item is None:
            raise NotFoundError(f"sample item {key}", f"is not in the sample of control {control.ref}" if sample
                                else f"control {control.ref} has no sample")
        if evidence_id is not None:
            uow.evidence.get(evidence_id)
        had = _exception(uow, item.exception_id)
        created_report = created_exception = None
        exception_id: int | None = None
        if result is SampleResult.EXCEPTION:
            reference = f"{control.ref} / {key}"
            description = f"Sample item {key} of control {control.ref} ({control.title}): {note}"
            if had is not None:
                uow.reports.update_exception(had[1].id, reference, description, had[1].management_response)
                exception_id = had[1].id
            else:
                report_id, created_report = _report_for_exceptions(uow)
                exception_id = created_exception = uow.reports.add_exception(report_id, reference, description)
        elif had is not None:
            uow.reports.remove_exception(had[1].id)
        uow.samples.set_result(control.ref, key, result, evidence_id, note, exception_id)
        uow.commit()
    before = ResultBefore(control.ref, item, had, created_report, created_exception)
    return Change(Touched.SAMPLES | Touched.REPORT, partial(undo_result, before=before), exception_id)


def undo_result(project: OpenProject, before: ResultBefore) -> Change[None]:
    """Put a sample item's result back as it was, with the exception it had; undone by recording it again."""
    with project.uow() as uow:
        current = next(i for i in uow.samples.get(before.control_ref).items if i.key == before.item.key)
        if before.created_exception is not None:
            uow.samples.set_result(before.control_ref, before.item.key, current.result, current.evidence_id,
                                   current.note, None)
            uow.reports.remove_exception(before.created_exception)
        if before.created_report is not None:
            uow.reports.remove(before.created_report)
        if before.exception is not None:
            report_id, old = before.exception
            if _exception(uow, old.id) is None:
                uow.reports.add_exception(report_id, old.reference, old.description, old.management_response,
                                          exception_id=old.id)
            else:
                uow.reports.update_exception(old.id, old.reference, old.description, old.management_response)
        item = before.item
        uow.samples.set_result(before.control_ref, item.key, item.result, item.evidence_id, item.note,
                               item.exception_id)
        uow.commit()
    redo = partial(record_result, control_ref=before.control_ref, key=before.item.key,
                   result=current.result or SampleResult.PASS, evidence_id=current.evidence_id, note=current.note)
    return Change(Touched.SAMPLES | Touched.REPORT, redo)


def sample_document(sample: Sample, population: int | None = None) -> dict[str, object]:
    """Return a sample as `workbench sample --json` prints it (DESIGN.md section 7)."""
    return {
        "control": sample.control_ref, "population": population, "basis": sample.basis.value, "size": sample.size,
        "seed": sample.seed, "method": sample.method, "table": sample.table_name, "reason": sample.reason,
        "from_file": sample.from_file or None, "created_at": sample.created_at,
        "items": [{"key": i.key, "date": i.day.isoformat() if i.day else None,
                   "result": i.result.value if i.result else None, "evidence": i.evidence_id, "note": i.note,
                   "exception": i.exception_id} for i in sample.items],
    }


def population_size(project: OpenProject, control_ref: str) -> int:
    """Return how many items the control's sample is drawn from (its population or its expected windows)."""
    with project.uow() as uow:
        return len(_population(uow, _control(uow, control_ref))[1])



def drawn_from(project: OpenProject, control_ref: str) -> tuple[Population | None, list[PopulationItem]]:
    """Return what the control's sample is drawn from: (its population, the items) or (None, its windows)."""
    with project.uow() as uow:
        control = _control(uow, control_ref)
        population = uow.populations.get(control.ref)
        if population is not None:
            return population, uow.populations.items(population.id)
        _basis, keyed = _population(uow, control)
    return None, [PopulationItem(key, day, True) for key, day in keyed]
