"""A control's population (every event of the period, exported from the system of record) as a RegisterSpec.

Each row is an item: a key and a date, found like any register's columns; the row's other columns are kept as text
so the auditor sees what was exported. An import replaces the control's population as a whole (one undoable
change); the file's SHA-256, row count, source, query, and who generated it when are recorded with it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.import_details import details_of
from workbench.domain.period import Period, project_period
from workbench.domain.pull_requests import emergency_words
from workbench.domain.testing import Population, PopulationInfo, PopulationItem
from workbench.services.changes import Touched
from workbench.services.importers.kinds.pull_requests import (
    DEFAULT_SOURCE,
    PrItems,
    differing_duplicate,
    is_pr_table,
    item_checks,
    pr_items,
)
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import (
    CREATE,
    PROBLEM,
    SKIP,
    Detail,
    Field,
    FieldType,
    Loaded,
    RegisterSpec,
    wizard_texts,
)
from workbench.services.importers.values import cell_string

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

FIELDS = (
    Field("key", FieldType.TEXT, "Key", (
        "key", "id", "item id", "event id", "change id", "change", "change number", "change #", "ticket",
        "ticket id", "ticket number", "ticket #", "issue", "issue key", "issue id", "pr", "pr #", "pull request",
        "pull request id", "merge request", "mr", "commit", "employee id", "employee number", "user id",
        "username", "user name", "login", "account", "email", "incident id", "incident", "request id",
        "reference", "ref", "number", "#", "no", "record id", "case id", "person", "name",
    ), required=True, what="the item key", brief=True),
    Field("date", FieldType.DATE, "Date", (
        "date", "mergedAt", "event date", "created", "created at", "created on", "creation date", "date created",
        "opened", "opened at", "merged", "merged at", "merge date", "deployed", "deployed at", "deploy date",
        "deployment date", "closed", "closed at", "resolved", "resolved at", "start date", "hire date",
        "joined", "joining date", "termination date", "leave date", "left", "end date", "timestamp", "when",
        "occurred", "occurred at", "detected", "detected at", "approved at", "approval date", "day",
        "applied", "applied at", "applied on", "granted", "granted on", "granted at", "provisioned",
        "provisioned on", "revoked", "revoked on", "removed on", "deprovisioned on", "completed", "completed on",
        "completed at", "performed on", "executed at", "change date", "release date", "released at",
    ), suffixes=frozenset({"on", "at", "date"}), what="the item date"),
    # The control an item belongs to, as `register export PROJECT populations` writes every control's items in one
    # file: an import for --control REF keeps that control's rows (and a row that names none).
    Field("control", FieldType.TEXT, "Control", ("control", "control ref", "control reference"),
          what="the control an item belongs to", brief=True),
)


ListedItem = tuple[str, PopulationItem]  # an item as listed across the project, after its control's reference


@dataclass(frozen=True, slots=True)
class Replaced:
    """What an import of a population replaced (None when the control had none), for undo."""

    control_ref: str
    new_id: int
    previous: Population | None
    previous_items: tuple[PopulationItem, ...] = ()


def _period(uow: UnitOfWork) -> Period | None:
    return project_period(uow.settings.get())


def _details(plan: Any) -> dict[str, str]:
    return dict(plan.options.details)


def _generated_at(source: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise WorkbenchError(source, f"--generated-at {text!r} is not a date (YYYY-MM-DD)") from None


def _sha256(source: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise WorkbenchError(source, f"cannot be read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def _control_ref(uow: UnitOfWork, plan: Any) -> str:
    ref = (_details(plan).get("control") or "").strip()
    control = uow.controls.get(ref) if ref else None
    if control is None:
        raise WorkbenchError(plan.source, f"--control {ref!r} is not a control of this project" if ref else
                             "an import of populations needs --control REF")
    return control.ref


def _row_data(plan: Any) -> Callable[[Sequence[Cell]], tuple[tuple[str, str], ...]]:
    """Return what keeps a row's columns other than its key and date as (header, text)."""
    table, mapped = plan.table, {plan.mapping[name] for name in ("key", "date") if name in plan.mapping}
    others = [(index, header or f"column {index + 1}") for index, header in enumerate(table.headers)
              if index not in mapped]

    def data(row: Sequence[Cell]) -> tuple[tuple[str, str], ...]:
        width = len(row)
        return tuple((header, text) for index, header in others if index < width and (text := cell_string(row[index])))
    return data


def _pull_requests(plan: Any, period: Period | None) -> PrItems | None:
    """Return the items of a GitHub pull-request list as judged against the period, or None for another file."""
    if not is_pr_table(plan.table):
        return None
    twice = differing_duplicate(plan.table)
    if twice is not None:
        number, first, second = twice
        raise WorkbenchError(plan.source, f"pull request #{number} is listed twice with different contents (rows "
                                          f"{first} and {second}); a population keeps each change once, and "
                                          "dropping either could hide an unreviewed merge: export the list again "
                                          "(gh pr list lists each pull request once); nothing was imported")
    words = emergency_words(_details(plan).get("emergency_labels"))
    return pr_items(plan.table, plan.rows, period, words, _row_data(plan))


