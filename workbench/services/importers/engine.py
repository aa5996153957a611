"""The one import engine: for any kind of register, choose the columns, plan, apply (as previewed) and undo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.services.changes import Change
from workbench.services.importers.kinds import CONTROLS, REQUESTS
from workbench.services.importers.mapping import (
    apply_overrides,
    decode_mapping,
    encode_mapping,
    guess_mapping,
    layout_signature,
)
from workbench.services.importers.plan import Plan, plan_table
from workbench.services.importers.sources import read_table
from workbench.services.importers.spec import (
    CREATE,
    UPDATE,
    ImportCancelled,
    ImportOptions,
    Progress,
    RegisterSpec,
)
from workbench.services.importers.stream import WRITE_BATCH, stream_plan
from workbench.services.importers.stream_preview import preview_streamed, previews_streamed
from workbench.services.importers.table import Table, table_samples
from workbench.services.importers.table_stream import reread_rows, stream_table, streams
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


@dataclass(frozen=True, slots=True)
class Applied:
    """An import as written: its plan and result, and what undoing it puts back besides the records."""

    plan: Plan
    document: dict[str, Any]
    layout_before: dict[str, str] | None
    kept: Any  # what the kind's records adapter remembered (see Records.remember)


def choose_mapping(uow: UnitOfWork, spec: RegisterSpec, table: Table, overrides: Sequence[tuple[str, str]],
                   source: str) -> dict[str, int]:
    """Return the column mapping: remembered for this kind and header layout, else guessed; then the overrides."""
    remembered = decode_mapping(spec, uow.layouts.get(spec.kind, layout_signature(table.headers)), table.headers)
    mapping = remembered if remembered is not None else guess_mapping(spec, table.headers, table_samples(table))
    return apply_overrides(spec, mapping, table.headers, overrides, source)


def _write(uow: UnitOfWork, plan: Plan, progress: Progress | None) -> Applied:
    """Write a plan's records, remember its layout, and return what undoing it needs (the caller commits)."""
    records, spec = plan.spec.records, plan.spec
    work = [r for r in plan.rows if r.action in (CREATE, UPDATE)]
    base = len(plan.rows)
    for start in range(0, len(work), WRITE_BATCH):
        batch = work[start:start + WRITE_BATCH]
        records.write(uow, [r.record for r in batch if r.action == CREATE],
                      [(r.previous, r.record) for r in batch if r.action == UPDATE])
        if progress is not None and not progress(base + start + len(batch), base + len(work)):
            raise ImportCancelled(plan.source, "the import was cancelled; nothing was changed")
    signature = layout_signature(plan.headers)
    before = uow.layouts.get(spec.kind, signature)
    uow.layouts.put(spec.kind, signature, encode_mapping(plan.mapping, plan.headers))
    kept = records.remember(uow, plan)
    document = plan.document(dry_run=False)
    if spec.summary is not None:
        document.update(spec.summary(uow, plan, kept))
    return Applied(plan, document, before, kept)


def _refusal(uow: UnitOfWork, plan: Plan) -> str | None:
    """Return why the import itself would refuse a previewed plan, or None: its writes are tried and rolled back,
    so that a dry run refuses in exactly the cases the import would (a kind refusing the whole file on a row's
    fault, say). Only a refusal naming the file counts: a project open read-only refuses every write, not the file."""
    try:
        _write(uow, plan, None)
    except WorkbenchError as exc:
        return exc.why if exc.what == plan.source else None
    finally:
        uow.rollback()
    return None


def _difference(previewed: Plan, fresh: Plan) -> str:
    """Return how a plan made now differs from the one previewed, in a few words."""
    then = {r.row: r for r in previewed.rows}
    changed = [r for r in fresh.rows if r.row not in then or (then[r.row].action, then[r.row].key, then[r.row].record)
               != (r.action, r.key, r.record)]
    if not changed:
        return f"{len(previewed.rows)} rows were previewed, {len(fresh.rows)} are planned now"
    first = changed[0]
    was = then.get(first.row)
    what = f"row {first.row} ({first.key or 'no ID'}) would now be {first.action}" + (
        f", not {was.action}" if was is not None and was.action != first.action else " with other values")
    return what + (f", and {len(changed) - 1} more rows differ" if len(changed) > 1 else "")


def apply_plan(project: OpenProject, plan: Plan, progress: Progress | None = None) -> Change[Applied]:
    """Write a plan the user previewed, in one transaction; refuse when the project changed since the preview.

    The plan is made again inside the transaction; when it no longer matches the preview nothing is written.
    Undone by revert_import, whose undo applies the plan again (so a redo is refused the same way).
    """
    with project.uow() as uow:
        fresh = plan_table(uow, plan.spec, plan.table, plan.mapping, plan.source, plan.options, progress)
        if fresh.outline() != plan.outline():
            raise WorkbenchError(plan.source, f"the project changed since the import was previewed "
                                              f"({_difference(plan, fresh)}); nothing was imported: preview it again")
        applied = _write(uow, fresh, progress)
        uow.commit()
    return Change(plan.spec.touches, partial(revert_import, applied=applied), applied)


