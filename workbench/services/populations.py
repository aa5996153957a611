"""Populations read for the pages and commands, and the evidence of their completeness and accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.domain.testing import Population, PopulationItem
from workbench.services.changes import Change, Touched
from workbench.services.session import OpenProject


def get_population(project: OpenProject, control_ref: str) -> Population | None:
    """Return the control's population (how it was produced, its row count), or None."""
    with project.uow() as uow:
        return uow.populations.get(control_ref)


def population_items(project: OpenProject, control_ref: str) -> list[PopulationItem]:
    """Return the items of the control's population in the file's order (none when it has no population)."""
    with project.uow() as uow:
        population = uow.populations.get(control_ref)
        return [] if population is None else uow.populations.items(population.id)


def list_populations(project: OpenProject) -> list[Population]:
    """Return every population, by control reference."""
    with project.uow() as uow:
        return uow.populations.list()


def link_population_evidence(project: OpenProject, control_ref: str, evidence_id: int) -> Change[bool]:
    """Link evidence of a population's completeness and accuracy (a query screenshot, a row count); undoable.

    The change's value is False when the evidence was linked already (then nothing is undone).
    """
    change = link_population_evidence_ids(project, control_ref, (evidence_id,))
    return Change(change.touched, change.inverse, bool(change.value))


def link_population_evidence_ids(project: OpenProject, control_ref: str, evidence_ids: Sequence[int]) -> Change[int]:
    """Link several completeness-and-accuracy records as one undoable change; its value is how many were new."""
    with project.uow() as uow:
        population = uow.populations.get(control_ref)
        if population is None:
            raise NotFoundError(f"control {control_ref}", "has no population; import one first")
        for evidence_id in evidence_ids:
            uow.evidence.get(evidence_id)  # NotFoundError when there is no such evidence
        added = tuple(i for i in dict.fromkeys(evidence_ids) if uow.populations.link_evidence(population.id, i))
        uow.commit()
    if not added:
        return Change(Touched.NOTHING, None, 0)
    return Change(Touched.POPULATIONS, partial(unlink_population_evidence_ids, control_ref=control_ref,
                                               evidence_ids=added), len(added))


def unlink_population_evidence(project: OpenProject, control_ref: str, evidence_id: int) -> Change[None]:
    """Remove a completeness-and-accuracy link; undone by linking it again."""
    return unlink_population_evidence_ids(project, control_ref, (evidence_id,))


def unlink_population_evidence_ids(project: OpenProject, control_ref: str, evidence_ids: Sequence[int],
                                   ) -> Change[None]:
    """Remove completeness-and-accuracy links as one change; undone by linking them again."""
    with project.uow() as uow:
        population = uow.populations.get(control_ref)
        for evidence_id in evidence_ids:
            if population is None or evidence_id not in population.evidence_ids:
                raise WorkbenchError(f"control {control_ref}",
                                     f"evidence {evidence_id} is not linked to its population")
            uow.populations.unlink_evidence(population.id, evidence_id)
        uow.commit()
    return Change(Touched.POPULATIONS, partial(link_population_evidence_ids, control_ref=control_ref,
                                               evidence_ids=tuple(evidence_ids)))
