"""`workbench check`: database integrity, evidence hashes and the audit-trail chain."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.audit_chain import first_chain_break
from workbench.services.session import OpenProject


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    problem: str | None

    @property
    def ok(self) -> bool:
        """Return True when this check found nothing wrong."""
        return self.problem is None


def check_project(project: OpenProject) -> list[CheckResult]:
    """Run every check and return their results; a sound project has no problems."""
    results = [CheckResult("database integrity", project.file.integrity_problem())]
    with project.uow() as uow:
        results.append(CheckResult("evidence hashes", next(uow.evidence.blob_problems(), None)))
        chain = first_chain_break(uow.audit.entries(), uow.audit.recorded_head())
        results.append(CheckResult("audit trail chain", chain))
        if uow.encrypted:
            results.append(CheckResult("encrypted text", next(uow.damaged_text(), None)))
    return results


def project_digest(project: OpenProject) -> str:
    """Return the digest of the project's whole content (equal projects have equal digests)."""
    return project.file.content_digest()
