"""`workbench backups list|restore | passphrase | rekey`, and `new --encrypt`: keeping a project safe."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.cli.common import Commands, UserError, first_line, open_location, print_json, terminal_prompt
from workbench.domain.encryption import EncryptionChoice, KeyRequiredError
from workbench.domain.location import parse_location

NEW_PASSPHRASE_ENV = "WORKBENCH_NEW_PASSPHRASE"

# -- backups ------------------------------------------------------------------------------------------------


def cmd_backups_list(args: argparse.Namespace) -> int:
    """List a project's automatic backups, newest first."""
    from workbench.services.backups import backups_folder, list_backups

    found = list_backups(args.project)
    if args.json:
        print_json({
            "project": str(args.project.absolute()), "folder": str(backups_folder(args.project)),
            "backups": [{"number": b.number, "path": str(b.path), "taken_at": b.taken_at.isoformat(),
                         "reason": b.reason, "size": b.size, "audit_entries": b.entries, "audit_head": b.head,
                         "problem": b.problem} for b in found],
        })
        return 0
    if not found:
        print(f"no backups yet of {args.project} (one is taken each time the project is opened)")
        return 0
    print(f"backups of {args.project} in {backups_folder(args.project)}:")
    for b in found:
        taken = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        detail = f"damaged: {b.problem}" if b.problem else f"{b.entries} audit entries"
        print(f"{b.number:>3}  {taken}  {b.reason_label:<15} {b.size:>12,} bytes  {detail}")
    return 0


def cmd_backups_restore(args: argparse.Namespace) -> int:
    """Put a backup in place of the project, keeping the current file as a backup first."""
    from workbench.services.backups import list_backups, resolve_backup, restore_backup

    chosen = resolve_backup(args.project, args.backup)
    restored = restore_backup(args.project, chosen, prompt=terminal_prompt)
    kept = next((b for b in list_backups(restored) if b.reason == "before-restore"), None)
    print(f"restored {restored} from {chosen}")
    if kept is not None:
        print(f"the file it replaced is kept as backup {kept.number}: {kept.path}")
    return 0


# -- encryption at rest -------------------------------------------------------------------------------------


def read_secret_file(path: Path) -> str:
    """Return the passphrase on the first line of a file."""
    return first_line(path, "passphrase file", "the passphrase file is empty")


def ask_new_passphrase(label: str) -> str | None:
    """Ask twice on a terminal; None when not attached to one."""
    import getpass

    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(f"New passphrase for {label}: ")
    if getpass.getpass("Repeat the passphrase: ") != first:
        raise UserError(label, "the two passphrases differ; nothing was changed")
    return first


def encryption_choice(args: argparse.Namespace) -> EncryptionChoice | None:
    """Return how `new --encrypt` protects the key (None without --encrypt)."""
    if not args.encrypt:
        if args.passphrase_file or args.no_keyring:
            raise UserError("--passphrase-file/--no-keyring", "only mean something with --encrypt")
        return None
    from workbench.services.encryption import PASSPHRASE_ENV, keyring_usable

    passphrase = read_secret_file(args.passphrase_file) if args.passphrase_file else None
    passphrase = passphrase or os.environ.get(PASSPHRASE_ENV) or None
    if passphrase is None and (args.no_keyring or not keyring_usable()):
        label = args.project.name if isinstance(args.project, Path) else str(args.project)
        passphrase = ask_new_passphrase(label)
    return EncryptionChoice(use_keyring=False if args.no_keyring else None, passphrase=passphrase)


def cmd_passphrase(args: argparse.Namespace) -> int:
    """Change how an encrypted project's key is protected."""
    from workbench.services import encryption

    if args.keyring and args.no_keyring:
        raise UserError("--keyring/--no-keyring", "choose one")
    with open_location(args.project, backup_on_open=False) as project:
        new_passphrase = None
        if args.new_passphrase_file:
            new_passphrase = read_secret_file(args.new_passphrase_file)
        elif os.environ.get(NEW_PASSPHRASE_ENV):
            new_passphrase = os.environ[NEW_PASSPHRASE_ENV]
        elif not (args.keyring or args.no_keyring or args.remove_passphrase):
            new_passphrase = ask_new_passphrase(project.path.name)
            if new_passphrase is None:
                raise UserError(str(project.path), "give the new passphrase with --new-passphrase-file or "
                                                   f"{NEW_PASSPHRASE_ENV}")
        use_keyring = True if args.keyring else False if args.no_keyring else None
        result = encryption.protect(project.file, use_keyring=use_keyring, new_passphrase=new_passphrase,
                                    remove_passphrase=args.remove_passphrase)
    print(f"{project.path}: {result.describe()}")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    """Give an encrypted project a new data key and re-encrypt everything under it."""
    from workbench.services import encryption

    with open_location(args.project, backup_on_open=False) as project:
        try:
            count = encryption.rekey(project.file)
        except KeyRequiredError as exc:
            answer = os.environ.get(encryption.PASSPHRASE_ENV) or terminal_prompt(project.path, exc)
            if answer is None:
                raise
            count = encryption.rekey(project.file, passphrase=answer)
    print(f"re-keyed {project.path}: {count} stored values encrypted under a new key")
    return 0


def add_encryption_options(new: argparse.ArgumentParser) -> None:
    """Add `--encrypt` and its options to `new`."""
    new.add_argument("--encrypt", action="store_true",
                     help="encrypt evidence and sensitive text; the key goes into the OS keyring, or behind a "
                          "passphrase when there is none (recommended for consultants)")
    new.add_argument("--passphrase-file", type=Path, metavar="FILE",
                     help="with --encrypt: read a passphrase from the first line of FILE (or set "
                          "WORKBENCH_PASSPHRASE); it also opens the project where the keyring lacks its key")
    new.add_argument("--no-keyring", action="store_true", help="with --encrypt: protect the key by the passphrase only")


def add_commands(commands: Commands) -> None:
    """Add `backups list|restore`, `passphrase` and `rekey`."""
    backups = commands.group("backups", "list or restore a project's automatic backups")
    backups.action("list", cmd_backups_list, "list a project's automatic backups, newest first", project=True,
                   json=True)
    backups_restore = backups.action(
        "restore", cmd_backups_restore,
        "put a backup in place of the project (the current file is kept as a backup first)")
    backups_restore.add_argument("project", type=parse_location)
    backups_restore.add_argument("backup", metavar="BACKUP", help="a backup file, or its number in `backups list`")

    passphrase = commands.command("passphrase", cmd_passphrase, "change an encrypted project's passphrase, or move "
                                                                "its key into or out of the OS keyring")
    passphrase.add_argument("project", type=parse_location)
    passphrase.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                            help="the new passphrase, first line of FILE (or WORKBENCH_NEW_PASSPHRASE, or asked)")
    passphrase.add_argument("--keyring", action="store_true", help="also keep the key in the OS keyring")
    passphrase.add_argument("--no-keyring", action="store_true", help="remove the key from the OS keyring")
    passphrase.add_argument("--remove-passphrase", action="store_true",
                            help="drop the passphrase (the key must then be in the keyring)")
    commands.command("rekey", cmd_rekey, "give an encrypted project a new data key and re-encrypt everything",
                     project=True)
