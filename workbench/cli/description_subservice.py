"""`description subservice add|list|remove`: the subservice organisations DC7 describes (carve-out or inclusive, the
services they provide), from the command line as the scope page adds them; their CSOCs are `description csoc`."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, UserError, open_location, print_json
from workbench.cli.terminal_text import terminal_safe

_METHODS = {"carve-out": "carve_out", "carve_out": "carve_out", "inclusive": "inclusive"}


def _method(text: str) -> str:
    method = _METHODS.get(text.strip().casefold())
    if method is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not carve-out or inclusive")
    return method


def _clean(what: str, text: str) -> str:
    from workbench.domain.documents import control_character

    if fault := control_character(text):
        raise UserError(what, fault)
    return text.strip()


def cmd_subservice_add(args: argparse.Namespace) -> int:
    """Add a subservice organisation: its name, carve-out or inclusive, the services it provides."""
    from workbench.domain.enums import SubserviceMethod
    from workbench.services.scope import add_subservice, get_scope

    name = _clean("subservice organisation name", args.name)
    service = _clean(f"services of {name}", args.service or "")
    soc_report = _clean(f"SOC report of {name}", args.soc_report or "")
    with open_location(args.project) as project:
        if any(s.name.strip().casefold() == name.casefold() for s in get_scope(project).subservices):
            raise UserError(f"subservice organisation {name!r}", "is already in the project; see "
                                                                  "`description subservice list`")
        add_subservice(project, name, service, SubserviceMethod(args.method), soc_report)
    method = args.method.replace("_", "-")
    if args.json:
        print_json({"name": name, "service": service, "method": args.method, "soc_report": soc_report})
        return 0
    print(f"subservice organisation {name} added ({method})" + (f": {service}" if service else "")
          + "; add its complementary controls with `description csoc add --subservice NAME`")
    return 0


def cmd_subservice_list(args: argparse.Namespace) -> int:
    """List the subservice organisations with their method, services and number of complementary controls."""
    from workbench.services.scope import get_scope

    with open_location(args.project) as project:
        subservices = get_scope(project).subservices
    rows = [{"name": s.name, "service": s.service, "method": s.method.value, "soc_report": s.soc_report,
             "csocs": len(s.csocs)} for s in subservices]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(terminal_safe(f"{row['name']} ({row['method'].replace('_', '-')})"
                            + (f": {row['service']}" if row["service"] else "")
                            + f"; {row['csocs']} complementary control{'s' * (row['csocs'] != 1)}"))
    print(f"{len(rows)} subservice organisation{'s' * (len(rows) != 1)}")
    return 0


def cmd_subservice_remove(args: argparse.Namespace) -> int:
    """Remove a subservice organisation (by name, any case) with its complementary controls."""
    from workbench.services.description import subservice_named
    from workbench.services.scope import remove_subservice

    with open_location(args.project) as project:
        subservice = subservice_named(project, args.name)
        remove_subservice(project, subservice.id)
    count = len(subservice.csocs)
    print(terminal_safe(f"subservice organisation {subservice.name} removed"
                        + (f", with its {count} complementary control{'s' * (count != 1)}" if count else "")))
    return 0


def add_commands(group: Commands) -> None:
    """Add `description subservice add|list|remove` to the description group."""
    subservice = group.group("subservice", "subservice organisations (DC7): add, list, remove")
    add = subservice.action("add", cmd_subservice_add, "add a subservice organisation", project=True, json=True)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--method", required=True, type=_method, metavar="carve-out|inclusive",
                     help="how the description treats its controls: carved out (CSOCs) or included")
    add.add_argument("--service", metavar="TEXT", help="the services it provides (\"cloud hosting\")")
    add.add_argument("--soc-report", metavar="TEXT", help="its SOC report, as you hold it (\"SOC 2 Type II, 2025\")")
    subservice.action("list", cmd_subservice_list, "list the subservice organisations", project=True, json=True)
    remove = subservice.action("remove", cmd_subservice_remove,
                               "remove a subservice organisation with its complementary controls", project=True)
    remove.add_argument("name", metavar="NAME")
