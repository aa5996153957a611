"""What a mutating service did, as a value: the parts of the project it touched, how to undo it, and its result.

Every use case that changes a project returns a Change. Its `inverse` is the operation that undoes it, bound to
what the change itself saw inside its transaction (a functools.partial of a public service, so it can be read and
compared); running the inverse returns another Change, whose inverse is the redo. Readers of a Change (the GUI's
undo history, the pages) need nothing else: `touched` says what to reload, `inverse` how to go back.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from workbench.domain.errors import ConflictError

if TYPE_CHECKING:
    from workbench.services.session import OpenProject

T = TypeVar("T")


class Touched(enum.Flag):
    """The parts of a project a change may have altered; a new register adds its own member here."""

    NOTHING = 0
    SETTINGS = enum.auto()  # organisation, system, report type, audit period, categories
    SCOPE = enum.auto()  # system description, components, subservice organisations, user entity controls
    ASSESSMENT = enum.auto()  # the judgement of each criterion
    CONTROLS = enum.auto()  # the control library and its criteria mappings
    TASKS = enum.auto()  # remediation and other tasks
    EVIDENCE = enum.auto()  # evidence records (and their links to requests)
    ENGAGEMENT = enum.auto()  # the CPA firm, its contacts and the milestones
    REQUESTS = enum.auto()  # the auditor's request list
    REPORT = enum.auto()  # reports, exceptions, distribution log, report files
    PLAN = enum.auto()  # the timeline plan and its baseline
    POPULATIONS = enum.auto()  # populations (Type II), their items and completeness-and-accuracy evidence
    SAMPLES = enum.auto()  # samples drawn from populations or windows, and their results
    RISKS = enum.auto()  # the risk register and its assessments (drafts and signed snapshots)
    VENDORS = enum.auto()  # vendors, their assurance reports and the user entity controls those expect of us
    INCIDENTS = enum.auto()  # the incident register
    CONTINUITY = enum.auto()  # restore tests and DR/BCP exercises
    PEOPLE = enum.auto()  # the staff roster, its joiner and leaver checks, the stated time to remove access
    ACCESS_REVIEWS = enum.auto()  # access review campaigns, their accounts and decisions
    POLICIES = enum.auto()  # policies, their drafts and published versions, and acknowledgements of them
    FINDINGS = enum.auto()  # security tools' runs and their findings


EVERYTHING = ~Touched.NOTHING  # every member, those added later included: what a reload after others' edits needs


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """A change made to a project: what it touched, the operation that undoes it (None: it cannot be), its result."""

    touched: Touched
    inverse: Operation | None = None
    value: T = None  # type: ignore[assignment]  # what the service returns besides the change (an id, a record)

    @property
    def undoable(self) -> bool:
        """Return True when the change can be taken back."""
        return self.inverse is not None


Operation = Callable[["OpenProject"], Change[Any]]


def moved_on(what: str, fresh: object) -> ConflictError:
    """Return the refusal of an undo or redo whose record no longer holds what the edit left: the data moved on.

    An inverse checks the record's content, not its row version: undoing a later edit first puts back exactly
    what this edit left, under a newer version, and this edit's undo must still go through.
    """
    return ConflictError(what, "was changed after this edit (by someone else, or in another window); it was left "
                               "as it is now", fresh)
