"""`policies add|edit|publish|show|list|ack|import|behind`: policies from the templates, drafts published as frozen
versions, the version in force on a day, and who has acknowledged what."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli.common import (
    Commands,
    UserError,
    criteria_list,
    existing_file,
    iso_date,
    on_project,
    open_location,
    print_json,
)
from workbench.cli.terminal_text import terminal_safe


def _version(key: str, title: str, version: Any, next_review: date | None) -> dict[str, Any]:
    return {"key": key, "title": title, "version": version.number, "sha256": version.sha256,
            "approver": version.approver, "approved_on": version.approved_on.isoformat(),
            "effective_on": version.effective_on.isoformat(), "published_at": version.published_at,
            "next_review": next_review.isoformat() if next_review else None, "body": version.body}


def cmd_add(args: argparse.Namespace) -> int:
    """Start policies from templates (drafts to adapt, then publish)."""
    from workbench.services.policies import add_policies, all_template_keys

    if bool(args.templates) == bool(args.all):
        raise UserError("policies add", "name templates or give --all, not both" if args.all else
                        "name at least one template, or give --all")
    added = on_project(args, add_policies, all_template_keys() if args.all else args.templates).value
    if args.json:
        print_json({"added": list(added.added), "skipped": [{"template": k, "why": why} for k, why in added.skipped]})
        return 0
    print(f"{len(added.added)} polic{'y' if len(added.added) == 1 else 'ies'} added as drafts: "
          f"{', '.join(added.added) or 'none'}")
    for key, why in added.skipped:
        print(f"  skipped {key}: {why}")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """Change a policy's draft text (from a file) or its metadata; a published policy gets a new draft."""
    from workbench.services.policies import edit_draft
    from workbench.services.policy_files import read_policy_file

    body = read_policy_file(args.text).body if args.text is not None else None
    with open_location(args.project) as project:
        policy = edit_draft(project, args.key, body=body, title=args.title, owner=args.owner,
                            review_months=args.review_months,
                            criteria=sorted(args.criteria) if args.criteria is not None else None).value
    print(f"policy {policy.key}: draft saved ({len(policy.draft_body or '')} characters); "
          f"{len(policy.versions)} published version{'s' * (len(policy.versions) != 1)} unchanged")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Freeze a policy's draft as its next version, approved and in force from a date."""
    from workbench.domain.policies import placeholders_left
    from workbench.services.policies import publish

    version = on_project(args, publish, args.key, args.approver, args.effective, args.approved).value
    print(f"policy {args.key}: version {version.number} published, approved by {version.approver} on "
          f"{version.approved_on.isoformat()}, effective {version.effective_on.isoformat()}; "
          f"SHA-256 {version.sha256}")
    left = placeholders_left(version.body)
    if left:  # published all the same: the version is the approver's; the next draft fills them in
        print(f"warning: policy {args.key} : version {version.number} still holds the template's placeholders "
              f"{', '.join('{{' + name + '}}' for name in left)}; write them in a new draft and publish it",
              file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the version of a policy in force on a day (default today): number, hash, approval, dates, text."""
    from workbench.domain.policies import review_due
    from workbench.services.policies import get_policy, policy_on

    with open_location(args.project) as project:
        on = args.on or project.now().date()
        version = policy_on(project, args.key, on)
        policy = get_policy(project, args.key)
    shown = _version(policy.key, policy.title, version, review_due(policy, on))
    if args.json:
        print_json({**shown, "on": on.isoformat()})
        return 0
    print(terminal_safe(f"{policy.title} ({policy.key}), version {version.number}, in force on {on.isoformat()}"))
    print(terminal_safe(f"approved by {version.approver} on {shown['approved_on']}; "
                        f"effective {shown['effective_on']}; next review {shown['next_review']}"))
    print(f"SHA-256 {version.sha256}")
    print()
    body = terminal_safe(version.body)
    print(body, end="" if body.endswith("\n") else "\n")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the policies with the version in force today, its approval and next review."""
    from workbench.services.importers.kinds import POLICIES
    from workbench.services.policies import policy_register
    from workbench.services.registers import list_register

    with open_location(args.project) as project:
        rows = list_register(project, POLICIES)
        drafts = {p.key: p.draft_body is not None for p in policy_register(project).policies}
    rows = [{**row, "draft": drafts.get(row["key"], False)} for row in rows]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        state = (f"version {row['version']}, effective {row['effective_on']}, next review {row['next_review']}"
                 if row["version"] else "not in force")
        print(f"{row['key']}: {row['title']} ({state}{'; draft pending' if row['draft'] else ''})")
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    """Record that a person acknowledged a policy (the version in force on the day, unless --version)."""
    from workbench.services.policies import record_acknowledgement

    ack = on_project(args, record_acknowledgement, args.key, args.person, args.date, args.version).value
    print(f"{ack.person} acknowledged {ack.policy_key} version {ack.version} on {ack.acknowledged_on.isoformat()}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Start a policy from a Markdown, Word or PDF file (a PDF is kept as evidence)."""
    from workbench.services.policies import import_policy

    existing_file(args.file)
    policy = on_project(args, import_policy, args.file, args.key, args.control).value
    print(f"policy {policy.key} ({policy.title}) started as a draft, {policy.source}")
    return 0


def cmd_behind(args: argparse.Namespace) -> int:
    """List the people employed on a day who have not acknowledged the version in force of each policy."""
    from workbench.services.policies import who_is_behind

    behind = on_project(args, who_is_behind, args.on)
    if args.json:
        print_json([{"person": b.person, "name": b.name, "policy": b.policy_key, "version": b.version}
                    for b in behind])
        return 0
    for b in behind:
        print(f"{b.name} ({b.person}): {b.policy_key} version {b.version}")
    if not behind:
        print("nobody is behind")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `policies add|edit|publish|show|list|ack|import|behind`."""
    group = commands.group("policies", "policies: drafts, published versions, acknowledgements")
    add = group.action("add", cmd_add, "start policies from templates (see `templates --json` for their keys)",
                       project=True, json=True)
    add.add_argument("templates", nargs="*", metavar="TEMPLATE")
    add.add_argument("--all", action="store_true", help="every template of the project's categories")
    edit = group.action("edit", cmd_edit, "change a policy's draft text or metadata", project=True)
    edit.add_argument("key", metavar="KEY")
    edit.add_argument("--text", type=Path, metavar="FILE", help="the new draft text (.md, .docx or .pdf)")
    edit.add_argument("--title")
    edit.add_argument("--owner")
    edit.add_argument("--review-months", type=int, metavar="N")
    edit.add_argument("--criteria", type=criteria_list, metavar="IDS")
    publish = group.action("publish", cmd_publish, "freeze the draft as the next version", project=True)
    publish.add_argument("key", metavar="KEY")
    publish.add_argument("--approver", required=True, metavar="NAME")
    publish.add_argument("--effective", type=iso_date, metavar="DATE", help="in force from (default today)")
    publish.add_argument("--approved", type=iso_date, metavar="DATE",
                         help="approval date, on or before --effective (default today, or --effective when that "
                              "is in the past)")
    show = group.action("show", cmd_show, "print the version in force on a day", project=True, json=True)
    show.add_argument("key", metavar="KEY")
    show.add_argument("--on", type=iso_date, metavar="DATE", help="default today")
    group.action("list", cmd_list, "list the policies and their versions in force", project=True, json=True)
    ack = group.action("ack", cmd_ack, "record a person's acknowledgement of a policy", project=True)
    ack.add_argument("key", metavar="KEY")
    ack.add_argument("--person", required=True, metavar="NAME", help="employee ID, email or name")
    ack.add_argument("--date", type=iso_date, metavar="DATE", help="the day signed (default today)")
    ack.add_argument("--version", type=int, metavar="N", help="default: the version in force on that day")
    importing = group.action("import", cmd_import, "start a policy from a .md, .docx or .pdf file", project=True)
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--key", metavar="KEY", help="default: made from the document's title")
    importing.add_argument("--control", metavar="REF", help="the control a PDF is evidence of")
    behind = group.action("behind", cmd_behind, "who has not acknowledged the versions in force", project=True,
                          json=True)
    behind.add_argument("--on", type=iso_date, metavar="DATE", help="default today")
