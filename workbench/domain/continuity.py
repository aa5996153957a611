"""Continuity tests (A1.2, A1.3): restore tests and yearly DR or BCP exercises, RTO and RPO targets against results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.domain.enums import LabelledEnum
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import format_duration, parse_from


class ContinuityKind(LabelledEnum):
    RESTORE = "restore"
    DR = "dr"
    BCP = "bcp"
    TABLETOP = "tabletop"

    @property
    def label(self) -> str:
        return {"restore": "Restore test", "dr": "DR exercise", "bcp": "BCP exercise",
                "tabletop": "Tabletop exercise"}[self.value]


_KINDS: dict[str, ContinuityKind] = {
    **dict.fromkeys(("restore", "restore test", "backup restore", "backup restore test", "backup test", "recovery test",
                     "data restore", "restoration", "backup"), ContinuityKind.RESTORE),
    **dict.fromkeys(("dr", "dr test", "dr exercise", "disaster recovery", "disaster recovery test",
                     "disaster recovery exercise", "failover", "failover test", "dr drill"), ContinuityKind.DR),
    **dict.fromkeys(("bcp", "bcp test", "bcp exercise", "business continuity", "business continuity test",
                     "business continuity exercise", "bc test", "bc exercise"), ContinuityKind.BCP),
    **dict.fromkeys(("tabletop", "tabletop exercise", "table top", "table top exercise", "walkthrough",
                     "walk through"), ContinuityKind.TABLETOP),
}


def parse_continuity_kind(text: str) -> ContinuityKind | None:
    """Return the kind of test a cell names (None when blank)."""
    return parse_from(_KINDS, text, "a kind of test (restore test, DR, BCP or tabletop exercise)")


@dataclass(frozen=True, slots=True)
class ContinuityTest(RegisterRecord):
    scenario: str
    kind: ContinuityKind | None = None
    performed_on: date | None = None
    participants: str = ""
    rto_target: int | None = None  # minutes
    rto_achieved: int | None = None
    rpo_target: int | None = None
    rpo_achieved: int | None = None
    issues: str = ""
    follow_up: str = ""
    control_ref: str | None = None  # the control it is an occurrence of (a restore-test or DR-test control)

    @property
    def met(self) -> bool | None:
        """Return True when every target measured was met, False when one was missed, None when none measured."""
        pairs = [(t, a) for t, a in ((self.rto_target, self.rto_achieved), (self.rpo_target, self.rpo_achieved))
                 if t is not None and a is not None]
        if not pairs:
            return None
        return all(achieved <= target for target, achieved in pairs)

    def result(self) -> str:
        """Return the result in words: "targets met", "RTO missed (6 h against 4 h)" or "not measured"."""
        missed = [f"{name} missed ({format_duration(a)} against {format_duration(t)})"
                  for name, t, a in (("RTO", self.rto_target, self.rto_achieved),
                                     ("RPO", self.rpo_target, self.rpo_achieved))
                  if t is not None and a is not None and a > t]
        if missed:
            return "; ".join(missed)
        return "not measured" if self.met is None else "targets met"
