"""`workbench templates [apply]`: the control template library and its sets, and applying them to a project."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.cli.common import Commands, Parser, open_location, print_json
from workbench.domain.location import parse_location

if TYPE_CHECKING:  # the services load when a command runs, not when its arguments are parsed
    from workbench.domain.control_templates import ControlTemplate
    from workbench.services.templates import TemplateApplication


def template_document(template: ControlTemplate) -> dict[str, Any]:
    """Return one template as `templates --json` lists it."""
    return {
        "key": template.key, "ref": template.suggested_ref, "title": template.title,
        "description": template.description, "frequency": template.frequency.value,
        "nature": template.nature.value, "control_type": template.control_type.value,
        "owner_role": template.owner_role, "criteria": list(template.criteria), "evidence": list(template.evidence),
        "population": template.population or None, "sets": list(template.sets),
    }


def application_document(result: TemplateApplication) -> dict[str, Any]:
    """Return what `templates apply --json` prints."""
    return {
        "created": [{"ref": c.ref, "title": c.title, "owner": c.owner, "criteria": list(c.criteria)}
                    for c in result.created],
        "present": [{"template": key, "ref": ref} for key, ref in result.present],
        "out_of_scope": list(result.out_of_scope),
        "left_out": [{"ref": ref, "criteria": list(criteria)} for ref, criteria in result.left_out],
        "uncovered": list(result.uncovered),
    }


def cmd_templates(args: argparse.Namespace) -> int:
    """List the template library (and its sets, in text)."""
    from workbench.services.templates import bundled_library

    library = bundled_library()
    if args.json:
        print_json([template_document(t) for t in library.templates])
        return 0
    for t in library.templates:
        print(f"{t.key:<30} {t.suggested_ref:<9} {t.frequency.label:<14} {t.title}  [{', '.join(t.criteria)}]")
    print()
    for s in library.sets:
        print(f"set {s.key}: {len(s.keys)} templates - {s.title}")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    """Apply template sets or single templates to a project."""
    from workbench.services.templates import apply_templates

    with open_location(args.project) as project:
        result = apply_templates(project, args.names, args.owner or "").value
    if args.json:
        print_json(application_document(result))
        return 0
    for control in result.created:
        print(f"{control.ref:<10} {control.title}  [{', '.join(control.criteria)}]")
    print(result.summary())
    return 0


def add_commands(commands: Commands) -> None:
    """Add `templates` and `templates apply`."""
    templates = commands.command("templates", cmd_templates, "list the control template library and its sets")
    templates.add_argument("--json", action="store_true")
    actions = Commands(templates.add_subparsers(dest="templates_command", metavar="ACTION", parser_class=Parser))
    apply = actions.action("apply", cmd_apply, "add controls from template sets or templates (again: nothing new)")
    apply.add_argument("project", type=parse_location)
    apply.add_argument("names", nargs="+", metavar="SET|KEY",
                       help="a set (first-year-saas, processing-integrity, privacy) or a template key")
    apply.add_argument("--owner", help="owner of the new controls (default: each template's suggested role)")
    apply.add_argument("--json", action="store_true")
