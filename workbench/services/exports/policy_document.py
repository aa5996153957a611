"""A policy, or the whole set, as a document (PDF or DOCX): the approval facts first, then the policy's text.

A policy exports its latest published version; one never published exports its draft, marked DRAFT throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.domain.documents import Block, Document, Heading, PageBreak, Table
from workbench.domain.errors import ValidationError
from workbench.domain.policies import Policy, body_sha256, review_due
from workbench.services.exports.chain_head import chain_head_of, stamped
from workbench.services.exports.documents import document_format, write_document
from workbench.services.exports.markdown_blocks import markdown_blocks
from workbench.services.policies import get_policy
from workbench.services.session import OpenProject

DRAFT = "DRAFT"
MARKING = "Confidential"
NOT_YET = "not yet (draft)"


def policy_facts(policy: Policy) -> tuple[tuple[str, str], ...]:
    """Return what a policy's first page states: version, approval, effective date, owner, review, hash, criteria."""
    latest = policy.latest
    owner, criteria = policy.owner or "not named", ", ".join(policy.criteria) or "none named"
    if latest is None:
        body = policy.draft_body or ""
        return (("Version", f"{DRAFT}: not approved"), ("Approved by", NOT_YET), ("Approval date", NOT_YET),
                ("Effective date", NOT_YET), ("Owner", owner), ("Next review", f"{policy.review_months} months after "
                                                                               "it takes effect"),
                ("SHA-256", f"{body_sha256(body)} (of the draft)"), ("Criteria", criteria))
    due = review_due(policy, latest.effective_on)
    return (("Version", str(latest.number)), ("Approved by", latest.approver),
            ("Approval date", latest.approved_on.isoformat()), ("Effective date", latest.effective_on.isoformat()),
            ("Owner", owner), ("Next review", due.isoformat() if due else ""), ("SHA-256", latest.sha256),
            ("Criteria", criteria))


def policy_text(policy: Policy) -> str:
    """Return the text a policy exports: its latest published version's, else its draft's."""
    return policy.latest.body if policy.latest is not None else policy.draft_body or ""


def _body_blocks(policy: Policy) -> list[Block]:
    """Return a policy's text as blocks, without a first heading that only repeats its title."""
    blocks = list(markdown_blocks(policy_text(policy)))
    if blocks and isinstance(blocks[0], Heading) and blocks[0].text.strip().casefold() == policy.title.casefold():
        blocks = blocks[1:]
    return blocks


def _title(policy: Policy) -> str:
    return policy.title + (f" ({DRAFT})" if policy.latest is None else "")


def policy_document(policy: Policy, organization: str) -> Document:
    """Return one policy as a document: its facts on the first page, then its text."""
    draft = policy.latest is None
    return Document(_title(policy), organization, policy_facts(policy), tuple(_body_blocks(policy)),
                    organization, f"{policy.title}, version " + (DRAFT if draft else str(policy.latest.number)),
                    ("SOC 2", "policy", policy.key) + ((DRAFT,) if draft else ()),
                    f"{MARKING} - {DRAFT}" if draft else MARKING)


def policies_document(policies: Sequence[Policy], organization: str) -> Document:
    """Return the whole set as one document: a list of the policies first, then each from a new page."""
    drafts = [p for p in policies if p.latest is None]
    contents = Table(("Policy", "Version", "Effective", "Owner"), tuple(
        (p.title, DRAFT if p.latest is None else str(p.latest.number),
         "" if p.latest is None else p.latest.effective_on.isoformat(), p.owner) for p in policies), (2.4, 0.8, 1, 1.6))
    blocks: list[Block] = [Heading("Contents", 1), contents]
    for policy in policies:
        facts = Table(("Item", "Detail"), tuple(policy_facts(policy)), (1.0, 2.5))
        blocks += [PageBreak(), Heading(_title(policy), 1), facts, *_body_blocks(policy)]
    published = len(policies) - len(drafts)
    facts = (("Policies", str(len(policies))), ("Published", str(published)), ("Drafts only", str(len(drafts))))
    return Document("Policies", organization, facts, tuple(blocks), organization, "The company's policies",
                    ("SOC 2", "policies"), f"{MARKING} - contains {DRAFT}S" if drafts else MARKING)


def export_policies(project: OpenProject, destination: Path | str, key: str | None = None) -> Path:
    """Write one policy (by key) or every policy as PDF or DOCX by the extension; return the path written."""
    return write_policies(project, destination, key)[0]


def write_policies(project: OpenProject, destination: Path | str,
                   key: str | None = None) -> tuple[Path, tuple[str, ...]]:
    """Write one policy (by key) or every policy as PDF or DOCX; return the path and what its reader should be told
    (the characters a PDF's font cannot show). The file names the audit-trail chain head as its last first-page fact
    and among its keywords."""
    document_format(destination)
    with project.uow() as uow:
        organization = uow.settings.get().organization
        policies = sorted(uow.policies.list(), key=lambda p: p.title.casefold())
        chain = chain_head_of(uow)
    if key is not None:
        document = policy_document(get_policy(project, key), organization)
    else:
        if not policies:
            raise ValidationError("export policies", "the project has no policies yet; add some from the templates")
        document = policies_document(policies, organization)
    warnings = write_document(stamped(document, chain), destination)
    return Path(destination), warnings
