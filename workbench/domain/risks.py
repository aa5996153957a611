"""Risks and risk assessments (CC3): scenario, likelihood and impact, treatment, and the 5x5 heat map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from dateutil.relativedelta import relativedelta

from workbench.domain.enums import LabelledEnum
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import LEVELS, parse_from

ASSESSMENT_LIFE_MONTHS = 12  # an assessment older than this is due again


class Treatment(LabelledEnum):
    MITIGATE = "mitigate"
    ACCEPT = "accept"
    TRANSFER = "transfer"
    AVOID = "avoid"


_TREATMENTS: dict[str, Treatment] = {
    **dict.fromkeys(("mitigate", "mitigation", "mitigated", "reduce", "reduced", "reduction", "treat", "control",
                     "modify", "remediate"), Treatment.MITIGATE),
    **dict.fromkeys(("accept", "accepted", "acceptance", "retain", "retained", "tolerate", "tolerated"),
                    Treatment.ACCEPT),
    **dict.fromkeys(("transfer", "transferred", "share", "shared", "insure", "insured", "insurance",
                     "outsource"), Treatment.TRANSFER),
    **dict.fromkeys(("avoid", "avoided", "avoidance", "terminate", "eliminate", "stop"), Treatment.AVOID),
}


def parse_treatment(text: str) -> Treatment | None:
    """Return the treatment a cell names (None when blank); ValueError for one we do not know."""
    return parse_from(_TREATMENTS, text, "a treatment (mitigate, accept, transfer or avoid)")


@dataclass(frozen=True, slots=True)
class Risk(RegisterRecord):
    """One risk of the register. A score given without its parts is kept as the score."""

    scenario: str
    asset: str = ""
    category: str = ""
    fraud: bool = False
    likelihood: int | None = None
    impact: int | None = None
    inherent_given: int | None = None  # a score the register gave without likelihood and impact
    treatment: Treatment | None = None
    treatment_text: str = ""
    controls: tuple[str, ...] = ()  # the refs of the controls that treat it
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    residual_given: int | None = None
    owner: str = ""
    review_on: date | None = None
    notes: str = ""
    assessment_id: int = 0

    @property
    def inherent(self) -> int | None:
        """Return the inherent score: likelihood times impact, else the score given."""
        return score(self.likelihood, self.impact, self.inherent_given)

    @property
    def residual(self) -> int | None:
        """Return the residual score: residual likelihood times impact, else the score given."""
        return score(self.residual_likelihood, self.residual_impact, self.residual_given)


def score(likelihood: int | None, impact: int | None, given: int | None) -> int | None:
    """Return likelihood times impact when both are known, else the score given."""
    return likelihood * impact if likelihood is not None and impact is not None else given


def scored(risk: Risk) -> Risk:
    """Return the risk with a given score dropped where its likelihood and impact make it."""
    inherent = None if risk.likelihood is not None and risk.impact is not None else risk.inherent_given
    residual = None if risk.residual_likelihood is not None and risk.residual_impact is not None \
        else risk.residual_given
    if (inherent, residual) == (risk.inherent_given, risk.residual_given):
        return risk
    return replace(risk, inherent_given=inherent, residual_given=residual)


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """A dated snapshot of the register: a draft while being worked on, read-only once signed."""

    id: int
    started_on: date | None
    signed_on: date | None = None
    signed_by: str = ""
    control_ref: str | None = None  # the risk-assessment control its signed PDF evidences
    evidence_id: int | None = None
    notes: str = ""
    risk_count: int = 0

    @property
    def signed(self) -> bool:
        """Return True once management signed it (it can no longer change)."""
        return self.signed_on is not None

    def words(self) -> str:
        """Return it in a few words: "signed 2026-02-14 by Priya" or "draft started 2026-03-01"."""
        if self.signed_on is not None:
            return f"signed {self.signed_on.isoformat()} by {self.signed_by}"
        return "draft" + (f" started {self.started_on.isoformat()}" if self.started_on else "")


def signed_read_only(assessment: RiskAssessment) -> str:
    """Return why a signed assessment's risks cannot change, and what to do instead."""
    return (f"the risk assessment {assessment.words()} is read-only; start the next assessment "
            "(it begins as a copy of this one) to change risks")


def assessment_overdue(last_signed: date | None, today: date) -> bool:
    """Return True when no assessment was signed in the last 12 months."""
    return last_signed is None or last_signed + relativedelta(months=ASSESSMENT_LIFE_MONTHS) < today


Cell = tuple[int, int]  # (likelihood, impact)


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Risks placed by likelihood and impact; those with only a score (or nothing) are listed apart."""

    cells: dict[Cell, tuple[str, ...]]
    unplaced: tuple[str, ...]

    def at(self, likelihood: int, impact: int) -> tuple[str, ...]:
        """Return the refs of the risks in one cell."""
        return self.cells.get((likelihood, impact), ())


def heat_map(risks: Iterable[Risk], residual: bool = False) -> HeatMap:
    """Return the 5x5 map of the risks, inherent (default) or residual."""
    cells: dict[Cell, list[str]] = {}
    unplaced: list[str] = []
    for risk in risks:
        place = (risk.residual_likelihood, risk.residual_impact) if residual else (risk.likelihood, risk.impact)
        if place[0] in LEVELS and place[1] in LEVELS:
            cells.setdefault((place[0], place[1]), []).append(risk.ref)  # type: ignore[arg-type]
        else:
            unplaced.append(risk.ref)
    return HeatMap({cell: tuple(refs) for cell, refs in cells.items()}, tuple(unplaced))


def band(value: int | None) -> str:
    """Return the band of a score: "high" (15 and over), "medium" (8-14), "low" (under 8), "" when unknown."""
    if value is None:
        return ""
    return "high" if value >= 15 else "medium" if value >= 8 else "low"


def untreated(risk: Risk, control_refs: Iterable[str]) -> bool:
    """Return True when a risk to mitigate (or of unknown treatment) has no control of the project treating it."""
    if risk.treatment in (Treatment.ACCEPT, Treatment.TRANSFER, Treatment.AVOID):
        return False
    known = set(control_refs)
    return not any(ref in known for ref in risk.controls)
