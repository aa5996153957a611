"""The risk register as a RegisterSpec: a sheet of risks in its own words ("Threat", "L", "I", "Residual L") into the
assessment in use. Without an ID column a row is the risk of the same scenario; a score without its parts is kept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.register_values import parse_level, parse_score, parse_yes_no
from workbench.domain.risks import Risk, parse_treatment, scored, signed_read_only
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import FlatRecords, Warnings, link_controls
from workbench.services.importers.spec import Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM = FieldType.TEXT, FieldType.DATE, FieldType.ENUM

FIELDS = (
    Field("ref", TEXT, "Risk ID", (
        "risk id", "risk #", "risk no", "risk number", "risk ref", "risk reference", "id", "#", "no", "ref",
        "reference", "key", "risk key", "risk code",
    ), vetoes=frozenset({"control", "controls", "owner", "asset"}), what="the risk ID", brief=True),
    Field("scenario", TEXT, "Scenario", (
        "scenario", "risk scenario", "threat", "threats", "threat scenario", "risk", "risk description", "risk title",
        "risk name", "risk statement", "title", "name", "threat event", "threat description", "risk event", "event",
        "description", "threat vulnerability", "threat and vulnerability", "risk identified", "identified risk",
    ), vetoes=frozenset({"id", "#", "owner", "score", "rating", "level", "category", "type", "residual",
                         "inherent", "treatment", "response"}), required=True, what="the risk scenario"),
    Field("asset", TEXT, "Asset or objective", (
        "asset", "assets", "objective", "objectives", "business objective", "asset or objective", "affected asset",
        "asset affected", "impacted asset", "system", "process", "affected system", "information asset",
    )),
    Field("category", TEXT, "Category", (
        "category", "risk category", "type", "risk type", "domain", "risk domain", "area", "risk area",
    ), brief=True),
    Field("fraud", ENUM, "Fraud risk", (
        "fraud", "fraud risk", "fraud consideration", "fraud related", "is fraud", "fraud y n", "fraud relevant",
    ), parse=parse_yes_no, default=False),
    Field("likelihood", ENUM, "Likelihood", (
        "likelihood", "l", "probability", "p", "inherent likelihood", "likelihood score", "likelihood 1 5",
        "likelihood rating", "lik", "prob", "occurrence",
    ), vetoes=frozenset({"residual", "target", "after", "post", "res", "net"}), parse=parse_level),
    Field("impact", ENUM, "Impact", (
        "impact", "i", "severity", "consequence", "inherent impact", "impact score", "impact 1 5", "impact rating",
        "magnitude", "imp",
    ), vetoes=frozenset({"residual", "target", "after", "post", "res", "net"}), parse=parse_level),
    Field("inherent", ENUM, "Inherent score", (
        "inherent", "inherent score", "inherent risk", "inherent risk score", "inherent rating", "risk score",
        "score", "rating", "risk rating", "l x i", "lxi", "l i", "gross risk", "risk level", "inherent risk rating",
    ), vetoes=frozenset({"residual", "target", "after", "post", "net"}), parse=parse_score),
    Field("treatment", ENUM, "Treatment", (
        "treatment", "risk treatment", "response", "risk response", "treatment option", "strategy",
        "treatment decision", "decision", "treatment type", "response type", "risk strategy",
    ), parse=parse_treatment),
    Field("treatment_text", TEXT, "Treatment plan", (
        "mitigation", "mitigations", "mitigation plan", "treatment plan", "treatment description", "action plan",
        "actions", "response plan", "mitigation strategy", "planned treatment", "treatment details",
        "mitigating actions", "mitigation measures", "treatment actions",
    )),
    Field("controls", TEXT, "Controls", (
        "controls", "control", "linked controls", "related controls", "control ids", "control id", "control refs",
        "treating controls", "mitigating controls", "mapped controls", "control reference", "existing controls",
        "control references",
    ), brief=True),
    Field("residual_likelihood", ENUM, "Residual likelihood", (
        "residual likelihood", "residual l", "res l", "rl", "residual probability", "likelihood after",
        "target likelihood", "post likelihood", "net likelihood",
    ), parse=parse_level),
    Field("residual_impact", ENUM, "Residual impact", (
        "residual impact", "residual i", "res i", "ri", "impact after", "target impact", "post impact",
        "net impact",
    ), parse=parse_level),
    Field("residual", ENUM, "Residual score", (
        "residual", "residual score", "residual risk", "residual risk score", "residual rating", "target score",
        "risk after treatment", "net risk", "residual risk rating", "residual level", "residual risk level",
    ), parse=parse_score),
    Field("owner", TEXT, "Owner", (
        "owner", "risk owner", "responsible", "accountable", "assigned to", "owner name", "responsible person",
    ), brief=True),
    Field("review_on", DATE, "Review date", (
        "review date", "next review", "next review date", "review", "reviewed", "last reviewed", "review by",
        "date reviewed", "target date", "due date", "review due",
    ), what="the review date"),
    Field("notes", TEXT, "Notes", ("notes", "note", "comments", "comment", "remarks")),
)
_ATTRIBUTES = {"inherent": "inherent_given", "residual": "residual_given"}


class RiskRecords(FlatRecords):
    """Risks of the assessment in use; a signed assessment refuses the import with what to do instead."""

    def __init__(self) -> None:
        super().__init__("risks", lambda key: Risk(0, key, ""), _ATTRIBUTES, "risk")

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the risks of the assessment in use by ref; refuse when it is signed."""
        assessment = uow.risk_assessments.latest()
        if assessment is not None and assessment.signed:
            raise WorkbenchError("risk register", signed_read_only(assessment))
        loaded = super().load(uow)
        risks = uow.risks.of_assessment(assessment.id) if assessment else []
        return Loaded({r.ref: r for r in risks}, loaded.context)

    def build(self, values: Mapping[str, Any], key: str, current: Risk | None, loaded: Loaded
              ) -> tuple[Risk, Warnings]:
        """Return the risk a row asks for, with its controls found and scores checked against their parts."""
        changes = dict(values)
        warnings = link_controls(changes, "controls", loaded.context, many=True)
        record, _ = super().build(changes, key, current, loaded)
        for name, given, parts in (("inherent", record.inherent_given, (record.likelihood, record.impact)),
                                   ("residual", record.residual_given,
                                    (record.residual_likelihood, record.residual_impact))):
            if given is not None and None not in parts and given != parts[0] * parts[1]:  # type: ignore[operator]
                warnings.append((name, f"{name}: the sheet says {given}, but {parts[0]} x {parts[1]} is "
                                       f"{parts[0] * parts[1]}; the product is used"))  # type: ignore[operator]
        return scored(record), warnings

    def values(self, record: Risk) -> dict[str, Any]:
        """Return a risk's fields (its scores as the product of their parts, else as given)."""
        return {
            "ref": record.ref, "scenario": record.scenario, "asset": record.asset, "category": record.category,
            "fraud": record.fraud, "likelihood": record.likelihood, "impact": record.impact,
            "inherent": record.inherent, "treatment": record.treatment, "treatment_text": record.treatment_text,
            "controls": record.controls, "residual_likelihood": record.residual_likelihood,
            "residual_impact": record.residual_impact, "residual": record.residual, "owner": record.owner,
            "review_on": record.review_on, "notes": record.notes,
        }

    def write(self, uow: UnitOfWork, creates: Sequence[Risk], updates: Sequence[tuple[Risk, Risk]]) -> None:
        """Add the new risks to the assessment in use (a draft is started when there is none)."""
        assessment_id = uow.risk_assessments.in_use(uow.now().date(), uow.now())
        super().write(uow, [replace(r, assessment_id=assessment_id) for r in creates], updates)

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Risk]) -> None:
        """Remove the risks created and put back those updated, unless the assessment was signed since."""
        assessment = uow.risk_assessments.latest()
        if assessment is not None and assessment.signed:
            raise WorkbenchError(source, f"cannot undo the import: {signed_read_only(assessment)}")
        super().revert(uow, source, created, restored)

    def listing(self, uow: UnitOfWork) -> list[Risk]:
        """Return the risks of the assessment in use."""
        latest = uow.risk_assessments.latest_id()
        return uow.risks.of_assessment(latest) if latest is not None else []


