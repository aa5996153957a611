"""What every deliverable of one export prints on its cover, computed once: the PDF package, the xlsx workbook and
the zip binder show the same organisation, period, manifest hash and audit-trail chain head."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from workbench.services.evidence import safe_filename
from workbench.services.exports.snapshot import ExportSnapshot, period_words

MARKING = "Confidential"
_NUMBERS = re.compile(r"\d+")


def manifest_hash(snapshot: ExportSnapshot) -> str:
    """Return the SHA-256 of the export's canonical manifest (the package, workbook and binder print the same).

    The manifest is UTF-8 text, one line per line-feed-terminated entry, sorted: `control <ref>` for every
    exported control and `<sha256>  <control ref>/<safe file name>` for every exported evidence item.
    """
    lines = [f"control {control.ref}" for control in snapshot.controls]
    lines += [f"{e.sha256}  {e.control_ref}/{safe_filename(e)}" for e in snapshot.evidence]
    manifest = "".join(f"{line}\n" for line in sorted(lines))
    return hashlib.sha256(manifest.encode("utf-8", "surrogateescape")).hexdigest()


def catalog_words(name: str, version: str) -> str:
    """Return the criteria catalog in words, its version named once: "2017 TSC (2022 revised ...)" not twice."""
    name, version = " ".join(name.split()), " ".join(version.split())
    if not version or version in name or (_NUMBERS.findall(version)
                                           and all(n in _NUMBERS.findall(name) for n in _NUMBERS.findall(version))):
        return name or version
    return f"{name} (version {version})" if name else version


@dataclass(frozen=True, slots=True)
class CoverFacts:
    """The facts on every cover of one export."""

    organization: str
    system: str
    report: str  # "SOC 2 Type II"
    categories: str
    period: str  # "2026-04-01 to 2026-09-30", "as of 2026-06-30" or "not set"
    generated_on: str
    manifest: str
    chain_head: str
    audit_entries: int

    @property
    def header(self) -> str:
        """Return the running header of every page: organisation, report and period."""
        period = self.period if self.period != "not set" else "audit period not set"
        return " ".join(f"{self.organization} · {self.report} · {period}".split())

    def title(self, deliverable: str) -> str:
        """Return a document title naming the organisation, e.g. "SOC 2 evidence package: Brightpath"."""
        organization = " ".join(self.organization.split())
        return f"{deliverable}: {organization}" if organization else deliverable

    def rows(self) -> list[tuple[str, str]]:
        """Return the facts as (label, value) rows, in the order the covers print them."""
        return [("Organisation", self.organization), ("System", self.system), ("Report", self.report),
                ("Categories", self.categories), ("Audit period", self.period), ("Generated on", self.generated_on),
                ("Manifest SHA-256", self.manifest),
                ("Audit-trail chain head", f"{self.chain_head} ({self.audit_entries} entries)")]


def cover_facts(snapshot: ExportSnapshot) -> CoverFacts:
    """Return the cover facts of an export (the manifest hash of exactly what it holds)."""
    settings = snapshot.settings
    return CoverFacts(
        organization=settings.organization, system=settings.system_name,
        report=f"SOC 2 {settings.report_type.label}", categories=", ".join(c.label for c in settings.categories),
        period=period_words(settings, "?"), generated_on=snapshot.generated_on.isoformat(),
        manifest=manifest_hash(snapshot), chain_head=snapshot.chain_head, audit_entries=snapshot.audit_entries)
