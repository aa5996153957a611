"""The system description on DC1-DC9: its sections' texts, the CSOCs and CUECs with their criteria, and the
description as the documents print it, with what the project's records fill in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.domain.catalog import Catalog
from workbench.domain.description import (
    DC_HEADINGS,
    DESCRIPTION_KEYS,
    LEGACY_KEYS,
    DcHeading,
    DcPart,
    DcSection,
    DcTable,
    SystemDescription,
    unwritten,
)
from workbench.domain.documents import control_character, isolated
from workbench.domain.entities import Control, Csoc, Cuec, Subservice
from workbench.domain.enums import AssessmentStatus, Category, SubserviceMethod
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.period import Period, project_period
from workbench.services import scope
from workbench.services.changes import Change
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

MAX_SECTION_BYTES = 4 * 1024 * 1024
METHOD_NAMES = {SubserviceMethod.CARVE_OUT: "Carve-out", SubserviceMethod.INCLUSIVE: "Inclusive"}

# -- the texts -----------------------------------------------------------------------------------------------


def read_section(project: OpenProject, key: str) -> str:
    """Return the stored text of one DC section or DC3 part ("dc1" ... "dc9", "dc3.data")."""
    if key not in DESCRIPTION_KEYS:
        raise ValidationError("system description", f"unknown section: {key}")
    with project.uow() as uow:
        return uow.description.get_all()[key]


def save_section(project: OpenProject, key: str, text: str) -> Change[None]:
    """Set the text of one DC section or DC3 part; undone by putting the old text back. A text holding a control
    character is refused (it would print raw to a terminal and cannot go into a DOCX or xlsx)."""
    if fault := control_character(text):
        raise ValidationError(f"system description {key}", fault)
    return scope.set_description(project, {key: text})


def section_key(name: str) -> str:
    """Return the storage key a user names a section by: "dc1", "DC3 software", "dc3.data", or a key used before
    DC1-DC9 ("services"); refuse any other name, listing the ones there are."""
    words = name.strip().lower().replace("-", " ").replace("_", " ").replace(".", " ").split()
    if len(words) > 1 and words[0] == "dc" and words[1].isdigit():  # "DC 3 software"
        words = [f"dc{words[1]}", *words[2:]]
    key = ".".join(words)
    key = LEGACY_KEYS.get(key, key)
    if key not in DESCRIPTION_KEYS:
        raise ValidationError(f"system description section {name!r}",
                              f"there is no such section; use one of {', '.join(DESCRIPTION_KEYS)}")
    return key


def read_section_file(path: Path) -> str:
    """Return a section's text from a UTF-8 text file, lines ending in \\n; refuse a missing, binary, huge or non-UTF-8
    file naming it."""
    try:
        if path.stat().st_size > MAX_SECTION_BYTES:
            raise ValidationError(str(path), f"is larger than {MAX_SECTION_BYTES // (1024 * 1024)} MB; a section of "
                                             "the description is text of a few pages")
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in data:
        raise ValidationError(str(path), "is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(str(path), f"is not UTF-8 text (byte {exc.start} cannot be read)") from None
    if fault := control_character(text):
        raise ValidationError(str(path), fault)
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as the editor on the scope page saves it


def _outline_part(key: str, title: str, hint: str, text: str) -> dict[str, Any]:
    return {"key": key, "title": title, "hint": hint, "text": text, "written": bool(text.strip())}


def description_outline(project: OpenProject) -> dict[str, Any]:
    """Return the description as `description show --json` prints it: each DC section and DC3 part with its text,
    what it should cover, whether it is written, and the tables the program fills (their titles and row counts)."""
    described = get_system_description(project)
    sections = []
    for heading, section in zip(DC_HEADINGS, described.sections, strict=True):
        parts = [_outline_part(key, title, hint, part.text)
                 for (key, title, hint), part in zip(heading.parts, section.parts, strict=True)]
        filled = [{"title": t.title, "rows": len(t.rows)} for t in section.tables]
        written = (all(p["written"] for p in parts) if parts
                   else bool(section.text.strip()) or any(t["rows"] for t in filled))
        sections.append({"key": heading.key, "code": heading.code, "title": heading.title, "hint": heading.hint,
                         "checklist": list(heading.checklist), "text": section.text, "written": written,
                         "parts": parts, "filled": filled})
    with project.uow() as uow:
        subservices, cuecs = uow.subservices.list(), uow.cuecs.list()
    return {"organization": described.organization, "system": described.system_name,
            "unwritten": unwritten(described), "sections": sections,
            "subservices": [subservice_outline(s) for s in subservices], "cuecs": numbered(cuecs)}


def numbered(controls: Sequence[Csoc | Cuec]) -> list[dict[str, Any]]:
    """Return complementary controls as JSON: their number in the list (the one commands take), text, criteria."""
    return [{"number": n, "text": c.text, "criteria": list(c.criteria)} for n, c in enumerate(controls, 1)]


def subservice_outline(subservice: Subservice) -> dict[str, Any]:
    """Return a subservice organisation as JSON with its numbered complementary controls."""
    return {"name": subservice.name, "service": subservice.service, "method": subservice.method.value,
            "csocs": numbered(subservice.csocs)}


def subservice_named(project: OpenProject, name: str) -> Subservice:
    """Return the subservice organisation with this name (any case); refuse an unknown one, naming those there are."""
    with project.uow() as uow:
        subservices = uow.subservices.list()
    for subservice in subservices:
        if subservice.name.strip().casefold() == name.strip().casefold():
            return subservice
    raise NotFoundError(f"subservice organisation {name!r}", "is not in the project; it has "
                        + (", ".join(s.name for s in subservices) or "none"))


# -- complementary subservice organisation controls (CSOCs) -------------------------------------------------


def _subservice(project: OpenProject, subservice_id: int, text: str = "") -> Subservice:
    with project.uow() as uow:
        subservice = uow.subservices.get(subservice_id)
    if fault := control_character(text):
        raise ValidationError(f"complementary control of {subservice.name}", fault)
    return subservice


def add_csoc(project: OpenProject, subservice_id: int, text: str, criteria: Sequence[str] = ()) -> Change[Subservice]:
    """Add a CSOC at the end of a subservice organisation's list (the change carries the organisation as stored)."""
    subservice = _subservice(project, subservice_id, text)
    csocs = (*subservice.csocs, Csoc(0, text, tuple(criteria)))
    return scope.update_subservice(project, replace(subservice, csocs=csocs))


