"""The policy register as a RegisterSpec (kind `policies`): importing a list of existing policies creates them with
their metadata and a draft to write or paste; listing and export add each one's version in force, approval, next
review and SHA-256, which an import reads past (versions are only made by publishing)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import parse_frequency
from workbench.domain.policies import Policy, in_force, review_due
from workbench.domain.register_values import words
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import FlatRecords, Warnings, refuse
from workbench.services.importers.spec import CREATE, Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, NUMBER, ENUM, CRITERIA = (FieldType.TEXT, FieldType.DATE, FieldType.NUMBER, FieldType.ENUM,
                                     FieldType.CRITERIA)
MAX_REVIEW_MONTHS = 36
DEFAULT_REVIEW_MONTHS = Policy.__dataclass_fields__["review_months"].default
MAX_NEW_POLICIES = 100  # companies keep 15 to 50 policies; one import adding more is the wrong file
_CADENCE_MONTHS = {Frequency.ANNUAL: 12, Frequency.SEMI_ANNUAL: 6, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}
_MONTHS = re.compile(r"(?:every )?(\d+)(?: 0+)?(?: calendar)?(?: months?| mos?)?")
_YEARS = re.compile(r"(?:once )?(?:every )?(\d+|one|two|three) years?|(biennial(?:ly)?)|(triennial(?:ly)?)")
_YEAR_WORDS = {"one": 1, "two": 2, "three": 3}


def parse_review_months(text: str) -> int | None:
    """Return a policy's review cycle in months as a register writes it: a number of months ("12", "24 months")
    or a cadence ("Annually and upon significant change", "Every 2 years"); None when blank."""
    said = words(text)
    if not said:
        return None
    if (months := _MONTHS.fullmatch(said)) is not None:
        return int(months[1])
    if (years := _YEARS.fullmatch(said)) is not None:
        count = 2 if years[2] else 3 if years[3] else _YEAR_WORDS.get(years[1]) or int(years[1])
        return 12 * count
    try:
        cadence = parse_frequency(text)
    except ValueError:
        cadence = None
    if cadence not in _CADENCE_MONTHS:
        raise ValueError(f"{str(text).strip()[:40]!r} is not a review cycle (a number of months, or annually, "
                         "semi-annually, quarterly, monthly, every 2 years)")
    return _CADENCE_MONTHS[cadence]

FIELDS = (
    Field("key", TEXT, "Policy key", (
        "policy key", "key", "policy id", "policy ref", "policy reference", "policy number", "policy no", "id",
        "ref", "#", "no", "document id", "doc id",
    ), vetoes=frozenset({"owner", "version", "approver"}), what="the policy key", brief=True),
    Field("title", TEXT, "Title", (
        "title", "policy", "policy title", "policy name", "name", "document", "document title", "document name",
    ), vetoes=frozenset({"id", "#", "key", "owner", "version", "ref"}), required=True, what="the policy title"),
    Field("owner", TEXT, "Owner", ("owner", "policy owner", "document owner", "responsible", "accountable",
                                   "maintained by"), vetoes=frozenset({"approved"}), brief=True),
    Field("review_months", ENUM, "Review every (months)", (
        "review every months", "review cycle", "review cycle months", "review frequency", "review months",
        "review interval", "review period", "review every",
    ), parse=parse_review_months, default=DEFAULT_REVIEW_MONTHS, what="the review cycle"),
    Field("version", NUMBER, "Version in force", ("version in force", "version", "current version", "ver"),
          what="the version"),
    Field("approver", TEXT, "Approved by", ("approved by", "approver", "approval by", "signed off by"), brief=True),
    Field("approved_on", DATE, "Approved on", ("approved on", "approval date", "approved", "date approved"),
          what="the approval date"),
    Field("effective_on", DATE, "Effective on", ("effective on", "effective date", "effective", "in force from"),
          what="the effective date"),
    Field("next_review", DATE, "Next review", ("next review", "next review date", "review due", "review date"),
          what="the next review date"),
    Field("criteria", CRITERIA, "Criteria", (
        "criteria", "tsc", "trust services criteria", "soc 2 criteria", "mapped criteria", "criteria supported",
    )),
    Field("sha256", TEXT, "SHA-256", ("sha 256", "sha256", "hash", "text hash"), brief=True),
)


# Columns only a control list has (a control's function, effect, cost or testing), and columns both may have.
_CONTROL_ONLY = re.compile(r"\b(control|csf|nist|function|impact|effort|priority|nature|frequency|test|tested|"
                           r"testing|implementation|implemented|automated|manual|preventive|detective|cost|"
                           r"people days|amortization|eta)\b")
_SHARED = frozenset({"description", "category", "status", "link", "observation", "notes", "labels",
                     "filtering labels", "start date", "expiry date", "type"})
_POLICY_ONLY = ("review_months", "effective_on", "approver", "approved_on", "next_review", "version")


def control_list_columns(headers: Sequence[Any], mapping: Mapping[str, int]) -> list[str]:
    """Return the columns that make a file read as a control list (CISO Assistant's applied controls, say), or []
    when it may be a policy register: it has none of a policy's own columns (review cycle, approval, version), at
    least two columns only a control list has, and four such or shared ones in all."""
    if any(name in mapping for name in _POLICY_ONLY):
        return []
    own, shared = [], []
    for header in headers:
        text = str(header or "").strip()
        words = re.sub(r"[\s_\-./]+", " ", text.casefold()).strip()
        if _CONTROL_ONLY.search(words):
            own.append(text)
        elif words in _SHARED:
            shared.append(text)
    return [*own, *shared] if len(own) >= 2 and len(own) + len(shared) >= 4 else []


@dataclass(frozen=True, slots=True)
class ListedPolicy:
    """A policy as the register lists it on a day: with the version in force then and its next review."""

    policy: Policy
    on: date

    @property
    def ref(self) -> str:
        """Return the policy's key."""
        return self.policy.key


def listed(uow: UnitOfWork) -> list[ListedPolicy]:
    """Return the policies, each read on the project clock's day."""
    today = uow.now().date()
    return [ListedPolicy(p, today) for p in uow.policies.list()]


def _metadata(policy: Policy) -> tuple[Any, ...]:
    return policy.key, policy.title, policy.owner, policy.review_months, policy.criteria


class PolicyRecords(FlatRecords):
    """Policies keyed by their key; an import writes metadata (and a first draft), never a version."""

    def __init__(self) -> None:
        super().__init__("policies", lambda key: Policy(key, ""), {}, "policy")

    def build(self, values: Mapping[str, Any], key: str, current: Policy | None, loaded: Loaded
              ) -> tuple[Policy, Warnings]:
        """Return the policy a row describes (columns a version records are read past)."""
        base = current or Policy(key, "")
        changes: dict[str, Any] = {name: values[name] for name in ("title", "owner", "criteria") if name in values}
        warnings: Warnings = []
        months = values.get("review_months")
        if isinstance(months, int | float) and float(months).is_integer() and 1 <= months <= MAX_REVIEW_MONTHS:
            changes["review_months"] = int(months)
        elif months is not None:
            warnings.append(("review_months", f"review_months: {months!r} is not 1 to {MAX_REVIEW_MONTHS} months; "
                                              f"kept as {base.review_months}"))
        record = replace(base, **{k: ("" if v is None and k != "criteria" else v) for k, v in changes.items()})
        if current is None:
            record = replace(record, draft_body=f"# {record.title}\n", source="imported from a policy register")
        return record, warnings

    def same(self, current: Policy, record: Policy) -> bool:
        """Return True when the metadata already reads as the row."""
        return _metadata(current) == _metadata(record)

    def values(self, record: Policy | ListedPolicy) -> dict[str, Any]:
        """Return a policy's fields; the version ones as of the listing's day (a bare policy: its latest)."""
        policy = record.policy if isinstance(record, ListedPolicy) else record
        on = record.on if isinstance(record, ListedPolicy) else date.max
        current = in_force(policy, on)
        return {"key": policy.key, "title": policy.title, "owner": policy.owner,
                "review_months": policy.review_months, "version": current.number if current else None,
                "approver": current.approver if current else None,
                "approved_on": current.approved_on if current else None,
                "effective_on": current.effective_on if current else None,
                "next_review": review_due(policy, current.effective_on) if current else None,
                "criteria": policy.criteria, "sha256": current.sha256 if current else None}

    def write(self, uow: UnitOfWork, creates: Sequence[Policy], updates: Sequence[tuple[Policy, Policy]]) -> None:
        """Add the new policies and update the metadata of the others (their drafts and versions stay)."""
        for record in creates:
            uow.policies.add(record)
        for current, record in updates:
            uow.policies.update(replace(current, **{n: getattr(record, n) for n in ("title", "owner",
                                                                                      "review_months", "criteria")}))

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Policy]) -> None:
        """Remove the policies created (refused once one was published) and put the others' metadata back."""
        for key in created:
            found = uow.policies.get(key)
            if found is not None:
                if found.versions:
                    raise refuse(source, f"policy {key} was published since")
                uow.policies.remove(key)
        for previous in restored:
            uow.policies.update(previous)

    def listing(self, uow: UnitOfWork) -> list[ListedPolicy]:
        """Return the policies in the natural order of their keys."""
        return listed(uow)

    def remember(self, uow: UnitOfWork, plan: Any) -> None:
        """Refuse a file that would add more policies than any company keeps, or whose columns are a control list's:
        a control, evidence or findings list imported as policies by mistake (its name column reads as titles) would
        bury the real ones. A security tool's report is refused first: its check titles would read as titles."""
        from workbench.services.importers.findings import tool_report_refusal  # read only when an import is kept

        if (why := tool_report_refusal(plan.source, "a policy register")) is not None:
            raise WorkbenchError(plan.source, f"{why}; nothing was imported")
        control_columns = control_list_columns(plan.table.headers, plan.mapping)
        if control_columns:
            shown = ", ".join(map(repr, control_columns[:5])) + (
                f" and {len(control_columns) - 5} more" if len(control_columns) > 5 else "")
            raise WorkbenchError(plan.source, f"looks like a control list, not a policy register (its columns "
                                              f"{shown} describe controls); import it as controls (import-controls "
                                              f"PROJECT FILE); nothing was imported")
        created = sum(1 for row in getattr(plan, "rows", ()) if row.action == CREATE)
        if created > MAX_NEW_POLICIES:
            from workbench.services.importers.plan import column_named  # the planner loads the storage layer

            title = plan.mapping.get("title")
            column = f" (titles read from {column_named(plan.table, title)})" if title is not None else ""
            raise WorkbenchError(plan.source, f"would add {created:,} policies at once{column}; a policy register "
                                              f"lists a few dozen, so this looks like another kind of list; nothing "
                                              f"was imported")


