"""The risk register (CC3): risks of the assessment in use, signing it (a dated PDF filed as evidence of the
risk-assessment control), and starting the next assessment from the last signed one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from workbench.domain.entities import Control
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.natural import natural_sorted
from workbench.domain.register_controls import control_for
from workbench.domain.register_values import LEVELS, MAX_SCORE
from workbench.domain.risks import Risk, RiskAssessment, scored, signed_read_only, untreated
from workbench.services.changes import Change, Touched
from workbench.services.evidence import CHUNK_SIZE
from workbench.services.exports.risk_document import assessment_pdf
from workbench.services.register_records import RecordKind, known_control, required
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

RISK = "risk"
ASSESSMENT_CRITERIA = ("CC3.2", "CC3.1")  # a control meeting these is the risk-assessment control
_SIGNED_TOUCHES = Touched.RISKS | Touched.EVIDENCE


def current_assessment_id(uow: UnitOfWork) -> int:
    """Return the id of the assessment in use, starting a draft when the project has none yet."""
    return uow.risk_assessments.in_use(uow.now().date(), uow.now())


def _level(what: str, name: str, value: int | None) -> int | None:
    if value is not None and value not in LEVELS:
        raise ValidationError(what, f"the {name} must be from 1 to 5, not {value}")
    return value


def _score(what: str, name: str, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_SCORE:
        raise ValidationError(what, f"the {name} must be from 1 to {MAX_SCORE}, not {value}")
    return value


def _clean(uow: UnitOfWork, risk: Risk) -> Risk:
    what = f"risk {risk.ref.strip()}".strip()
    controls = tuple(dict.fromkeys(known_control(uow, what, ref) or "" for ref in risk.controls if ref.strip()))
    return scored(replace(
        risk, ref=required(RISK, "reference", risk.ref), scenario=required(what, "scenario", risk.scenario),
        asset=risk.asset.strip(), category=risk.category.strip(), owner=risk.owner.strip(),
        likelihood=_level(what, "likelihood", risk.likelihood), impact=_level(what, "impact", risk.impact),
        residual_likelihood=_level(what, "residual likelihood", risk.residual_likelihood),
        residual_impact=_level(what, "residual impact", risk.residual_impact),
        inherent_given=_score(what, "inherent score", risk.inherent_given),
        residual_given=_score(what, "residual score", risk.residual_given),
        controls=tuple(c for c in controls if c),
        assessment_id=risk.assessment_id or current_assessment_id(uow),
    ))


def refuse_signed(uow: UnitOfWork, what: str, assessment_id: int) -> None:
    """Refuse a change to the risks of a signed assessment, saying what to do instead."""
    assessment = uow.risk_assessments.get(assessment_id)
    if assessment.signed:
        raise WorkbenchError(what, signed_read_only(assessment))


def _guard(uow: UnitOfWork, risk: Risk) -> None:
    refuse_signed(uow, f"risk {risk.ref}", risk.assessment_id)


def _new(risk: Risk) -> Risk:
    """Return a risk to add: a new one of the assessment in use (refused once it is signed)."""
    return replace(risk, id=0, assessment_id=0)


# Risks of the assessment in use, edited by the record engine (services.register_records).
RISKS: RecordKind[Risk] = RecordKind(RISK, Touched.RISKS, lambda uow: uow.risks, _clean, _guard, _new)


# -- the register as a page reads it --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskRegister:
    """The assessment in use and its risks, every assessment, and the project's controls (for linking)."""

    assessment: RiskAssessment | None
    risks: tuple[Risk, ...]
    assessments: tuple[RiskAssessment, ...]
    controls: tuple[Control, ...]

    @property
    def read_only(self) -> bool:
        """Return True when the assessment in use is signed: its risks cannot change."""
        return self.assessment is not None and self.assessment.signed

    @property
    def untreated(self) -> tuple[str, ...]:
        """Return the refs of the risks to mitigate that no control of the project treats."""
        refs = [c.ref for c in self.controls]
        return tuple(r.ref for r in self.risks if untreated(r, refs))

    @property
    def last_signed(self) -> RiskAssessment | None:
        """Return the latest signed assessment, or None."""
        return next((a for a in reversed(self.assessments) if a.signed), None)


def read_register(uow: UnitOfWork) -> RiskRegister:
    """Return the register inside a unit of work."""
    assessments = tuple(uow.risk_assessments.list())
    latest = assessments[-1] if assessments else None
    risks = tuple(uow.risks.of_assessment(latest.id)) if latest else ()
    return RiskRegister(latest, risks, assessments, tuple(uow.controls.list()))


def risk_register(project: OpenProject) -> RiskRegister:
    """Return the risk register as the page and the exports show it."""
    with project.uow() as uow:
        return read_register(uow)


def assessment_risks(project: OpenProject, assessment_id: int) -> list[Risk]:
    """Return the risks of one assessment (a signed one is exactly as it was signed)."""
    with project.uow() as uow:
        return uow.risks.of_assessment(assessment_id)


def risk_control(controls: list[Control]) -> str | None:
    """Return the control a signed assessment evidences when the user names none: the one made from the library's
    risk-assessment template, else the one meeting CC3.2 (or CC3.1) whose title speaks of a risk assessment, else
    the only control meeting CC3.2; None when unclear."""
    from_template = control_for(controls, "risk-assessment")
    if from_template is not None:
        return from_template
    candidates = [c for c in natural_sorted(controls, key=lambda c: c.ref)
                  if any(criterion in c.criteria for criterion in ASSESSMENT_CRITERIA)]
    named = [c for c in candidates if "risk assessment" in c.title.casefold()]
    if named:
        return named[0].ref
    meeting = [c for c in candidates if "CC3.2" in c.criteria]
    return meeting[0].ref if len(meeting) == 1 else None