def update_csoc(project: OpenProject, subservice_id: int, csoc: Csoc) -> Change[Subservice]:
    """Replace the text and criteria of the CSOC with csoc.id; undone by putting the old ones back."""
    subservice = _subservice(project, subservice_id, csoc.text)
    if csoc.id not in {c.id for c in subservice.csocs}:
        raise NotFoundError(f"complementary control {csoc.id} of {subservice.name}", "does not exist")
    csocs = tuple(csoc if c.id == csoc.id else c for c in subservice.csocs)
    return scope.update_subservice(project, replace(subservice, csocs=csocs))


def remove_csoc(project: OpenProject, subservice_id: int, csoc_id: int) -> Change[Subservice]:
    """Remove one CSOC; undone by putting it back with its id, text and criteria."""
    subservice = _subservice(project, subservice_id)
    if csoc_id not in {c.id for c in subservice.csocs}:
        raise NotFoundError(f"complementary control {csoc_id} of {subservice.name}", "does not exist")
    return scope.update_subservice(project, replace(subservice, csocs=tuple(
        c for c in subservice.csocs if c.id != csoc_id)))


def set_cuec_criteria(project: OpenProject, cuec_id: int, criteria: Sequence[str]) -> Change[Cuec]:
    """Map a complementary user entity control to these criteria; undone by putting the old mapping back."""
    with project.uow() as uow:
        cuec = uow.cuecs.get(cuec_id)
    return scope.update_cuec(project, replace(cuec, criteria=tuple(criteria)))


# -- the description as the documents print it ---------------------------------------------------------------


def _criteria_cell(criteria: Sequence[str]) -> str:
    return ", ".join(criteria) or "Not mapped yet"


def _in_period(period: Period | None, day: object) -> bool:
    return period is None or day is None or period.holds(day)  # type: ignore[arg-type]


def _operating(control: Control, period: Period | None) -> bool:
    """A control counts unless it was retired before the period began or starts after it ended."""
    if period is None:
        return True
    retired_before = control.retired_on is not None and control.retired_on < period.start
    starts_after = control.implemented_since is not None and control.implemented_since > period.end
    return not (retired_before or starts_after)


def _dc3_tables(uow: UnitOfWork) -> tuple[DcTable, ...]:
    rows = tuple((c.kind.label, c.name, c.description, "yes" if c.in_scope else "no")
                 for c in uow.components.list())
    return (DcTable("System components", ("Kind", "Component", "Description", "In scope"), rows),)


def _dc4_tables(uow: UnitOfWork, period: Period | None) -> tuple[DcTable, ...]:
    rows = tuple(
        (i.ref, i.title, i.detected_on.isoformat() if i.detected_on else "",
         i.severity.label if i.severity else "", i.resolved_on.isoformat() if i.resolved_on else "not yet",
         "yes" if i.customers_notified else "no")
        for i in uow.incidents.list() if i.significant and _in_period(period, i.detected_on))
    return (DcTable("Significant incidents in the incident register",
                    ("Reference", "Incident", "Detected", "Severity", "Resolved", "Customers told"), rows),)


def _dc5_tables(catalog: Catalog, in_scope: Sequence[Category], controls: Sequence[Control],
                not_applicable: set[str]) -> tuple[DcTable, ...]:
    rows = []
    for criterion in catalog.in_scope(in_scope):
        if criterion.id in not_applicable:
            mapped = "Not applicable (see DC8)"
        else:
            mapped = "\n".join(f"{c.ref} {c.title}" for c in controls if criterion.id in c.criteria)
        rows.append((criterion.id, criterion.summary, mapped or "No control mapped yet"))
    return (DcTable("Controls for each criterion in scope", ("Criterion", "What it asks", "Controls"), tuple(rows)),)