POLICIES = RegisterSpec(
    kind="policies", singular="policy", title="Import a policy register", fields=FIELDS, key="key", label="title",
    natural_key=("title",), id_prefix="POL-", missing_label="has no title", records=PolicyRecords(),
    sheet_hint=re.compile(r"(polic|document|handbook)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|incident|control|staff|employee|acknowledg|signature)", re.IGNORECASE),
    sheet_weights={"title": 10, "owner": 4, "review_months": 6, "approved_on": 5, "effective_on": 6},
    distinctive=("review_months", "effective_on", "approver"),
    pick_order=("key", "review_months", "next_review", "effective_on", "approved_on", "approver", "version",
                "sha256", "criteria", "owner", "title"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "policy", "document", "version", "ver", "approved",
                       "effective", "hash", "owner"}),
    aliases={"id": "key", "ref": "key", "policy": "title", "review": "review_months", "review_cycle": "review_months"},
    keyless=True, preview=("owner", "review_months", "effective_on"), touches=Touched.POLICIES,
    texts=wizard_texts("policies",
                       "The list of policies you already keep (title, owner, review cycle, criteria), in Excel, "
                       "OpenDocument, CSV or JSON. Each new one starts as a draft to write or paste in and publish; "
                       "version, approval and hash columns are read past: versions are made by publishing.",
                       "Choose the column that holds each policy's title (a key column is optional)."),
)
