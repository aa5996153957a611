"""`workbench register kinds|import|list|export`, and `import-controls` / `import-requests`, their aliases."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, UserError, existing_file, open_location, print_json, row_number
from workbench.domain.location import parse_location

PROBLEMS_SHOWN = 200  # problems printed as text; --json lists every one


def _mapping_override(text: str) -> tuple[str, str]:
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not in the form HEADER=FIELD")
    return header.strip(), field.strip()


def _spec(name: str) -> Any:
    from workbench.services.importers.kinds import spec_named

    return spec_named(name)


def cmd_register_kinds(args: argparse.Namespace) -> int:
    """List the kinds of register and their fields."""
    from workbench.services.importers.kinds import SPECS

    kinds = [{"kind": s.kind, "singular": s.singular, "key": s.key, "label": s.label,
              "fields": [{"name": f.name, "type": f.type.value, "label": f.label, "required": f.required}
                         for f in s.fields]} for s in SPECS]
    if args.json:
        print_json(kinds)
        return 0
    for kind in kinds:
        print(f"{kind['kind']} (key {kind['key']}): " + ", ".join(f"{f['name']} ({f['type']})" for f in kind["fields"]))
    return 0


def cmd_register_import(args: argparse.Namespace) -> int:
    """Import a register of a kind from a spreadsheet, CSV or JSON file (or show what would change)."""
    source = existing_file(Path(args.source))
    from workbench.services.importers.readers import start_reading

    start_reading(source)  # a workbook's reading child opens and parses it while the kinds and the storage load
    spec = _spec(args.kind)
    if spec.reader is not None and (args.header_row is not None or args.sheet is not None):
        option = "--header-row" if args.header_row is not None else "--sheet"
        raise UserError(option, "does not apply to security-tool reports: their format and columns are found by "
                                "content; leave it out")
    if args.day_first is not None and not spec.date_fields:
        raise UserError(f"--{'day' if args.day_first else 'month'}-first", f"{spec.kind} have no dates to read")
    # A kind's import-level details (a population's source, say) come as --NAME options once a kind asks for them.
    details = tuple((name.removeprefix("detail_"), value) for name, value in sorted(vars(args).items())
                    if name.startswith("detail_") and value is not None)
    from workbench.services.importers.background import TableReader
    from workbench.services.importers.table_stream import streams

    # A streamed import makes next to no reference cycles (see stream.collector_paused): the storage layer loads and
    # the rows are planned without the collector walking every object made so far, again and again.
    paused = streams(spec) and not args.dry_run and gc.isenabled()
    if paused:
        gc.disable()
    try:
        reader = TableReader(source, spec, args.sheet, args.header_row)  # reads while the storage layer loads
        from workbench.services.importers.engine import import_register

        with open_location(args.project) as project:
            result = import_register(project, spec, source, overrides=args.map or (), dry_run=args.dry_run,
                                     day_first=args.day_first, generate_ids=args.generate_ids, details=details,
                                     table=reader.table)  # waited for once the project's unit of work is set up
    finally:
        if paused:
            if getattr(args, "process_ends", False):  # see cli/front.py: what the import made is left to the system
                gc.freeze()  # (else the first collection after enable() walks it all, storage layer included)
            gc.enable()
    if args.json:
        print_json(result)
        return 2 if result.get("refused") else 0
    verb = "would import" if args.dry_run else "imported"
    where = "the document" if result["sheet"] is None else \
        f"sheet {result['sheet']!r} (header on row {result['header_row']})"
    print(f"{verb} {result['rows']} {spec.singular} rows from {where}")
    print("columns: " + ", ".join(f"{name}={header!r}" for name, header in result["columns"].items()))
    links = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in result.items()
                      if name.endswith("_links") and (count or "criteria" in spec.names))
    print(f"{result['created']} created, {result['updated']} updated, {result['unchanged']} unchanged, "
          f"{result['merged']} merged, {result['skipped']} skipped" + (f"; {links}" if links else ""))
    if "population" in result:
        _print_population(result)
    if "tool" in result:  # a tool's report (findings)
        _print_run(result)
    if "behind" in result:  # signatures of policies: who is still behind
        print(result["message"])
    problems = result["problems"]
    for problem in problems[:PROBLEMS_SHOWN]:
        where = f"row {problem['row']} " if problem["row"] else ""  # row 0: the whole file
        print(f"  {where}{problem['level']}: {problem['message']}")
    if len(problems) > PROBLEMS_SHOWN:
        print(f"  ... and {len(problems) - PROBLEMS_SHOWN:,} more problems (--json lists every one)")
    if result.get("refused"):  # a dry run of a file the import would refuse: a script can check a file first
        print(f"error: {source} : {_would_refuse(result)}", file=sys.stderr)
        return 2
    return 0


def _would_refuse(result: dict[str, Any]) -> str:
    """Return why a dry run's file would be refused: how many rows have errors, and the import's own reason."""
    rows = len({p["row"] for p in result["problems"] if p["level"] == "error"})
    count = (f"{rows:,} rows have errors: " if rows != 1 else "1 row has an error: ") if rows else ""
    why = result["refused"].removesuffix("; nothing was imported").replace("; nothing was imported", "")
    return f"would refuse the file: {count}{why}; nothing was changed"


def _print_run(result: dict[str, Any]) -> None:
    if result.get("already_run") is not None:
        print(f"this report was already imported as run #{result['already_run']}: nothing was written")
    run = f"run #{result['run']}" if result["run"] is not None else "the run"
    scope = f" of {result['scope']}" if result["scope"] else ""
    tool = f"{result['tool']} {result['tool_version']}".strip()
    print(f"{run}: {tool} ({result['format']}){scope}, data of "
          f"{result['reflects_at'][:10]}: {result['passed']:,} passed, {result['failed']:,} failed, "
          f"{result['manual']:,} manual, {result['muted']:,} muted; criteria "
          f"{', '.join(result['criteria']) or 'none'}" + (
              f"; {'would be ' if result['dry_run'] else ''}filed as evidence of {result['control']}"
              if result["control"] else ""))


_FLAGGED_SHOWN = 20


def _print_population(result: dict[str, Any]) -> None:
    before = result["previous_rows"]
    change = "its first population" if before is None else \
        f"replacing {before:,} rows ({result['row_change']:+,})"
    print(f"population of {result['control']}: {result['population']:,} rows, {change}; "
          f"{result['out_of_period']:,} dated outside the audit period; SHA-256 {result['sha256']}")
    _print_flagged(result.get("flagged") or [])


def _print_flagged(flagged: list[dict[str, Any]]) -> None:
    from workbench.domain.pull_requests import CHECK_TEXT

    if not flagged:
        return
    print(f"flagged: {len(flagged):,} pull request{'s' if len(flagged) != 1 else ''}")
    for entry in flagged[:_FLAGGED_SHOWN]:
        print(f"  #{entry['key']} " + ", ".join(CHECK_TEXT.get(check, check) for check in entry["checks"]))
    if len(flagged) > _FLAGGED_SHOWN:
        print(f"  and {len(flagged) - _FLAGGED_SHOWN:,} more (--json lists them all)")


def _shown(value: object) -> str:
    if value is None:
        return ""
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def cmd_register_list(args: argparse.Namespace) -> int:
    """List the records of a kind."""
    spec = _spec(args.kind)
    from workbench.services.registers import list_register

    with open_location(args.project) as project:
        rows = list_register(project, spec)
    if args.json:
        print_json(rows)
        return 0
    shown = [name for name in ("control", spec.key, spec.label, *spec.preview) if name]
    shown = list(dict.fromkeys(name for name in shown if not rows or name in rows[0]))
    for row in rows:
        print("  ".join(f"{_shown(row[name]):<14}" for name in shown).rstrip())
    print(f"{len(rows)} {spec.kind}")
    return 0


def cmd_register_export(args: argparse.Namespace) -> int:
    """Write the records of a kind to .xlsx or .csv."""
    spec = _spec(args.kind)
    if args.out.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(str(args.out), f"a register is exported as .xlsx or .csv, not "
                                       f"{args.out.suffix or 'a file without an extension'}")
    from workbench.services.registers import export_register

    with open_location(args.project) as project:
        written = export_register(project, spec, args.out)
    print(f"wrote {written}")
    return 0


def add_import_arguments(parser: argparse.ArgumentParser, *, dates: bool = True) -> None:
    """Add the options every register import takes (SOURCE, --sheet, --map ...)."""
    parser.add_argument("source", type=Path, metavar="SOURCE", help="xlsx, xlsm, xlsb, xls, ods, csv or json file")
    parser.add_argument("--sheet", metavar="NAME", help="sheet to read (default: the likeliest one of the kind)")
    parser.add_argument("--header-row", type=row_number, metavar="N", help="1-based row holding the headers")
    parser.add_argument("--map", action="append", type=_mapping_override, metavar="HEADER=FIELD",
                        help="map a column to one of the kind's fields (none to ignore it); repeatable")
    parser.add_argument("--generate-ids", action="store_true",
                        help="give rows without an ID one made from their title (the same on every import)")
    if dates:
        order = parser.add_mutually_exclusive_group()
        order.add_argument("--day-first", dest="day_first", action="store_const", const=True,
                           help="read dates like 03/04/2026 as 3 April (otherwise such dates are reported, "
                                "not guessed)")
        order.add_argument("--month-first", dest="day_first", action="store_const", const=False,
                           help="read dates like 03/04/2026 as 4 March")
    else:
        parser.set_defaults(day_first=None)
    parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    parser.add_argument("--json", action="store_true")


def add_detail_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one --NAME option per import-level detail some kind asks for (a population's --control, --source ...)."""
    from workbench.domain.import_details import DETAILS

    for detail in DETAILS:
        parser.add_argument(f"--{detail.name.replace('_', '-')}", dest=f"detail_{detail.name}", metavar=detail.metavar,
                            help=detail.help)


