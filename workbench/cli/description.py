"""`description show|set|csoc|cuec-criteria`: the system description on DC1-DC9 from the command line: its sections
and DC3's parts with what each should cover, their texts set from an argument or a file, the subservice
organisations' complementary controls (CSOCs) and the user entity controls' criteria."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, UserError, criteria_list, open_location, print_json
from workbench.cli.terminal_text import terminal_safe


def _written(text: str) -> str:
    return "written" if text.strip() else "not written"


def cmd_show(args: argparse.Namespace) -> int:
    """Print each DC section and part with its text, what it should cover and whether it is written."""
    from workbench.services.description import description_outline

    with open_location(args.project) as project:
        outline = description_outline(project)
    if args.json:
        print_json(outline)
        return 0
    for section in outline["sections"]:
        print(f"== {section['code']} {section['title']} ({'written' if section['written'] else 'not written'})")
        _print_text(section["text"], section["checklist"] if not section["written"] else ())
        for table in section["filled"]:
            print(f"   [filled by the program: {table['title']}, {table['rows']} row{'s' * (table['rows'] != 1)}]")
        for part in section["parts"]:
            print(f"-- {section['code']} {part['title']} ({_written(part['text'])})")
            _print_text(part["text"], (part["hint"],) if not part["written"] else ())
        if section["key"] == "dc6":  # numbered as `description cuec-criteria` takes them
            _print_numbered(outline["cuecs"], "   ")
        for subservice in outline["subservices"] if section["key"] == "dc7" else ():
            _print_subservice(subservice, "   ")
    return 0


def _print_text(text: str, cover: tuple[str, ...] | list[str]) -> None:
    if text.strip():
        print(terminal_safe(text.rstrip("\n")))
    for item in cover:
        print(f"   should cover: {item}")


def cmd_set(args: argparse.Namespace) -> int:
    """Set the text of one DC section or DC3 part, from --text or a UTF-8 text file."""
    from workbench.services.description import read_section_file, save_section, section_key

    key = section_key(" ".join(args.section))
    text = args.text if args.file is None else read_section_file(args.file)
    with open_location(args.project) as project:
        save_section(project, key, text)
    print(f"system description {key}: {len(text)} characters saved" if text.strip()
          else f"system description {key}: cleared")
    return 0


def cmd_csoc_add(args: argparse.Namespace) -> int:
    """Add a complementary control to a subservice organisation, mapped to criteria."""
    from workbench.services.description import add_csoc, subservice_named

    with open_location(args.project) as project:
        subservice = subservice_named(project, args.subservice)
        stored = add_csoc(project, subservice.id, args.text, sorted(args.criteria or ())).value
    csoc = stored.csocs[-1]
    print(f"{stored.name}: complementary control {len(stored.csocs)} added, criteria "
          f"{', '.join(csoc.criteria) or 'none'}")
    return 0


def cmd_csoc_list(args: argparse.Namespace) -> int:
    """List the complementary controls of one subservice organisation, or of all of them."""
    from workbench.services.description import subservice_named, subservice_outline
    from workbench.services.scope import get_scope

    with open_location(args.project) as project:
        chosen = ((subservice_named(project, args.subservice),) if args.subservice
                  else get_scope(project).subservices)
    if args.json:
        print_json([subservice_outline(s) for s in chosen])
        return 0
    for subservice in chosen:
        _print_subservice(subservice_outline(subservice), "")
    return 0


def _print_subservice(subservice: dict[str, Any], indent: str) -> None:
    count = len(subservice["csocs"])
    print(terminal_safe(f"{indent}{subservice['name']} ({subservice['method'].replace('_', '-')}): {count} "
                        f"complementary control{'s' * (count != 1)}"))
    _print_numbered(subservice["csocs"], indent + "  ")


def _print_numbered(controls: list[dict[str, Any]], indent: str) -> None:
    for control in controls:
        print(terminal_safe(f"{indent}{control['number']}. {control['text']} "
                            f"[{', '.join(control['criteria']) or 'not mapped'}]"))


def cmd_csoc_remove(args: argparse.Namespace) -> int:
    """Remove one complementary control (its number in `csoc list`) from a subservice organisation."""
    from workbench.services.description import remove_csoc, subservice_named

    with open_location(args.project) as project:
        subservice = subservice_named(project, args.subservice)
        if not 1 <= args.number <= len(subservice.csocs):
            raise UserError(f"complementary control {args.number} of {subservice.name}",
                            f"there are {len(subservice.csocs)}; see `description csoc list`")
        remove_csoc(project, subservice.id, subservice.csocs[args.number - 1].id)
    print(f"{subservice.name}: complementary control {args.number} removed")
    return 0


def cmd_cuec_criteria(args: argparse.Namespace) -> int:
    """Map a complementary user entity control (its number in DC6) to criteria."""
    from workbench.services.description import set_cuec_criteria
    from workbench.services.scope import get_scope

    with open_location(args.project) as project:
        cuecs = get_scope(project).cuecs
        if not 1 <= args.cuec <= len(cuecs):
            raise UserError(f"user entity control {args.cuec}", f"there are {len(cuecs)}; see `description show`")
        stored = set_cuec_criteria(project, cuecs[args.cuec - 1].id, sorted(args.criteria)).value
    print(f"user entity control {args.cuec}: criteria {', '.join(stored.criteria) or 'none'}")
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 1 (see the list's numbers)")
    return int(text)


def add_commands(commands: Commands) -> None:
    """Add `description show|set|csoc add|list|remove|cuec-criteria`."""
    group = commands.group("description", "the system description on DC1-DC9, CSOCs and CUECs with their criteria")
    group.action("show", cmd_show, "each DC section and part: its text, what it should cover, written or not",
                 project=True, json=True)
    setting = group.action("set", cmd_set, "set the text of a DC section or DC3 part (dc1..dc9, dc3.software)",
                           project=True)
    setting.add_argument("section", nargs="+", metavar="SECTION", help="dc1 .. dc9, dc3.infrastructure, "
                                                                        "\"DC3 software\" ...")
    source = setting.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="TEXT")
    source.add_argument("--file", type=Path, metavar="PATH", help="a UTF-8 text file")
    csoc = group.group("csoc", "complementary subservice organisation controls: add, list, remove")
    add = csoc.action("add", cmd_csoc_add, "add a complementary control to a subservice organisation", project=True)
    add.add_argument("--subservice", required=True, metavar="NAME")
    add.add_argument("--text", required=True, metavar="TEXT")
    add.add_argument("--criteria", type=criteria_list, metavar="CC6.1,CC6.2")
    listing = csoc.action("list", cmd_csoc_list, "list the complementary controls with their criteria", project=True,
                          json=True)
    listing.add_argument("--subservice", metavar="NAME")
    remove = csoc.action("remove", cmd_csoc_remove, "remove a complementary control by its number in the list",
                         project=True)
    remove.add_argument("--subservice", required=True, metavar="NAME")
    remove.add_argument("number", type=_positive, metavar="N")
    cuec = group.action("cuec-criteria", cmd_cuec_criteria, "map a user entity control (its number) to criteria",
                        project=True)
    cuec.add_argument("cuec", type=_positive, metavar="CUEC")
    cuec.add_argument("--criteria", required=True, type=criteria_list, metavar="CC6.1,CC6.2")
    from workbench.cli import description_subservice  # the subservice organisations themselves

    description_subservice.add_commands(group)
