"""`workbench export`: what the auditor receives - the PDF package, the workbook, the binder, the request list, and
the documents management writes (system description, management assertion, bridge letter)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli.common import Commands, UserError, criteria_list, id_list, iso_date, on_project, print_json
from workbench.domain.location import parse_location

EXPORT_NAMES = {"pdf": "the PDF evidence package", "xlsx": "the workbook for the CPA firm",
                "zip": "the verifiable binder", "requests": "the auditor's request list",
                "description": "the system description", "assertion": "management's assertion",
                "bridge-letter": "the bridge letter", "policies": "the policies"}
DOCUMENTS = ("description", "assertion", "bridge-letter")


def _refuse_options(args: argparse.Namespace, options: object) -> None:
    """Refuse options the chosen export does not take, before the project is opened."""
    from workbench.services.exports.snapshot import ExportOptions

    if args.kind in DOCUMENTS and (options != ExportOptions() or args.include_readiness):
        raise UserError(f"export {args.kind}", "a management document is always drafted from the whole project; "
                                               "drop the narrowing options and --include-readiness")
    if args.kind not in DOCUMENTS and args.date is not None:
        raise UserError(f"export {args.kind}", f"--date dates a document ({', '.join(DOCUMENTS)}); drop it")


def cmd_export(args: argparse.Namespace) -> int:
    """Write one export of a project (narrowed to some controls, criteria or dates, when asked)."""
    from workbench.services.exports.run import check_suffix, run_export
    from workbench.services.exports.snapshot import ExportOptions

    options = ExportOptions(args.controls, args.criteria, args.collected_from, args.collected_to,
                            args.include_readiness)
    if args.kind == "requests" and args.include_readiness:
        raise UserError("export requests", "the request list holds no readiness self-assessment; drop "
                                           "--include-readiness")
    if args.kind == "requests" and options != ExportOptions():
        raise UserError("export requests", "the request list is always exported whole; drop the narrowing options")
    _refuse_options(args, options)
    if args.kind == "policies" or args.policy is not None:
        return _export_policies(args, options)
    check_suffix(args.kind, args.out)
    outcome = on_project(args, run_export, args.kind, args.out, options, today=args.date)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json({"kind": args.kind, "path": str(outcome.path), "size": outcome.path.stat().st_size,
                    "sha256": _sha256(outcome.path), "notices": outcome.notices, "warnings": outcome.warnings})
        return 0
    print(f"exported {EXPORT_NAMES[args.kind]} to {outcome.path}")
    for notice in outcome.notices:
        print(f"  note: {notice}")
    return 0


def _export_policies(args: argparse.Namespace, options: object) -> int:
    """Write one policy (--policy KEY) or the whole set as OUT.docx or OUT.pdf."""
    from workbench.services.exports.documents import document_format
    from workbench.services.exports.policy_document import write_policies
    from workbench.services.exports.snapshot import ExportOptions

    if args.kind != "policies":
        raise UserError(f"export {args.kind}", "--policy chooses the policy of `export policies`; drop it")
    if options != ExportOptions() or args.include_readiness:
        raise UserError("export policies", "the policies are exported as they stand; drop the narrowing options and "
                                           "--include-readiness")
    document_format(args.out)
    path, warnings = on_project(args, write_policies, args.out, args.policy)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json({"kind": args.kind, "path": str(path), "size": path.stat().st_size, "sha256": _sha256(path),
                    "notices": [], "warnings": list(warnings)})
    else:
        print(f"exported {EXPORT_NAMES[args.kind]} to {path}")
    return 0


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def add_commands(commands: Commands) -> None:
    """Add `export`."""
    export = commands.command("export", cmd_export, "write what the auditor receives: PDF package, xlsx workbook, "
                                                    "zip binder, the request list in the auditor's own columns, or a "
                                                    "management document (description, assertion, bridge-letter: "
                                                    "OUT.docx or OUT.pdf)")
    export.add_argument("kind", choices=tuple(EXPORT_NAMES))
    export.add_argument("project", type=parse_location)
    export.add_argument("out", type=Path, metavar="OUT", help="file to write (replaced only once complete)")
    export.add_argument("--controls", type=id_list, metavar="REFS", help="only these controls (comma-separated)")
    export.add_argument("--criteria", type=criteria_list, metavar="IDS",
                        help="only controls mapped to these criteria (comma-separated, e.g. CC6.1,CC6.2)")
    export.add_argument("--from", dest="collected_from", type=iso_date, metavar="YYYY-MM-DD",
                        help="only evidence reflecting days on or after this day (its period covered, else the day "
                             "it was received)")
    export.add_argument("--to", dest="collected_to", type=iso_date, metavar="YYYY-MM-DD",
                        help="only evidence reflecting days on or before this day")
    export.add_argument("--include-readiness", action="store_true",
                        help="add management's own readiness self-assessment (met/gap judgements, the criteria "
                             "coverage and open-gaps sheets); left out of what the auditor receives unless asked")
    export.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help="the date a document (description, assertion, bridge-letter) is dated; the bridge "
                             "letter covers the time up to it (default: today)")
    export.add_argument("--policy", metavar="KEY", help="export policies: only this policy (default: the whole set)")
    export.add_argument("--json", action="store_true")
