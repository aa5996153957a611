"""Policies (CC1.1, CC2.2, CC5.3) as use cases; each mutating one returns a Change (Touched.POLICIES) and its undo.

The API the pages, exports and sample build on:
- policy_register(project) -> PolicyRegister: every policy (with its versions), acknowledgements, who is behind;
- get_policy(project, key) -> Policy; policy_on(project, key, day) -> the PolicyVersion in force that day;
- add_policies(project, template_keys) -> Change[AddedPolicies] (templates outside the project's categories are
  skipped and said why; a key already present is refused); remove_policies / restore_policies;
- edit_draft(project, key, body=..., title=..., owner=..., review_months=..., criteria=...) -> Change[Policy]: a
  policy whose latest is published gets a new draft starting from that version's text (the version stays as it is);
- publish(project, key, approver, effective_on=None, approved_on=None) -> Change[PolicyVersion]: the draft frozen as
  the next version with its SHA-256; undone by withdraw_version;
- import_policy(project, path, key=None, control_ref=None) -> Change[Policy]: from .md, .docx or .pdf (a PDF is kept
  as evidence, the policy's draft being its extracted text);
- record_acknowledgement(project, key, person, on=None, version=None) -> Change[Acknowledgement];
  remove_acknowledgements / restore_acknowledgements; who_is_behind(project, on=None) -> [Behind].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from workbench.domain.catalog import Catalog, normalize_criterion_id
from workbench.domain.control_templates import template_key_of
from workbench.domain.entities import Control
from workbench.domain.enums import Category
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.domain.natural import natural_sorted
from workbench.domain.people import Person
from workbench.domain.policies import (
    Acknowledgement,
    Behind,
    Policy,
    PolicyVersion,
    body_sha256,
    dated_in_future,
    in_force,
    person_named,
    policy_key_from,
    too_wide_table,
    version_signed,
)
from workbench.domain.policies import who_is_behind as behind_on
from workbench.domain.policy_templates import PolicyTemplate
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, remove_evidence
from workbench.services.policy_files import read_policy_file
from workbench.services.policy_templates import policy_template, policy_templates
from workbench.services.register_records import required
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

POLICIES = Touched.POLICIES
MAX_REVIEW_MONTHS = 36
BY_HAND = "recorded by hand"


@dataclass(frozen=True, slots=True)
class PolicyRegister:
    """The policies as a page shows them: each with its versions, every acknowledgement, and who is behind today."""

    policies: tuple[Policy, ...]
    acknowledgements: tuple[Acknowledgement, ...]
    people: tuple[Person, ...]
    behind: tuple[Behind, ...]
    today: date


def policy_register(project: OpenProject, today: date | None = None) -> PolicyRegister:
    """Return every policy with its versions, the acknowledgements, and who is behind on `today` (the clock's)."""
    with project.uow() as uow:
        day = today or uow.now().date()
        policies, people, acks = uow.policies.list(), uow.people.list(), uow.policies.acknowledgements()
    return PolicyRegister(tuple(policies), tuple(acks), tuple(people), tuple(behind_on(policies, people, acks, day)),
                          day)


def _policy(uow: UnitOfWork, key: str) -> Policy:
    found = uow.policies.get(key.strip()) or uow.policies.get(key.strip().lower())
    if found is None:
        known = ", ".join(p.key for p in uow.policies.list()) or "none yet"
        raise NotFoundError(f"policy {key.strip()}", f"is not a policy of this project (its policies: {known})")
    return found


def get_policy(project: OpenProject, key: str) -> Policy:
    """Return a policy with its versions; NotFoundError naming the policies there are."""
    with project.uow() as uow:
        return _policy(uow, key)


def policy_on(project: OpenProject, key: str, on: date) -> PolicyVersion:
    """Return exactly the version of a policy in force on a day; ValidationError when none was in force yet."""
    policy = get_policy(project, key)
    found = in_force(policy, on)
    if found is None:
        first = policy.versions[0].effective_on.isoformat() if policy.versions else None
        raise ValidationError(f"policy {policy.key}", f"had no version in force on {on.isoformat()}" + (
            f" (its first took effect on {first})" if first else " (it was never published)"))
    return found


# -- adding and removing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddedPolicies:
    """What adding templates did: the keys added, and each template skipped with why."""

    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def _filled(template: PolicyTemplate, organization: str, system: str) -> str:
    """Return a template's text with the company's and the product's names put in (other placeholders stay)."""
    body = template.body
    for name, value in (("company", organization), ("product", system)):
        if value.strip():
            body = body.replace("{{" + name + "}}", value.strip())
    return body


def add_policies(project: OpenProject, template_keys: Sequence[str]) -> Change[AddedPolicies]:
    """Start policies from templates (each a draft to adapt, then publish); undone by removing them.

    A template for a category the project does not cover is skipped, with why; a key the project already has is
    refused and nothing is added.
    """
    templates = [policy_template(k) for k in dict.fromkeys(k.strip().lower() for k in template_keys if k.strip())]
    if not templates:
        raise ValidationError("policies", "name at least one template (or all of them)")
    with project.uow() as uow:
        settings = uow.settings.get()
        taken = [t.key for t in templates if uow.policies.get(t.key) is not None]
        if taken:
            raise DuplicateError(f"policy {taken[0]}", "is already a policy of this project; nothing was added" + (
                f" (also present: {', '.join(taken[1:])})" if len(taken) > 1 else ""))
        added, skipped = [], []
        catalog = uow.criteria.catalog()
        for template in templates:
            if template.category not in settings.categories:
                skipped.append((template.key, f"its category, {template.category.label}, is not in this project's "
                                              "scope"))
                continue
            criteria = _in_scope(catalog, template.criteria, settings.categories)
            body = _filled(template, settings.organization, settings.system_name)
            uow.policies.add(Policy(template.key, template.title, template.owner, template.review_months, criteria,
                                    template.key, body, source=f"template {template.key}"))
            added.append(template.key)
        uow.commit()
    return Change(POLICIES, partial(remove_policies, keys=tuple(added)), AddedPolicies(tuple(added), tuple(skipped)))


def _in_scope(catalog: Catalog, criteria: Sequence[str], categories: Iterable[Category]) -> tuple[str, ...]:
    """Keep the criteria of the categories in scope: a backup policy supports A1.2 only where Availability is."""
    wanted = set(categories)
    return tuple(c for c in criteria if (found := catalog.get(c)) is not None and found.category in wanted)


def all_template_keys() -> tuple[str, ...]:
    """Return the key of every bundled policy template."""
    return tuple(t.key for t in policy_templates())


@dataclass(frozen=True, slots=True)
class RemovedPolicy:
    """A policy as it was removed, with its acknowledgements, to put back."""

    policy: Policy
    acknowledgements: tuple[Acknowledgement, ...]


def remove_policies(project: OpenProject, keys: Sequence[str]) -> Change[tuple[RemovedPolicy, ...]]:
    """Remove policies with their versions and acknowledgements; undone by putting them back whole."""
    with project.uow() as uow:
        removed = []
        for key in keys:
            policy = _policy(uow, key)
            removed.append(RemovedPolicy(policy, tuple(uow.policies.acknowledgements(policy.key))))
            uow.policies.remove(policy.key)
        uow.commit()
    return Change(POLICIES, partial(restore_policies, removed=tuple(removed)), tuple(removed))


def restore_policies(project: OpenProject, removed: Sequence[RemovedPolicy]) -> Change[tuple[str, ...]]:
    """Put removed policies back as they were (their undo removes them again)."""
    with project.uow() as uow:
        for item in removed:
            uow.policies.add(item.policy, item.policy.id or None)
            uow.policies.acknowledge(item.acknowledgements)
        uow.commit()
    keys = tuple(item.policy.key for item in removed)
    return Change(POLICIES, partial(remove_policies, keys=keys), keys)


# -- drafts and versions --------------------------------------------------------------------------------


def _criteria(uow: UnitOfWork, what: str, criteria: Sequence[str]) -> tuple[str, ...]:
    catalog = uow.criteria.catalog()
    found: list[str] = []
    for text in criteria:
        criterion = normalize_criterion_id(text.strip())
        if criterion is None or criterion not in catalog:
            raise ValidationError(what, f"{text.strip()!r} is not a criterion of this project's catalog")
        found.append(criterion)
    return tuple(dict.fromkeys(found))


def _review_months(what: str, months: int) -> int:
    if not isinstance(months, int) or not 1 <= months <= MAX_REVIEW_MONTHS:
        raise ValidationError(what, f"the review cycle must be 1 to {MAX_REVIEW_MONTHS} months, not {months!r}")
    return months


def edit_draft(project: OpenProject, key: str, *, body: str | None = None, title: str | None = None,
               owner: str | None = None, review_months: int | None = None,
               criteria: Sequence[str] | None = None) -> Change[Policy]:
    """Change a policy's draft text or its metadata (None leaves a field as it is); undone by the previous state.

    A policy without a draft gets one, starting from its latest published version: published versions never change.
    """
    with project.uow() as uow:
        before = _policy(uow, key)
        what = f"policy {before.key}"
        draft = before.draft_body
        if draft is None:
            draft = before.latest.body if before.latest is not None else ""
        if body is not None and (fault := too_wide_table(body)):
            raise ValidationError(what, fault)
        after = replace(
            before, draft_body=draft if body is None else body,
            title=before.title if title is None else required(what, "title", title),
            owner=before.owner if owner is None else owner.strip(),
            review_months=before.review_months if review_months is None else _review_months(what, review_months),
            criteria=before.criteria if criteria is None else _criteria(uow, what, criteria))
        uow.policies.update(after)
        uow.commit()
    return Change(POLICIES, partial(restore_draft, expected=after, previous=before), after)


def restore_draft(project: OpenProject, expected: Policy, previous: Policy) -> Change[Policy]:
    """Put a policy's metadata and draft back as they were (the undo of an edit), if nobody changed it since."""
    with project.uow() as uow:
        current = _policy(uow, expected.key)
        if replace(current, versions=()) != replace(expected, versions=()):
            raise moved_on(f"policy {expected.key}", current)
        uow.policies.update(replace(current, **{name: getattr(previous, name) for name in (
            "title", "owner", "review_months", "criteria", "draft_body")}))
        uow.commit()
        after = _policy(uow, expected.key)
    return Change(POLICIES, partial(restore_draft, expected=after, previous=current), after)


def publish(project: OpenProject, key: str, approver: str, effective_on: date | None = None,
            approved_on: date | None = None) -> Change[PolicyVersion]:
    """Freeze a policy's draft as its next version (text hashed with SHA-256), approved by `approver` on
    `approved_on`, in force from `effective_on` (default today); the draft is cleared. The approval defaults to
    today, or to `effective_on` when that is in the past (a version back-dated to when it took effect). Undone by
    withdraw_version while nobody has acknowledged the version."""
    with project.uow() as uow:
        policy = _policy(uow, key)
        what = f"policy {policy.key}"
        signer = required(what, "approver's name", approver)
        if policy.draft_body is None or not policy.draft_body.strip():
            raise ValidationError(what, "has no draft to publish; edit its text first")
        today = uow.now().date()
        effective = effective_on or today
        approved = approved_on or min(effective, today)
        if approved > effective:
            raise ValidationError(what, f"a version takes effect on or after its approval, not before "
                                        f"({effective.isoformat()} is before {approved.isoformat()})")
        latest = policy.latest
        if latest is not None and effective < latest.effective_on:
            raise ValidationError(what, f"version {latest.number + 1} cannot take effect before version "
                                        f"{latest.number} ({latest.effective_on.isoformat()})")
        version = PolicyVersion((latest.number if latest else 0) + 1, policy.draft_body,
                                body_sha256(policy.draft_body), signer, approved, effective, uow.now().isoformat())
        uow.policies.publish(policy.key, version)
        uow.commit()
    return Change(POLICIES, partial(withdraw_version, key=policy.key, number=version.number), version)


def withdraw_version(project: OpenProject, key: str, number: int) -> Change[Policy]:
    """Take back the version just published (the undo of publish): its text becomes the draft again. Refused once
    a later version exists or someone acknowledged it."""
    with project.uow() as uow:
        policy = _policy(uow, key)
        what = f"policy {policy.key}"
        latest = policy.latest
        if latest is None or latest.number != number:
            raise moved_on(f"{what} version {number}", policy)
        if any(a.version == number for a in uow.policies.acknowledgements(policy.key)):
            raise ValidationError(what, f"version {number} has been acknowledged since; it stays published")
        uow.policies.withdraw(policy.key, number, latest.body)
        uow.commit()
        after = _policy(uow, key)
    redo = partial(publish, key=policy.key, approver=latest.approver, effective_on=latest.effective_on,
                   approved_on=latest.approved_on)
    return Change(POLICIES, redo, after)


# -- importing an existing policy -----------------------------------------------------------------------


def policy_control(controls: Sequence[Control]) -> str | None:
    """Return the control an imported PDF policy is evidence of when none is named: the one made from the policy
    review template, else the first whose title speaks of policies; None when there is none."""
    ordered = natural_sorted(controls, key=lambda c: c.ref)
    made = [c.ref for c in ordered if template_key_of(c) == "policy-review"]
    named = [c.ref for c in ordered if "polic" in c.title.casefold()]
    return (made or named or [None])[0]


def import_policy(project: OpenProject, path: Path | str, key: str | None = None,
                  control_ref: str | None = None) -> Change[Policy]:
    """Start a policy from an existing file: Markdown, a Word document (headings become #, list items -) or a PDF
    (kept as evidence of `control_ref`, default the policy control; the draft is its extracted text, noting the
    evidence). The policy's key is `key` or made from the file's title; undone by removing it (and the evidence)."""
    found = read_policy_file(path)
    source = Path(path)
    with project.uow() as uow:
        chosen = policy_key_from(key if key and key.strip() else found.title)  # a key as the templates' are
        if uow.policies.get(chosen) is not None:
            raise DuplicateError(f"policy {chosen}", "is already a policy of this project; give the import another "
                                                     "key")
        catalog = uow.criteria.catalog()
        criteria = tuple(c for c in found.criteria if c in catalog)  # its front matter's, where the catalog has them
        control = control_ref.strip() if control_ref and control_ref.strip() else policy_control(uow.controls.list())
        if found.kind == "pdf" and (control is None or uow.controls.get(control) is None):
            raise ValidationError(str(source), f"{control} is not a control of this project" if control else
                                  "a PDF policy is kept as evidence of a control; name one (--control REF)")
    evidence = None
    if found.kind == "pdf":
        assert control is not None
        evidence = add_evidence_bytes(project, source.name, found.data, EvidenceMeta(
            control, title=f"Policy document: {found.title}", source="Imported policy (PDF)"))
    note = f"imported from {source.name}" + (f" (kept as evidence #{evidence.value.id} of {control})"
                                             if evidence is not None else "")
    policy = Policy(chosen, found.title, found.owner, criteria=criteria, draft_body=found.body, source=note)
    try:
        with project.uow() as uow:
            uow.policies.add(policy)
            uow.commit()
            added = _policy(uow, chosen)
    except BaseException:
        if evidence is not None and evidence.inverse is not None:
            evidence.inverse(project)
        raise
    undo = partial(_remove_import, key=chosen, evidence_id=evidence.value.id if evidence is not None else None)
    return Change(POLICIES | (Touched.EVIDENCE if evidence is not None else Touched.NOTHING), undo, added)


def _remove_import(project: OpenProject, key: str, evidence_id: int | None) -> Change[None]:
    """Undo an import: the policy goes, and the evidence record the PDF became (its redo is not offered)."""
    remove_policies(project, (key,))
    if evidence_id is not None:
        remove_evidence(project, evidence_id)
    return Change(POLICIES | (Touched.EVIDENCE if evidence_id is not None else Touched.NOTHING))


# -- acknowledgements -----------------------------------------------------------------------------------


def record_acknowledgement(project: OpenProject, key: str, person: str, on: date | None = None,
                           version: int | None = None, source: str = BY_HAND) -> Change[Acknowledgement]:
    """Record that a person acknowledged a policy on a day (default today): `version`, or the version in force that
    day. The person is matched to the people register by reference, email or name (kept as written when the
    project has no people). Undone by removing it."""
    with project.uow() as uow:
        policy = _policy(uow, key)
        what = f"policy {policy.key}"
        today = uow.now().date()
        day = on or today
        future = dated_in_future(day, today)
        if future:
            raise ValidationError(what, future)
        name = required(what, "person's name", person)
        people = uow.people.list()
        match = person_named(people, name)
        if people and match is None:
            raise ValidationError(f"person {name!r}", "is not one person of the people register (give their "
                                                      "employee ID, email or full name)")
        chosen = policy.numbered(version) if version is not None else version_signed(policy, day)
        if chosen is None:
            raise ValidationError(what, f"has no version {version}" if version is not None else
                                  f"had no version approved by {day.isoformat()} to acknowledge")
        ack = Acknowledgement(match.ref if match else name, policy.key, chosen.number, day, source.strip())
        (ack_id,) = uow.policies.acknowledge([ack])
        uow.commit()
    recorded = replace(ack, id=ack_id)
    return Change(POLICIES, partial(remove_acknowledgements, ack_ids=(ack_id,)), recorded)


def remove_acknowledgements(project: OpenProject, ack_ids: Sequence[int]) -> Change[tuple[Acknowledgement, ...]]:
    """Remove acknowledgements by id; undone by putting them back."""
    wanted = set(ack_ids)
    with project.uow() as uow:
        removed = tuple(a for a in uow.policies.acknowledgements() if a.id in wanted)
        uow.policies.forget_acknowledgements([a.id for a in removed])
        uow.commit()
    return Change(POLICIES, partial(restore_acknowledgements, acks=removed), removed)


def restore_acknowledgements(project: OpenProject, acks: Sequence[Acknowledgement]) -> Change[tuple[int, ...]]:
    """Put removed acknowledgements back under their ids."""
    with project.uow() as uow:
        ids = tuple(uow.policies.acknowledge(acks))
        uow.commit()
    return Change(POLICIES, partial(remove_acknowledgements, ack_ids=ids), ids)


def who_is_behind(project: OpenProject, on: date | None = None) -> list[Behind]:
    """Return the people employed on a day (default today) who have not acknowledged each policy's version in
    force that day."""
    return list(policy_register(project, on).behind)
