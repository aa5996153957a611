"""What the registers do beyond import, list and export: `risks sign|new|assessments`, `vendors attach`,
`incidents population|describe`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, UserError, existing_file, iso_date, on_project, open_location, print_json
from workbench.domain.location import parse_location


def _assessment(assessment: Any) -> dict[str, Any]:
    return {"id": assessment.id, "started_on": assessment.started_on.isoformat() if assessment.started_on else None,
            "signed_on": assessment.signed_on.isoformat() if assessment.signed_on else None,
            "signed_by": assessment.signed_by or None, "control": assessment.control_ref,
            "evidence": assessment.evidence_id, "risks": assessment.risk_count}


def cmd_risks_sign(args: argparse.Namespace) -> int:
    """Sign the risk assessment in use: it becomes read-only and its PDF is filed as evidence."""
    from workbench.services.risks import sign_assessment

    signed = on_project(args, sign_assessment, args.by, args.date, args.control).value
    if args.json:
        print_json(_assessment(signed))
        return 0
    print(f"risk assessment {signed.words()}: {signed.risk_count} risks, now read-only")
    print(f"its PDF is evidence #{signed.evidence_id} of control {signed.control_ref}" if signed.control_ref else
          "no control was named or found for it (use --control REF): no PDF was filed as evidence")
    return 0


def cmd_risks_new(args: argparse.Namespace) -> int:
    """Start the next risk assessment as a copy of the signed one."""
    from workbench.services.risks import risk_register, start_assessment

    with open_location(args.project) as project:
        start_assessment(project, args.date)
        register = risk_register(project)
    assert register.assessment is not None
    if args.json:
        print_json(_assessment(register.assessment))
        return 0
    print(f"started risk assessment {register.assessment.id} ({register.assessment.words()}) with "
          f"{len(register.risks)} risks")
    return 0


def cmd_risks_assessments(args: argparse.Namespace) -> int:
    """List the risk assessments, oldest first; the last is the register in use."""
    from workbench.services.risks import risk_register

    register = on_project(args, risk_register)
    rows = [_assessment(a) for a in register.assessments]
    if args.json:
        print_json(rows)
        return 0
    for assessment in register.assessments:
        print(f"{assessment.id:>3}  {assessment.words():<40} {assessment.risk_count} risks")
    print(f"{len(rows)} risk assessments")
    return 0


def cmd_vendors_attach(args: argparse.Namespace) -> int:
    """Keep a vendor report's file as evidence of the control its review serves."""
    from workbench.services.vendors import attach_report_file, vendor_register

    existing_file(args.file)
    with open_location(args.project) as project:
        report = next((r for r in vendor_register(project).reports if r.ref == args.report), None)
        if report is None:
            raise UserError(f"vendor report {args.report}", "is not in the register")
        attached = attach_report_file(project, report.id, args.file).value
    print(f"{args.file.name} is evidence #{attached.evidence_id} of control {attached.control_ref}")
    return 0


def cmd_incidents_population(args: argparse.Namespace) -> int:
    """Make the period's incidents the population of an event-driven control."""
    from workbench.services.incidents import use_as_population
    from workbench.services.populations import get_population

    with open_location(args.project) as project:
        ref = use_as_population(project, args.control).value.control_ref
        population = get_population(project, ref)
    assert population is not None
    print(f"population of {ref}: {population.row_count} incidents from the incident register; "
          f"SHA-256 {population.info.sha256}")
    return 0


def cmd_incidents_describe(args: argparse.Namespace) -> int:
    """Print (or write) the system description's incidents section (DC4) drafted from the register."""
    from workbench.services.incidents import incidents_section, offer_to_description

    with open_location(args.project) as project:
        text = incidents_section(project)
        if args.write:
            offer_to_description(project, text)
    print(text)
    return 0


def add_commands(commands: Commands) -> None:
    """Add `risks sign|new|assessments`, `vendors attach` and `incidents population|describe`."""
    risks = commands.group("risks", "sign the risk assessment, start the next one, list them")
    sign = risks.action("sign", cmd_risks_sign, "sign the risk assessment in use (it becomes read-only)", project=True,
                        json=True)
    sign.add_argument("--by", required=True, metavar="NAME", help="who signs it for management")
    sign.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day it was signed (default: today)")
    sign.add_argument("--control", metavar="REF", help="the risk-assessment control its PDF evidences "
                                                       "(default: the one meeting CC3.2 named for risk assessment)")
    new = risks.action("new", cmd_risks_new, "start the next risk assessment as a copy of the signed one",
                       project=True, json=True)
    new.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day it starts (default: today)")
    risks.action("assessments", cmd_risks_assessments, "list the risk assessments", project=True, json=True)

    vendors = commands.group("vendors", "keep a vendor report's file as evidence")
    attach = vendors.action("attach", cmd_vendors_attach, "keep a vendor report's file as evidence of its control",
                            project=True)
    attach.add_argument("report", metavar="REPORT", help="the vendor report's ID")
    attach.add_argument("file", type=Path, metavar="FILE")

    incidents = commands.group("incidents", "the incident register as a population, and the DC4 section")
    population = incidents.action("population", cmd_incidents_population,
                                  "make the period's incidents the population of a control")
    population.add_argument("project", type=parse_location)
    population.add_argument("--control", required=True, metavar="REF")
    describe = incidents.action("describe", cmd_incidents_describe,
                                "draft the description's incidents section (DC4) from the significant incidents")
    describe.add_argument("project", type=parse_location)
    describe.add_argument("--write", action="store_true", help="also write it into the system description")