def revert_import(project: OpenProject, applied: Applied) -> Change[None]:
    """Undo an applied import in one transaction: its records, its remembered layout, what the kind kept."""
    plan, spec = applied.plan, applied.plan.spec
    created = [r.key for r in plan.rows if r.action == CREATE]
    restored = [r.previous for r in plan.rows if r.action == UPDATE]
    with project.uow() as uow:
        spec.records.revert(uow, plan.source, created, restored)
        signature = layout_signature(plan.headers)
        if applied.layout_before is None:
            uow.layouts.forget(spec.kind, signature)
        else:
            uow.layouts.put(spec.kind, signature, applied.layout_before)
        spec.records.forget(uow, applied.kept)
        uow.commit()
    return Change(spec.touches, partial(apply_plan, plan=applied.plan))


def checked_options(spec: RegisterSpec, source: str, day_first: bool | None = None, generate_ids: bool = False,
                    details: Sequence[tuple[str, str]] = ()) -> ImportOptions:
    """Return the import's options, refusing details the kind does not ask for and missing required ones."""
    asked = {d.name: d for d in spec.details}
    for name, _ in details:
        if name not in asked:
            raise WorkbenchError(source, f"{spec.kind} take no {name!r}" + (
                f"; they take {', '.join(asked)}" if asked else ""))
    given = {name for name, _ in details}
    missing = [d.name for d in spec.details if d.required and d.name not in given]
    if missing:
        raise WorkbenchError(source, f"an import of {spec.kind} needs {', '.join(missing)}")
    return ImportOptions(day_first, generate_ids, tuple(details))


def import_register(project: OpenProject, spec: RegisterSpec, source: Path | str, *, sheet: str | None = None,
                    header_row: int | None = None, overrides: Sequence[tuple[str, str]] = (),
                    dry_run: bool = False, day_first: bool | None = None, generate_ids: bool = False,
                    details: Sequence[tuple[str, str]] = (), progress: Progress | None = None,
                    table: Table | Callable[[], Table] | None = None) -> dict[str, Any]:
    """Import a register of this kind in one transaction (or only preview it); return the result document.

    `table` is the file's table when the caller has already read it, or what waits for it while it is being read
    (background.TableReader.table): the unit of work is set up meanwhile. A kind whose records can be written as
    they are planned is imported streamed (stream.py): read, planned and written window by window, still in one
    transaction; a dry run plans the whole table, or window by window when the kind can (stream_preview.py).
    """
    source = Path(source)
    options = checked_options(spec, str(source), day_first, generate_ids, details)
    streamed = streams(spec) and not dry_run
    dry_streamed = dry_run and streams(spec) and previews_streamed(spec)
    if table is None:
        table = stream_table(source, spec, sheet, header_row) if streamed or dry_streamed else \
            read_table(source, spec, sheet, header_row)
    found: Table | None = None  # released at the end (its reading child ended), however the import ends
    try:
        with project.uow(core_first=True) as uow:  # the ORM loads only if the kind's work needs it
            table = found = table if isinstance(table, Table) else table()  # the file read meanwhile
            mapping = choose_mapping(uow, spec, table, overrides, str(source))
            if streamed:
                document = _stream(uow, spec, table, mapping, str(source), options, progress)
                uow.commit()
            elif dry_streamed:
                document = preview_streamed(uow, spec, table, mapping, str(source), options, progress,
                                            lambda numbers: reread_rows(source, spec, table, numbers))
            else:
                table = table.complete()
                plan = plan_table(uow, spec, table, mapping, str(source), options, progress)
                if dry_run:
                    document = plan.document(dry_run=True)
                    if spec.summary is not None:
                        document.update(spec.summary(uow, plan, None))
                    if (refusal := _refusal(uow, plan)) is not None:
                        document["refused"] = refusal
                else:
                    document = _write(uow, plan, progress).document
                    uow.commit()
    finally:
        if found is not None:
            found.release()
    if progress is not None:
        progress(1, 1)
    return document


def _stream(uow: UnitOfWork, spec: RegisterSpec, table: Table, mapping: dict[str, int], source: str,
            options: ImportOptions, progress: Progress | None) -> dict[str, Any]:
    """Plan and write a streamed table window by window; remember its layout; return the result document."""
    plan, writer = stream_plan(uow, spec, table, mapping, source, options, progress,
                               lambda numbers: reread_rows(source, spec, table, numbers))
    signature = layout_signature(plan.headers)
    uow.layouts.put(spec.kind, signature, encode_mapping(plan.mapping, plan.headers))
    kept = writer.records.remember(uow, plan)
    document = writer.document(plan)
    if spec.summary is not None:
        document.update(spec.summary(uow, plan, kept))
    return document


def import_controls(project: OpenProject, source: Path | str, **options: Any) -> dict[str, Any]:
    """Import a control register (see import_register)."""
    return import_register(project, CONTROLS, source, **options)


def import_requests(project: OpenProject, source: Path | str, **options: Any) -> dict[str, Any]:
    """Import an auditor's request list (see import_register)."""
    return import_register(project, REQUESTS, source, **options)
