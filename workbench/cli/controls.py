"""`workbench controls | assess`: the control library and the readiness assessment of each criterion."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, on_project, print_json
from workbench.domain.enums import AssessmentStatus


def cmd_controls(args: argparse.Namespace) -> int:
    """List a project's controls with the criteria each is mapped to."""
    from workbench.services.controls import list_controls

    controls = on_project(args, list_controls)
    if args.json:
        print_json([
            {"ref": c.ref, "title": c.title, "owner": c.owner,
             "frequency": c.frequency.value if c.frequency else None, "status": c.status.value,
             "criteria": list(c.criteria), "nature": c.nature.value if c.nature else None,
             "description": c.description,
             "implemented_since": c.implemented_since.isoformat() if c.implemented_since else None,
             "retired_on": c.retired_on.isoformat() if c.retired_on else None}
            for c in controls
        ])
        return 0
    for c in controls:
        print(f"{c.ref:<10} {c.status.label:<12} {c.title}  [{', '.join(c.criteria) or 'unmapped'}]")
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    """Record the assessment of one criterion."""
    from workbench.services.assessment import assess

    result = on_project(args, assess, args.criterion, AssessmentStatus(args.status), args.note or "").value
    print(f"{result.criterion_id}: {result.status.label}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `controls` and `assess`."""
    commands.command("controls", cmd_controls, "list a project's controls", project=True, json=True)

    assess = commands.command("assess", cmd_assess, "record the assessment of one criterion", project=True)
    assess.add_argument("criterion", help="criterion id, e.g. CC6.1")
    assess.add_argument("--status", required=True, choices=[s.value for s in AssessmentStatus])
    assess.add_argument("--note", help="note or, for not_applicable, the justification")
