"""`people removal-days|population`: the stated time to remove a leaver's access, and the period's joiners or
leavers as a control's population."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, open_location
from workbench.domain.location import parse_location


def cmd_people_removal_days(args: argparse.Namespace) -> int:
    """Show or set the business days within which a leaver's access must be removed."""
    from workbench.services.people import people_register, set_removal_days

    with open_location(args.project) as project:
        if args.days is not None:
            set_removal_days(project, args.days)
        days = people_register(project).removal_days
    print(f"a leaver's access is to be removed within {days} business day{'s' * (days != 1)} of their last day")
    return 0


def cmd_people_population(args: argparse.Namespace) -> int:
    """Make the period's joiners or leavers the population of an event-driven control."""
    from workbench.services.people import use_as_population
    from workbench.services.populations import get_population

    with open_location(args.project) as project:
        ref = use_as_population(project, args.control, args.which).value.control_ref
        population = get_population(project, ref)
    assert population is not None
    print(f"population of {ref}: {population.row_count} {args.which} from the staff roster; "
          f"SHA-256 {population.info.sha256}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `people removal-days` and `people population`."""
    people = commands.group("people", "the stated time to remove access, and joiners or leavers as a population")
    days = people.action("removal-days", cmd_people_removal_days,
                         "show or set the business days within which a leaver's access must be removed")
    days.add_argument("project", type=parse_location)
    days.add_argument("days", type=int, nargs="?", metavar="DAYS")
    population = people.action("population", cmd_people_population,
                               "make the period's joiners or leavers the population of a control")
    population.add_argument("project", type=parse_location)
    population.add_argument("which", choices=("joiners", "leavers"))
    population.add_argument("--control", required=True, metavar="REF")