RISKS = RegisterSpec(
    kind="risks", singular="risk", title="Import a risk register", fields=FIELDS, key="ref", label="scenario",
    natural_key=("scenario",), id_prefix="R-", missing_label="has no scenario", records=RiskRecords(),
    sheet_hint=re.compile(r"(risk|threat|register|assessment)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(vendor|supplier|incident|control matrix|heat ?map|dashboard|summary)", re.IGNORECASE),
    sheet_weights={"scenario": 10, "likelihood": 8, "impact": 8, "treatment": 5, "residual": 4},
    distinctive=("likelihood", "impact", "treatment", "residual_likelihood", "residual_impact"),
    pick_order=("ref", "residual_likelihood", "residual_impact", "residual", "likelihood", "impact", "inherent",
                "treatment", "treatment_text", "controls", "scenario", "asset", "category", "fraud", "owner",
                "review_on", "notes"),
    generic=frozenset({"id", "#", "no", "ref", "key", "risk", "title", "name", "l", "i", "p", "score", "rating",
                       "type", "review", "event", "description", "system", "process", "control", "decision",
                       "response", "strategy", "actions", "area", "domain", "severity", "residual", "inherent"}),
    aliases={"id": "ref", "threat": "scenario", "risk": "scenario", "l": "likelihood", "i": "impact",
             "inherent_score": "inherent", "residual_score": "residual", "mitigation": "treatment_text",
             "review_date": "review_on", "control": "controls"},
    keyless=True, preview=("likelihood", "impact", "residual"), touches=Touched.RISKS,
    texts=wizard_texts("risks",
                       "The risk register you keep, in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), CSV or "
                       "JSON. Risks already in the register are updated by their ID, or by their scenario when the "
                       "sheet has no ID column.",
                       "Choose the column that holds each risk's scenario (an ID column is optional)."),
)