# -- signing and starting the next assessment -----------------------------------------------------------------


def sign_assessment(project: OpenProject, signed_by: str, signed_on: date | None = None,
                    control_ref: str | None = None) -> Change[RiskAssessment]:
    """Sign the assessment in use: it becomes read-only, and its PDF is filed as evidence of the risk-assessment
    control, dated at the signing (the control named, else the one risk_control finds; none: no evidence)."""
    signer = required("risk assessment", "name of who signs it", signed_by)
    with project.uow() as uow:
        latest = uow.risk_assessments.latest()
        if latest is None or latest.risk_count == 0:
            raise ValidationError("risk assessment", "the register holds no risks to sign")
        if latest.signed:
            raise ValidationError("risk assessment", f"is already {latest.words()}; start the next one to "
                                                     "assess again")
        day = signed_on or uow.now().date()
        if day > uow.now().date():
            raise ValidationError("risk assessment", f"cannot be signed on {day.isoformat()}, a day still to come")
        before = [a for a in uow.risk_assessments.list() if a.signed_on is not None and a.id != latest.id]
        if before and day < before[-1].signed_on:  # type: ignore[operator]
            raise ValidationError("risk assessment", f"cannot be signed on {day.isoformat()}, before the assessment "
                                                     f"it follows ({before[-1].words()})")
        ref = known_control(uow, "risk assessment", control_ref) if control_ref else risk_control(uow.controls.list())
        signed = replace(latest, signed_on=day, signed_by=signer, control_ref=ref)
        evidence_id = _file_pdf(uow, signed) if ref else None
        uow.risk_assessments.sign(latest.id, day, signer, uow.controls.id_of(ref) if ref else None, evidence_id)
        uow.commit()
        result = uow.risk_assessments.get(latest.id)
    return Change(_SIGNED_TOUCHES, partial(unsign_assessment, assessment_id=latest.id), result)


def _file_pdf(uow: UnitOfWork, assessment: RiskAssessment) -> int:
    """Store the signed assessment's PDF and file it as evidence of its control; return the evidence id."""
    data = assessment_pdf(uow.settings.get().organization, assessment, uow.risks.of_assessment(assessment.id))
    sha256 = hashlib.sha256(data).hexdigest()
    if not uow.evidence.has_blob(sha256):
        uow.evidence.store_blob(sha256, "application/pdf",
                                [data[i:i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)])
    day = assessment.signed_on
    assert day is not None and assessment.control_ref is not None
    return uow.evidence.add(
        uow.controls.id_of(assessment.control_ref), sha256, added_at=uow.now(), collected_on=day,
        title=f"Risk assessment signed {day.isoformat()} by {assessment.signed_by}",
        filename=f"risk-assessment-{day.isoformat()}.pdf", source="Risk register, signed in the program",
    )


def unsign_assessment(project: OpenProject, assessment_id: int) -> Change[RiskAssessment]:
    """Take a signature back (the undo of signing): the assessment is a draft again and its PDF evidence goes."""
    with project.uow() as uow:
        assessment = uow.risk_assessments.get(assessment_id)
        if uow.risk_assessments.latest_id() != assessment_id:
            raise WorkbenchError("risk assessment", "a newer assessment was started from it; remove that one first")
        if not assessment.signed:
            raise WorkbenchError("risk assessment", "is not signed")
        if assessment.evidence_id is not None:
            uow.evidence.remove(assessment.evidence_id)
        uow.risk_assessments.sign(assessment_id, None, "", None, None)
        uow.commit()
        result = uow.risk_assessments.get(assessment_id)
    redo = partial(sign_assessment, signed_by=assessment.signed_by, signed_on=assessment.signed_on,
                   control_ref=assessment.control_ref)
    return Change(_SIGNED_TOUCHES, redo, result)


def start_assessment(project: OpenProject, started_on: date | None = None) -> Change[int]:
    """Start the next assessment as a copy of the signed one in use (or an empty draft when there is none)."""
    with project.uow() as uow:
        latest = uow.risk_assessments.latest()
        if latest is not None and not latest.signed:
            raise ValidationError("risk assessment", f"the assessment in use is a {latest.words()}; sign it "
                                                     "before starting the next one")
        new_id = uow.risk_assessments.add(started_on or uow.now().date(), uow.now())
        for risk in uow.risks.of_assessment(latest.id) if latest else ():
            uow.risks.add(replace(risk, id=0, assessment_id=new_id))
        uow.commit()
    return Change(Touched.RISKS, partial(discard_assessment, assessment_id=new_id), new_id)


def discard_assessment(project: OpenProject, assessment_id: int) -> Change[int]:
    """Remove a draft assessment with its risks (the undo of starting it); a signed one cannot be removed."""
    with project.uow() as uow:
        assessment = uow.risk_assessments.get(assessment_id)
        refuse_signed(uow, "risk assessment", assessment_id)
        if uow.risk_assessments.latest_id() != assessment_id:
            raise WorkbenchError("risk assessment", "only the assessment in use can be discarded")
        risks = uow.risks.of_assessment(assessment_id)
        uow.risk_assessments.remove(assessment_id)
        uow.commit()
    return Change(Touched.RISKS, partial(_put_back, assessment=assessment, risks=tuple(risks)), assessment_id)


def _put_back(project: OpenProject, assessment: RiskAssessment, risks: tuple[Risk, ...]) -> Change[int]:
    """Put a discarded draft back with its risks, under their ids."""
    with project.uow() as uow:
        uow.risk_assessments.add(assessment.started_on, uow.now(), assessment_id=assessment.id)
        for risk in risks:
            uow.risks.add(risk, risk.id)
        uow.commit()
    return Change(Touched.RISKS, partial(discard_assessment, assessment_id=assessment.id), assessment.id)