OTHER_CONTROL = "another control's item (its Control column names that control)"


def _of_another_control(uow: UnitOfWork, plan: Any, ref: str) -> Callable[[Sequence[Cell]], str | None] | None:
    """Return what tells a row whose Control column names another of the project's controls (why it is left out),
    or None when no row can: a value naming none of them (an owner, another framework's control) is no control of
    ours."""
    column = plan.mapping.get("control")
    if column is None:
        return None
    others = {c.ref.casefold() for c in uow.controls.list()} - {ref.casefold()}
    if not others:
        return None

    def other(cells: Sequence[Cell]) -> str | None:
        named = column < len(cells) and cell_string(cells[column]).strip().casefold() in others
        return OTHER_CONTROL if named else None
    return other


def _items(uow: UnitOfWork, plan: Any, period: Period | None, ref: str) -> list[PopulationItem]:
    """Return the control's planned items with each row's unmapped columns kept as (header, text)."""
    prs = _pull_requests(plan, period)
    if prs is not None:
        return prs.items
    table, data = plan.table, _row_data(plan)
    items = []
    for row_plan in plan.rows:
        if row_plan.action != CREATE or row_plan.record is None:
            continue
        record: PopulationItem = row_plan.record
        items.append(PopulationItem(record.key, record.day, record.in_period, data(table.rows[row_plan.row - 1])))
    return items


class PopulationRecords:
    """Population items as the engine plans them; the population is written whole when the import is kept."""

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return no existing records (an import replaces the population) and the period items are judged by."""
        return Loaded({}, _period(uow))

    def leaves_out(self, uow: UnitOfWork, plan: Any) -> Callable[[Sequence[Cell]], str | None] | None:
        """Return what tells the rows of other controls' items (an export of every population), left out before
        their keys are read: a key two controls share stays the imported control's."""
        return _of_another_control(uow, plan, _control_ref(uow, plan))

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded
              ) -> tuple[PopulationItem, list[tuple[str, str]]]:
        """Return the item a row holds, with a warning when it is dated outside the period."""
        day, period = values.get("date"), loaded.context
        inside = None if day is None or period is None else period.holds(day)
        warnings = [] if inside is not False else [
            ("date", f"{key} is dated {day.isoformat()}, outside the period {period.start.isoformat()} to "
                     f"{period.end.isoformat()}")]
        return PopulationItem(key, day, inside), warnings

    def same(self, current: Any, record: Any) -> bool:
        """Items are never compared: the population is replaced."""
        return False

    def snapshot(self, current: Any) -> Any:
        """Nothing: undo puts the whole previous population back (see forget)."""
        return None

    def values(self, record: PopulationItem | ListedItem) -> dict[str, Any]:
        """Return an item's fields; a listed one also names its control and whether it lies in the period."""
        if isinstance(record, tuple):
            control_ref, item = record
            values = {"control": control_ref, **self.values(item), "in_period": item.in_period}
            flags = item_checks(item)
            return values if flags is None else {**values, "checks": flags}
        return {"key": record.key, "date": record.day}

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Nothing per batch: the population is written whole in remember(), with its details and columns."""

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Nothing per item: forget() removes the population and puts the previous one back."""

    def listing(self, uow: UnitOfWork) -> list[ListedItem]:
        """Return the items of every population, control by control."""
        return [(population.control_ref, item) for population in uow.populations.list()
                for item in uow.populations.items(population.id)]

    def remember(self, uow: UnitOfWork, plan: Any) -> Replaced:
        """Replace the control's population with the planned items and the file's details; return what it was."""
        ref = _control_ref(uow, plan)
        details = _details(plan)
        items = _items(uow, plan, _period(uow), ref)
        if not items:
            raise WorkbenchError(plan.source, "holds no population items (no row with a key"
                                 + (", or no pull request merged within the period" if is_pr_table(plan.table)
                                    else "") + "); nothing was imported")
        _keep_tested_sample(uow, ref, plan.source, items)
        source = details.get("source", "").strip() or (DEFAULT_SOURCE if is_pr_table(plan.table) else "")
        info = PopulationInfo(source, details.get("query", "").strip(),
                              _generated_at(plan.source, details.get("generated_at")),
                              details.get("generated_by", "").strip(), Path(plan.source).name, _sha256(plan.source))
        return replace_population(uow, ref, info, items)

    def forget(self, uow: UnitOfWork, kept: Replaced) -> None:
        """Remove the imported population and put the previous one back, under its id, with its links."""
        put_back_population(uow, kept.control_ref, kept.previous, kept.previous_items)


