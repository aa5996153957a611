"""Brightpath's policies for the sample: every bundled template adapted with the company's names and approved by the
CEO as one set in February 2026, the two written first (acceptable use, information security) in force since October
2025 and revised then; the staff's signatures as the e-signature tool exports them (everyone signs at rollout or within
days of joining; two people have not signed the revised versions).
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sample_people as people

from workbench.domain.people import Person
from workbench.domain.policies import employed_on
from workbench.services import policies
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import spec_named
from workbench.services.session import OpenProject

APPROVER = "Marcus Oyelaran (CEO)"
# The names the templates leave to fill in, as Brightpath filled them.
FILLED = {
    "ceo": APPROVER, "security_lead": "Tomas Ferreira (Security Lead)",
    "engineering_lead": "Elena Kowalczyk (VP Engineering)", "people_lead": "Dana Whitfield (Head of People)",
    "cloud_provider": "AWS", "code_host": "GitHub", "identity_provider": "Okta", "password_manager": "1Password",
    "security_email": "security@brightpath.example.com", "ticket_system": "Jira",
}


@dataclass(frozen=True)
class Release:
    """A version as published: approved on one day, in force from another; `note` is what changed (v2 onwards)."""

    approved_on: date
    effective_on: date
    note: str = ""


FIRST = Release(date(2025, 9, 22), date(2025, 10, 1))  # the two policies Brightpath wrote first
REVIEWED = Release(date(2026, 2, 27), date(2026, 3, 2))  # the whole set, approved by the CEO (GV-01)
# The policies revised at the February 2026 review, with what changed.
REVISIONS = {
    "information-security": "Revised at the February 2026 review: the Compliance Manager now keeps the policy set "
                            "and the risk register, and exceptions are tracked in Jira with an expiry date.",
    "acceptable-use": "Revised at the February 2026 review: personal AI assistants may not be given customer data or "
                      "source code; the approved tools are listed on the intranet.",
}
# Current staff who have not signed the revised versions: the two people behind.
BEHIND = ("E-1023", "E-1045")
SIGN_HEADERS = ("Envelope ID", "Signer email", "Document", "Version", "Date signed")


def filled(body: str) -> str:
    """Return a template's text with Brightpath's names in place of the placeholders."""
    for name, value in FILLED.items():
        body = body.replace("{{" + name + "}}", value)
    return body


def revised(body: str, note: str) -> str:
    """Return a policy's text with its revision note added at the end."""
    return f"{body.rstrip()}\n\n## Changes in this version\n\n{note}\n"


def releases(key: str) -> list[Release]:
    """Return a policy's versions, oldest first: the revised two began in October 2025, the rest in March 2026."""
    return [FIRST, REVIEWED] if key in REVISIONS else [REVIEWED]


def _staff() -> list[tuple[str, str, date, date | None]]:
    """Return (employee ID, email, start, end) of everyone on the HR system's export."""
    rows = people.ROSTER_ROWS[1:]
    return [(row[0], row[2], date.fromisoformat(row[6]), date.fromisoformat(row[7]) if row[7] else None)
            for row in rows]


def signature_rows(policy_keys: list[str]) -> list[tuple[str, ...]]:
    """Return the signatures: at rollout (staff then employed, spread over two weeks) or three days after joining,
    for every version of every policy, except the revised versions for the people in BEHIND."""
    rows: list[tuple[str, ...]] = [SIGN_HEADERS]
    for ref, email, start, end in _staff():
        person = Person(id=0, ref=ref, name=ref, start_date=start, end_date=end)
        for key in policy_keys:
            ordered = releases(key)
            for number, release in enumerate(ordered, start=1):
                following = ordered[number].effective_on if number < len(ordered) else None
                if number == 2 and ref in BEHIND:
                    continue
                if employed_on(person, release.effective_on):
                    day = release.effective_on + timedelta(days=int(ref[-2:]) % 14)
                elif start > release.effective_on and (following is None or start < following):
                    day = start + timedelta(days=3)
                else:
                    continue
                if end is not None and day > end:
                    day = end
                rows.append((f"ENV-{ref}-{key}-{number}", email, key, str(number), day.isoformat()))
    return rows


def add_policies(project: OpenProject) -> None:
    """Add every template as Brightpath's policy, publish the first versions and the two revisions, and import the
    signatures."""
    keys = list(policies.add_policies(project, policies.all_template_keys()).value.added)
    for key in keys:
        draft = policies.get_policy(project, key).draft_body or ""
        policies.edit_draft(project, key, body=filled(draft))
        first = releases(key)[0]
        policies.publish(project, key, APPROVER, first.effective_on, first.approved_on)
    for key, note in REVISIONS.items():
        policies.edit_draft(project, key, body=revised(policies.get_policy(project, key).latest.body, note))
        policies.publish(project, key, APPROVER, REVIEWED.effective_on, REVIEWED.approved_on)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "policy-signatures.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(signature_rows(keys))
        result = import_register(project, spec_named("acknowledgements"), source)
        assert not result["problems"] or all(p["level"] != "error" for p in result["problems"]), result["problems"]
