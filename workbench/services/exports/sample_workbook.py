"""The workbook of one sampled control, as the auditor receives it: population, sample, method and seed, results,
the evidence each result rests on (with its SHA-256) and a legend of the tickmarks used.

Every text goes through the formula-safe cell writer (exports/cells.py): a population exported from a ticketing
system is other people's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from workbench.domain.entities import Evidence
from workbench.domain.errors import WorkbenchError
from workbench.domain.period import Period, in_period
from workbench.domain.testing import Population, PopulationItem, Sample, SampleItem, SampleResult
from workbench.services.exports.cells import LongTexts, SheetStyles, SheetWriter, TextNotice, set_table_layout
from workbench.services.session import OpenProject

POPULATION_HEADERS = ("Key", "Date", "In period")
SAMPLE_HEADERS = ("#", "Key", "Date", "Tickmark", "Result", "Note", "Evidence ID", "Evidence file",
                  "Evidence SHA-256", "In binder", "Report exception")
EVIDENCE_HEADERS = ("Evidence ID", "Used for", "Title", "File name", "Collected", "Period start", "Period end",
                    "In period", "SHA-256", "In binder")
PASSED, EXCEPTION, UNTESTED, SELECTED = "\u2713", "X", "\u25cb", "Selected"
LEGEND = (
    (PASSED, "Tested without exception."),
    (EXCEPTION, "Exception: tested and a deviation noted; it is among the report's exceptions, with management's "
                "response."),
    (UNTESTED, "Selected, not tested yet: no result is recorded for the item."),
    (SELECTED, "Population sheet: the item is in the sample."),
    ("Evidence ID", "The evidence item's number in the project; its file name and SHA-256 are on the same row and "
                    "on the Evidence sheet, so the file can be found and checked (sha256sum)."),
    ("In binder", "Where the file lies in the zip binder, inside its one root folder; empty when the workbook was "
                  "exported on its own, or the file is not in this binder."),
    ("In period", "Yes when what the item reflects lies in the audit period, No when it lies outside it, Undated "
                  "when it carries no date."),
)


def _in_period(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no (outside the period)")


def tickmark(item: SampleItem) -> str:
    """Return the tickmark of a sample item: tested without exception, exception, or not tested yet."""
    if item.result is SampleResult.PASS:
        return PASSED
    return EXCEPTION if item.result is SampleResult.EXCEPTION else UNTESTED


def _evidence_period(period: Period | None, item: Evidence) -> str:
    if period is None:
        return "No audit period set"
    value = in_period(period, item.period_start, item.period_end, item.collected_on)
    return "Undated" if value is None else ("Yes" if value else "No")


def _values(item: PopulationItem, headers: Sequence[str]) -> list[object]:
    data = dict(item.data)
    return [data.get(header) for header in headers]


def _references(sample: Sample, population: Population | None) -> list[tuple[int, str]]:
    """Return (evidence id, what it is used for) for every evidence item the workbook refers to."""
    uses: list[tuple[int, str]] = [(i, "completeness and accuracy of the population")
                                   for i in (population.evidence_ids if population else ())]
    uses += [(item.evidence_id, f"sample item {item.key}") for item in sample.items if item.evidence_id is not None]
    return uses


def write_sample_workbook(destination: Path | str, sample: Sample, items: Sequence[PopulationItem],
                          population: Population | None = None, evidence: Mapping[int, Evidence] | None = None,
                          places: Mapping[int, str] | None = None, period: Period | None = None,
                          ) -> list[TextNotice]:
    """Write the sample workbook (.xlsx); return what had to be changed in cells (too long, control characters).

    `items` is what the sample was drawn from: the population's items, or the expected windows as items.
    `evidence` gives the referenced evidence items (for their file names and SHA-256), `places` where each lies
    in the zip binder, `period` the audit period their dates are judged against.
    """
    evidence, places = evidence or {}, places or {}
    from workbench.services.exports.cells import discard_workbook

    destination = Path(destination)
    notices: list[TextNotice] = []
    workbook = Workbook(write_only=True)
    info = population.info if population is not None else None
    method: list[Sequence[object]] = [
        ("Control", sample.control_ref), ("Drawn from", sample.basis.value), ("Population rows", len(items)),
        ("Sample size", sample.size), ("Sample table", sample.table_name), ("Size reason", sample.reason),
        ("Seed", sample.seed), ("Method", sample.method), ("Auditor's selection file", sample.from_file),
        ("Drawn at", sample.created_at), ("Population source", info.source if info else ""),
        ("Query", info.query if info else ""), ("Generated by", info.generated_by if info else ""),
        ("Generated at", info.generated_at if info else None), ("Population file", info.filename if info else ""),
        ("Population file SHA-256", info.sha256 if info else ""),
        ("Tickmarks", "explained on the Tickmark legend sheet")]
    extra = list(dict.fromkeys(header for item in items[:1000] for header, _ in item.data))
    chosen = {item.key for item in sample.items}
    population_rows = [(item.key, item.day, _in_period(item.in_period), SELECTED if item.key in chosen else None,
                        *_values(item, extra)) for item in items]
    sample_rows = []
    for number, item in enumerate(sample.items, start=1):
        used = evidence.get(item.evidence_id) if item.evidence_id is not None else None
        sample_rows.append((number, item.key, item.day, tickmark(item), item.result.value if item.result else None,
                            item.note, item.evidence_id, used.filename if used else None,
                            used.sha256 if used else None, places.get(item.evidence_id) if used else None,
                            item.exception_id))
    evidence_rows: list[Sequence[object]] = []
    for evidence_id, use in _references(sample, population):
        found = evidence.get(evidence_id)
        evidence_rows.append((evidence_id, use, "(not in this export)") if found is None else (
            evidence_id, use, found.title, found.filename, found.collected_on, found.period_start, found.period_end,
            _evidence_period(period, found), found.sha256, places.get(evidence_id)))
    sheets: list[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = [
        ("Method", ("Field", "Value"), method),
        ("Population", (*POPULATION_HEADERS, "Selected", *extra), population_rows),
        ("Sample", SAMPLE_HEADERS, sample_rows),
        ("Evidence", EVIDENCE_HEADERS, evidence_rows),
        ("Tickmark legend", ("Mark", "Meaning"), LEGEND)]
    try:
        long_texts = LongTexts(name for name, _, _ in sheets)
        styles: SheetStyles | None = None
        for name, headers, rows in sheets:
            styles = _write_sheet(workbook, name, headers, rows, notices, long_texts, styles)
        long_texts.write(workbook, styles, notices)
        workbook.save(destination)
    except BaseException:
        discard_workbook(workbook)
        raise
    return notices


def _write_sheet(workbook: Workbook, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                 notices: list[TextNotice], long_texts: LongTexts, styles: SheetStyles | None) -> SheetStyles:
    """Write one sheet with a frozen, filtered header and fitted columns; return the styles the workbook shares."""
    sheet = workbook.create_sheet(name)
    styles = styles or SheetStyles(sheet)
    set_table_layout(sheet, headers, rows)
    writer = SheetWriter(sheet, styles, notices, long_texts)
    writer.header(headers)
    for row in rows:
        writer.append(row)
    return styles


def export_sample_workbook(project: OpenProject, control_ref: str, destination: Path | str) -> list[TextNotice]:
    """Write the workbook of the control's sample (what it was drawn from, the sample, method and seed, results)."""
    from workbench.domain.period import project_period
    from workbench.services.samples import drawn_from, get_sample

    sample = get_sample(project, control_ref)
    if sample is None:
        raise WorkbenchError(f"control {control_ref}", "has no sample; draw one with `workbench sample`")
    population, items = drawn_from(project, control_ref)
    with project.uow() as uow:
        evidence = {e.id: e for e in uow.evidence.list()}
        period = project_period(uow.settings.get())
    return write_sample_workbook(destination, sample, items, population, evidence, period=period)
