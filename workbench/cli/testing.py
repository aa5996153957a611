"""`workbench sample | sample result | population evidence`: Type II samples, their results, and populations' IPE."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import Commands, UserError, open_location, print_json
from workbench.domain.location import parse_location

if TYPE_CHECKING:
    from workbench.domain.testing import Sample


def _draw(args: argparse.Namespace) -> int:
    from workbench.domain.testing import SampleBasis
    from workbench.services.samples import draw_sample, import_selection, population_size, sample_document

    if args.size is not None and not (args.reason or "").strip():
        raise UserError("--size", "a size other than the table's needs --reason saying why")
    if args.from_file is not None and (args.size is not None or args.seed is not None or args.table is not None):
        raise UserError("--from-file", "the auditor's selection takes no --size, --seed or --table")
    unmatched: tuple[str, ...] = ()
    with open_location(args.project) as project:
        if args.from_file is not None:
            if not args.from_file.is_file():
                raise UserError(str(args.from_file), "the file does not exist")
            selection = import_selection(project, args.control, args.from_file).value
            sample, unmatched = selection.sample, selection.unmatched
        else:
            sample = draw_sample(project, args.control, size=args.size, reason=args.reason or "", seed=args.seed,
                                 table=args.table).value
        population = population_size(project, args.control)
    document = {**sample_document(sample, population), "unmatched": list(unmatched)}
    if args.json:
        print_json(document)
        return 0
    basis = ("tested once: an automated control, whatever its frequency" if sample.basis is SampleBasis.TESTED_ONCE
             else sample.basis.value)
    print(f"sample of {sample.control_ref}: {sample.size} of {population} "
          f"({basis}); seed {sample.seed or '-'}; {sample.method}")
    for item in sample.items:
        print(f"  {item.key}  {item.day.isoformat() if item.day else ''}")
    for key in unmatched:
        print(f"  not in the population: {key}")
    return 0


def _recorded(sample: Sample, key: str) -> dict[str, object]:
    """Return a sample item's result as read back after recording it (`sample result --json`)."""
    item = next(i for i in sample.items if i.key == key)
    return {"control": sample.control_ref, "key": item.key, "result": item.result.value if item.result else None,
            "evidence": item.evidence_id, "note": item.note, "exception": item.exception_id}


def _result(args: argparse.Namespace) -> int:
    from workbench.domain.testing import SampleResult
    from workbench.services.samples import get_sample, record_result

    if args.key is None or args.result is None:
        raise UserError("sample result", "give --key KEY and --result pass|exception")
    note = (args.note or "").strip()
    if args.result == SampleResult.EXCEPTION and not note:
        raise UserError("--note", "an exception needs the tester's note saying what was found")
    with open_location(args.project) as project:
        exception_id = record_result(project, args.control, args.key, SampleResult(args.result), args.evidence,
                                     note).value
        sample = get_sample(project, args.control)
    if args.json and sample is not None:
        print_json(_recorded(sample, args.key))
        return 0
    print(f"recorded {args.result} for {args.key} of {args.control}" + (
        f"; report exception {exception_id} awaits management's response" if exception_id is not None else ""))
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """Draw a control's sample (or import the auditor's), or with `result` record a sample item's result."""
    if args.action == "result":
        if args.target is None:
            raise UserError("sample result", "name the PROJECT: workbench sample result PROJECT --control REF ...")
        args.project = parse_location(args.target)
        return _result(args)
    if args.target is not None:
        raise UserError(str(args.target), "unexpected; use `workbench sample PROJECT --control REF`")
    args.project = parse_location(args.action)
    if args.key is not None or args.result is not None:
        raise UserError("--key/--result", "record a result with `workbench sample result PROJECT ...`")
    return _draw(args)


def cmd_population_evidence(args: argparse.Namespace) -> int:
    """Link evidence of a population's completeness and accuracy."""
    from workbench.services.populations import link_population_evidence

    with open_location(args.project) as project:
        added = link_population_evidence(project, args.control, args.evidence).value
    print(f"evidence {args.evidence} {'linked to' if added else 'was already linked to'} the population of "
          f"{args.control}")
    return 0


def cmd_population_show(args: argparse.Namespace) -> int:
    """Show a control's population: how it was produced and its row count."""
    from workbench.services.populations import get_population

    with open_location(args.project) as project:
        population = get_population(project, args.control)
    if population is None:
        raise UserError(f"control {args.control}", "has no population")
    info = population.info
    document = {"control": population.control_ref, "rows": population.row_count,
                "out_of_period": population.out_of_period, "source": info.source, "query": info.query,
                "generated_at": info.generated_at.isoformat() if info.generated_at else None,
                "generated_by": info.generated_by, "filename": info.filename, "sha256": info.sha256,
                "imported_at": population.imported_at, "evidence": list(population.evidence_ids)}
    if args.json:
        print_json(document)
    else:
        for name, value in document.items():
            print(f"{name}: {value}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `sample` (and `sample result`) and `population evidence|show`."""
    sample = commands.command(
        "sample", cmd_sample,
        "draw a control's sample (workbench sample PROJECT --control REF ...) or record a result "
        "(workbench sample result PROJECT --control REF --key KEY --result pass|exception)")
    sample.add_argument("action", metavar="PROJECT", help="the project, or `result` followed by the project")
    sample.add_argument("target", nargs="?", metavar="PROJECT", help=argparse.SUPPRESS)
    sample.add_argument("--control", required=True, metavar="REF")
    sample.add_argument("--size", type=int, metavar="N", help="the sample size instead of the table's (needs --reason)")
    sample.add_argument("--reason", metavar="TEXT", help="why the size differs from the table's")
    sample.add_argument("--seed", metavar="TEXT", help="the seed of the selection (default: a new random one)")
    sample.add_argument("--table", metavar="NAME", help="the sample table to size by (default: the program's)")
    sample.add_argument("--from-file", type=Path, metavar="FILE",
                        help="import the auditor's own selection (a spreadsheet or CSV with a key column)")
    sample.add_argument("--key", metavar="KEY", help="(result) the sample item")
    sample.add_argument("--result", choices=("pass", "exception"), help="(result) what testing the item found")
    sample.add_argument("--evidence", type=int, metavar="ID", help="(result) the evidence the item was tested on")
    sample.add_argument("--note", metavar="TEXT", help="(result) what was found; an exception needs it")
    sample.add_argument("--json", action="store_true")

    population = commands.group("population", "a control's population: its completeness-and-accuracy evidence")
    evidence = population.action("evidence", cmd_population_evidence,
                                 "link evidence of a population's completeness and accuracy (the query, its row "
                                 "count) to the control's population")
    evidence.add_argument("project", type=parse_location)
    evidence.add_argument("--control", required=True, metavar="REF")
    evidence.add_argument("--evidence", required=True, type=int, metavar="ID", help="an evidence id "
                          "(see workbench evidence list)")
    show = population.action("show", cmd_population_show, "show how a control's population was produced")
    show.add_argument("project", type=parse_location)
    show.add_argument("--control", required=True, metavar="REF")
    show.add_argument("--json", action="store_true")