def _keep_tested_sample(uow: UnitOfWork, ref: str, source: str, items: Sequence[PopulationItem]) -> None:
    """Refuse a population that leaves out items of the control's sample once it has results: they would be
    tested items of no population, and the auditor's workbook would show a sample the population does not hold."""
    sample = uow.samples.get(ref)
    if sample is None or not sample.has_results:
        return
    keys = {item.key.casefold() for item in items}
    missing = [item.key for item in sample.items if item.key.casefold() not in keys]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5:,} more" if len(missing) > 5 else "")
        raise WorkbenchError(source, f"leaves out {len(missing):,} sampled item{'s' if len(missing) != 1 else ''} "
                                     f"of {ref} ({shown}), whose sample already has results; import a population "
                                     "that holds them, or clear the sample's results first; nothing was imported")


def replace_population(uow: UnitOfWork, ref: str, info: PopulationInfo, items: Sequence[PopulationItem]) -> Replaced:
    """Replace the control's population with these items and details; return what it was, for undo."""
    previous = uow.populations.get(ref)
    previous_items: tuple[PopulationItem, ...] = ()
    if previous is not None:
        previous_items = tuple(uow.populations.items(previous.id))
        uow.populations.remove(previous.id)
    new_id = uow.populations.add(uow.controls.id_of(ref), info, items, uow.now().isoformat(timespec="seconds"))
    if previous is not None:
        uow.populations.restore_links(new_id, previous.evidence_ids)  # the C&A evidence stays with the control
    return Replaced(ref, new_id, previous, previous_items)


def put_back_population(uow: UnitOfWork, ref: str, previous: Population | None,
                        previous_items: Sequence[PopulationItem]) -> None:
    """Remove the control's population and put the previous one (if any) back, under its id, with its links."""
    current = uow.populations.get(ref)
    if current is not None:
        uow.populations.remove(current.id)
    if previous is not None:
        population_id = uow.populations.add(uow.controls.id_of(ref), previous.info, previous_items,
                                            previous.imported_at, population_id=previous.id)
        uow.populations.restore_links(population_id, previous.evidence_ids)


def population_summary(uow: UnitOfWork, plan: Any, kept: Replaced | None) -> dict[str, Any]:
    """Return what a population import adds to the report: the control, the file's hash, rows before and now."""
    ref = _control_ref(uow, plan)
    previous = kept.previous if kept is not None else uow.populations.get(ref)
    written = kept is not None and uow.populations.get(ref)
    kept = [r for r in plan.rows if r.action == CREATE]
    items = len(kept)
    outside = sum(1 for r in kept if r.record is not None and r.record.in_period is False)
    prs = _pull_requests(plan, _period(uow))
    others = sum(1 for r in plan.rows if r.action == SKIP and r.reason == OTHER_CONTROL)
    counts: dict[str, Any] = {"flagged": []}
    if prs is not None:  # only the pull requests merged within the period are items; the others are counted
        items, outside = len(prs.items), prs.outside
        counts = {"created": items, "skipped": plan.count(SKIP) + plan.count(PROBLEM) + prs.outside + prs.not_merged,
                  "format": "github-pull-requests", "not_merged": prs.not_merged, "flagged": prs.flagged}
    return {
        "control": ref,
        "population": items,
        "previous_rows": previous.row_count if previous is not None else None,
        "row_change": items - (previous.row_count if previous is not None else 0),
        "out_of_period": outside,
        "other_controls": others,
        "sha256": written.info.sha256 if written else _sha256(plan.source),
        **counts,
    }


POPULATIONS = RegisterSpec(
    kind="populations", singular="population", title="Import a population", fields=FIELDS, key="key",
    label="key", natural_key=("key",), id_prefix="ITEM-", missing_label="has no key",
    records=PopulationRecords(),
    sheet_hint=re.compile(r"(population|export|changes|tickets|events|joiners|leavers|hires|terminations|"
                          r"users|incidents|report|data)", re.IGNORECASE),
    sheet_weights={"key": 10, "date": 10},
    pick_order=("date", "key"),
    generic=frozenset({"id", "#", "no", "number", "ref", "key", "name", "day", "when", "left", "change",
                       "issue", "incident", "account", "person", "commit", "closed", "opened", "created"}),
    aliases={"id": "key", "day": "date"},
    preview=("date",),
    details=tuple(Detail(d.name, d.help, d.required) for d in details_of("populations")),
    touches=Touched.POPULATIONS,
    summary=population_summary,
    texts=wizard_texts("events",
                       "The list of every event of the period (changes, joiners, leavers, incidents, tickets) as "
                       "exported from the system of record: Excel, OpenDocument, CSV or JSON. It replaces the "
                       "control's population.",
                       "Choose the column that holds each event's key (its ID), and the one holding its date."),
)