class KindsHelpFormatter(argparse.HelpFormatter):
    """Help that names every kind of register for KIND, read from the kinds registry only when help is shown
    (parsing stays free of the services)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.dest != "kind":
            return super()._get_help_string(action)
        from workbench.services.importers.kinds import KINDS

        names = [kind for kind, *_rest in KINDS]
        return f"{', '.join(names[:-1])} or {names[-1]} (singular accepted)"


def add_commands(commands: Commands) -> None:
    """Add `register kinds|import|list|export` and the import-controls / import-requests aliases."""
    for kind, help_text in (("controls", "import controls from a spreadsheet, CSV or JSON file"),
                            ("requests", "import the auditor's request list (PBC) from a spreadsheet, CSV or JSON "
                                         "file")):
        alias = commands.command(f"import-{kind}", cmd_register_import, help_text)
        alias.set_defaults(kind=kind, quick_exit=True)  # see cli/front.py
        alias.add_argument("project", type=parse_location)
        add_import_arguments(alias)

    actions = commands.group("register", "import, list or export a register of any kind")
    kinds = actions.action("kinds", cmd_register_kinds, "list the kinds of register and their fields")
    kinds.add_argument("--json", action="store_true")
    importing = actions.action("import", cmd_register_import, "import a register of a kind from a file")
    importing.set_defaults(quick_exit=True)
    importing.add_argument("project", type=parse_location)
    importing.formatter_class = KindsHelpFormatter
    importing.add_argument("kind", metavar="KIND", help="the kind of register (singular accepted)")
    add_import_arguments(importing)
    add_detail_arguments(importing)
    listing = actions.action("list", cmd_register_list, "list the records of a kind")
    listing.add_argument("project", type=parse_location)
    listing.add_argument("kind", metavar="KIND")
    listing.add_argument("--json", action="store_true")
    export = actions.action("export", cmd_register_export,
                            "write the records of a kind to .xlsx or .csv, one column a field")
    export.add_argument("project", type=parse_location)
    export.add_argument("kind", metavar="KIND")
    export.add_argument("out", type=Path, metavar="OUT")
    from workbench.cli import register_actions  # the registers' own commands: risks, vendors, incidents

    register_actions.add_commands(commands)
    from workbench.cli import people  # the roster's own commands

    people.add_commands(commands)
    from workbench.cli import access_reviews  # access review campaigns

    access_reviews.add_commands(commands)
    from workbench.cli import policies  # policies, their versions and acknowledgements

    policies.add_commands(commands)
    from workbench.cli import findings  # security tools' runs and findings

    findings.add_commands(commands)