def _dc6_tables(uow: UnitOfWork) -> tuple[DcTable, ...]:
    rows = tuple((str(n), c.text, _criteria_cell(c.criteria)) for n, c in enumerate(uow.cuecs.list(), start=1))
    return (DcTable("Complementary user entity controls", ("#", "Control", "Criteria"), rows),)


def _dc7_tables(uow: UnitOfWork) -> tuple[DcTable, ...]:
    subservices = uow.subservices.list()
    tables = [DcTable("Subservice organisations", ("Organisation", "Service", "Method", "SOC report"), tuple(
        (s.name, s.service, METHOD_NAMES[s.method], s.soc_report) for s in subservices))]
    for s in subservices:
        rows = tuple((str(n), c.text, _criteria_cell(c.criteria)) for n, c in enumerate(s.csocs, start=1))
        tables.append(DcTable(f"{isolated(s.name)} ({METHOD_NAMES[s.method].lower()}): complementary controls",
                              ("#", "Control", "Criteria"), rows))
    return tuple(tables)


def _dc8_tables(catalog: Catalog, in_scope: Sequence[Category], notes: dict[str, str]) -> tuple[DcTable, ...]:
    rows = tuple((c.id, c.summary, notes[c.id].strip() or "No reason recorded yet")
                 for c in catalog.in_scope(in_scope) if c.id in notes)
    left_out = tuple((c.label, "Not in the scope of this report") for c in Category if c not in in_scope)
    return (DcTable("Criteria assessed not applicable", ("Criterion", "What it asks", "Reason"), rows),
            DcTable("Categories not covered", ("Category", "Why"), left_out))


def _dc9_tables(controls: Sequence[Control], period: Period | None) -> tuple[DcTable, ...]:
    rows: list[tuple[str, str]] = []
    if period is not None:
        for c in controls:
            if c.implemented_since is not None and period.start < c.implemented_since <= period.end:
                rows.append((c.implemented_since.isoformat(), f"Control {c.ref} {c.title} began operating"))
            if c.retired_on is not None and period.start <= c.retired_on <= period.end:
                rows.append((c.retired_on.isoformat(), f"Control {c.ref} {c.title} was retired"))
    return (DcTable("Changes to controls during the period", ("Date", "Change"), tuple(sorted(rows))),)


def _section(heading: DcHeading, texts: dict[str, str], tables: tuple[DcTable, ...] = ()) -> DcSection:
    parts = tuple(DcPart(title, texts.get(key, ""), key) for key, title, _ in heading.parts)
    return DcSection(heading.code, heading.title, texts.get(heading.key, ""), parts, tables, heading.checklist,
                     heading.key)


def system_description(uow: UnitOfWork) -> SystemDescription:
    """Return the description on DC1-DC9: the user's texts with what the project's records fill in."""
    settings, texts = uow.settings.get(), uow.description.get_all()
    catalog, period = uow.criteria.catalog(), project_period(settings)
    controls = [c for c in uow.controls.list() if _operating(c, period)]
    notes = {a.criterion_id: a.note for a in uow.assessments.all().values()
             if a.status is AssessmentStatus.NOT_APPLICABLE}
    categories = settings.categories
    filled: dict[str, tuple[DcTable, ...]] = {
        "dc3": _dc3_tables(uow),
        "dc4": _dc4_tables(uow, period),
        "dc5": _dc5_tables(catalog, categories, controls, set(notes)),
        "dc6": _dc6_tables(uow),
        "dc7": _dc7_tables(uow),
        "dc8": _dc8_tables(catalog, categories, notes),
        "dc9": _dc9_tables(uow.controls.list(), period),
    }
    sections = tuple(_section(h, texts, filled.get(h.key, ())) for h in DC_HEADINGS)
    return SystemDescription(settings.organization, settings.system_name, settings.report_type.value,
                             settings.period_start, settings.period_end, tuple(c.label for c in categories), sections)


def get_system_description(project: OpenProject) -> SystemDescription:
    """Return the project's system description (see system_description)."""
    with project.uow() as uow:
        return system_description(uow)


def mapped_outside_scope(project: OpenProject) -> list[str]:
    """Name the complementary controls mapped to criteria of categories the report does not cover, one line each."""
    with project.uow() as uow:
        settings, catalog = uow.settings.get(), uow.criteria.catalog()
        cuecs, subservices = uow.cuecs.list(), uow.subservices.list()
    covered = {c.id for c in catalog.in_scope(settings.categories)}
    named = [(f"user entity control {n}", c.criteria) for n, c in enumerate(cuecs, 1)]
    named += [(f"complementary control {n} of {s.name}", c.criteria) for s in subservices
              for n, c in enumerate(s.csocs, 1)]
    return [f"{what} is mapped to {', '.join(outside)}, outside the categories of this report"
            for what, criteria in named if (outside := [c for c in criteria if c not in covered])]


def description_unwritten(uow: UnitOfWork) -> list[str]:
    """Name the DC sections (and DC3 parts) with nothing in them yet, e.g. ['DC4 Significant system incidents']."""
    return unwritten(system_description(uow))
