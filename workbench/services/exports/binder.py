"""The verifiable zip binder: one root folder named after the organisation and the period, holding a folder per
control with its evidence, the workbook, a README and SHA256SUMS (whose names are relative to the root folder).

Every member name is made safe here, whatever the original file name: one plain name per file, no folder part,
nothing a Windows, macOS or Linux unzip could read as a path, a device or a hidden file, and no two names in one
folder that a case-insensitive file system would take for the same file.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from workbench.domain.entities import Control, Evidence, Request
from workbench.domain.errors import WorkbenchError
from workbench.domain.testing import Population, PopulationItem, Sample
from workbench.services.exports.cover import MARKING, CoverFacts, cover_facts
from workbench.services.exports.output import Progress, Steps, atomic_output, scratch_file, verified_chunks
from workbench.services.exports.period_marks import period_line, period_tally
from workbench.services.exports.sample_workbook import write_sample_workbook
from workbench.services.exports.snapshot import ExportOptions, ExportSnapshot, take_snapshot
from workbench.services.exports.workbook import workbook_steps, write_workbook
from workbench.services.session import OpenProject

MAX_NAME = 150  # characters of one member name
MAX_NAME_BYTES = 240  # its UTF-8 bytes: most file systems stop at 255
MAX_SUFFIX = 16
FOLDER_TITLE = 48  # characters of a control's title kept in its folder name
ROOT_NAME = 80  # characters of the root folder's name (Windows paths stop at 260 characters in many tools)
README, SUMS, WORKBOOK, CONTROL_NOTE = "README.txt", "SHA256SUMS", "workbook.xlsx", "_control.txt"
SAMPLES = "samples"  # a workbook per sampled control
REQUESTS, REQUEST_NOTE = "requests", "_request.txt"  # a folder per request: copies of the evidence linked to it
WORKBOOK_UNIT_BYTES = 64 * 1024  # progress weight of one workbook step (about 100 rows)
# Already compressed: deflating them again costs time and gains nothing.
STORED_TYPES = frozenset({
    "application/pdf", "application/zip", "application/gzip", "application/x-gzip", "application/x-7z-compressed",
    "application/x-bzip2", "application/x-xz", "application/x-rar-compressed", "application/vnd.rar",
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "image/avif",
})
STORED_PREFIXES = ("video/", "audio/", "application/vnd.openxmlformats-", "application/vnd.oasis.opendocument")
_FORBIDDEN = frozenset('<>:"/\\|?*')
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{kind}{n}" for kind in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"}
)


def _clean(text: str) -> str:
    return _safe_chars(text).strip(". ")


def _safe_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    chars = []
    for char in text:
        if char in _FORBIDDEN or unicodedata.category(char) in _BAD_CATEGORIES:
            chars.append("_")
        elif char.isspace():
            chars.append(" ")
        else:
            chars.append(char)
    return "".join(chars)


def _split_suffix(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and 0 < len(suffix) < MAX_SUFFIX and suffix.isalnum():
        return stem, f".{suffix}"
    return name, ""


def _fit(stem: str, tail: str) -> str:
    """Return stem + tail cut down to MAX_NAME characters and MAX_NAME_BYTES bytes, never cutting the tail."""
    room = MAX_NAME - len(tail)
    stem = stem[:room]
    budget = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", "ignore")
    stem = stem.rstrip(". ")
    return f"{stem}{tail}"


def safe_name(name: str, fallback: str = "file", folder: bool = False) -> str:
    """Return a plain file name made from any text: no folder part, device name, control character or bad length.

    A file name keeps only its last path component ("../../etc/passwd" gives "passwd") and its extension when
    cut short; a folder name made from user text (folder=True) keeps all of it, separators replaced.
    """
    text = name.replace("\\", "/")
    if not folder:
        parts = [p for p in text.split("/") if p.strip(". ")]
        text = parts[-1] if parts else ""
    cleaned = _clean(text) or _clean(fallback) or "file"
    if cleaned.split(".")[0].rstrip(" ").upper() in _RESERVED:
        cleaned = f"_{cleaned}"
    stem, suffix = (cleaned, "") if folder else _split_suffix(cleaned)
    return _fit(stem, suffix) or "file"


class FolderNames:
    """Hands out safe names inside one folder, numbering repeats: "report.pdf", "report (2).pdf", ..."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = set()
        for name in reserved:
            self._taken.add(self._key(name))

    @staticmethod
    def _key(name: str) -> str:
        # Windows and macOS compare names without regard to case (and macOS to normalisation).
        return unicodedata.normalize("NFC", name).casefold()

    def take(self, name: str, fallback: str = "file", folder: bool = False) -> str:
        """Return a safe name for `name` not yet given out in this folder, and remember it."""
        first = safe_name(name, fallback, folder)
        stem, suffix = (first, "") if folder else _split_suffix(first)
        candidate, number = first, 1
        while self._key(candidate) in self._taken:
            number += 1
            candidate = _fit(stem, f" ({number}){suffix}")
        self._taken.add(self._key(candidate))
        return candidate


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _folder_label(control: Control | Request) -> str:
    title = " ".join((control.title if isinstance(control, Control) else control.item).split())
    if len(title) > FOLDER_TITLE:
        cut = title[:FOLDER_TITLE]
        title = cut.rsplit(" ", 1)[0] if " " in cut[FOLDER_TITLE // 2:] else cut
    return f"{control.ref} {title}".strip()


def root_folder(facts: CoverFacts) -> str:
    """Return the binder's root folder name: organisation and period, safe on every system, at most ROOT_NAME long."""
    period = "" if facts.period == "not set" else f" {facts.period}"
    tail = f" - SOC 2{period}"
    organization = " ".join(_safe_chars(facts.organization).split()).lstrip(". ")[:ROOT_NAME - len(tail)].rstrip()
    return safe_name(f"{organization}{tail}" if organization else f"SOC 2 binder{period}", "SOC 2 binder",
                     folder=True)


def _big(size: int) -> bool:
    return size > zipfile.ZIP64_LIMIT // 2


def _compression(media_type: str) -> int:
    if media_type in STORED_TYPES or media_type.startswith(STORED_PREFIXES):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


class _Binder:
    """Writes the members of one binder and keeps the SHA-256 of each for SHA256SUMS."""

    def __init__(self, archive: zipfile.ZipFile, steps: Steps, root: str) -> None:
        self.archive, self.steps, self.root = archive, steps, root
        self.sums: list[tuple[str, str]] = []  # names relative to the root folder, as sha256sum -c reads them there
        self.stamp = max(time.localtime()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
        self._folder_entry(root)

    def _info(self, name: str, compression: int, size: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.root}/{name}", date_time=self.stamp)  # type: ignore[arg-type]
        info.compress_type = compression
        info.external_attr = (0o100644 << 16)
        info.file_size = size
        return info

    def folder(self, name: str) -> None:
        self._folder_entry(f"{self.root}/{name}")

    def _folder_entry(self, name: str) -> None:
        info = zipfile.ZipInfo(f"{name}/", date_time=self.stamp)  # type: ignore[arg-type]
        info.external_attr = (0o40755 << 16) | 0x10
        self.archive.writestr(info, b"")

    def text(self, name: str, text: str) -> None:
        data = text.encode("utf-8")
        self.archive.writestr(self._info(name, zipfile.ZIP_DEFLATED, len(data)), data)
        self.sums.append((hashlib.sha256(data).hexdigest(), name))

    def file(self, name: str, path: Path) -> None:
        size = path.stat().st_size
        digest = hashlib.sha256()
        with path.open("rb") as source, self.archive.open(self._info(name, zipfile.ZIP_STORED, size), "w",
                                                          force_zip64=_big(size)) as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                target.write(chunk)
        self.sums.append((digest.hexdigest(), name))

    def evidence(self, project: OpenProject, name: str, item: Evidence) -> None:
        info = self._info(name, _compression(item.media_type), item.size)
        with self.archive.open(info, "w", force_zip64=_big(item.size)) as target:
            # verified_chunks raises after the last chunk when the bytes do not match; atomic_output then
            # discards the whole archive, so a changed file never reaches the user.
            for chunk in verified_chunks(project, item):
                target.write(chunk)
                self.steps.advance(len(chunk))
        self.sums.append((item.sha256, name))
        self.steps.advance()

    def checksums(self) -> None:
        lines = "".join(f"{digest}  {name}\n" for digest, name in self.sums)
        self.archive.writestr(self._info(SUMS, zipfile.ZIP_DEFLATED, 0), lines.encode("utf-8"))


def _covered(item: Evidence) -> str:
    if item.period_start is None and item.period_end is None:
        return "not given"
    return f"{_day(item.period_start)} to {_day(item.period_end)}"


def _control_note(snapshot: ExportSnapshot, control: Control, placed: list[tuple[str, Evidence]],
                  sample: str | None = None) -> str:
    lines = [f"Control {control.ref}: {control.title}", "",
             f"Owner: {control.owner or '-'}",
             f"Frequency: {control.frequency.label if control.frequency else '-'}",
             f"Status: {control.status.label}",
             f"Criteria: {', '.join(control.criteria) or 'none'}", ""]
    if sample is not None:
        lines += [f"Sample workbook: {sample} (population, sample, method and seed, results)", ""]
    if control.description.strip():
        lines += ["Description:", control.description.strip(), ""]
    if not placed:
        lines.append("No evidence in this binder.")
    for name, item in placed:
        lines += [f"{name}", f"  title: {item.title}", f"  original file name: {item.filename!r}",
                  f"  collected: {_day(item.collected_on)}; period covered: {_covered(item)}",
                  f"  audit period: {period_line(snapshot, item)}",
                  f"  size: {item.size} bytes; SHA-256: {item.sha256}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _against_period(snapshot: ExportSnapshot) -> str:
    if snapshot.period is None:
        return "The project has no audit period set, so no item could be placed against it."
    return f"Here: {period_tally(snapshot)}."


def _readiness(snapshot: ExportSnapshot) -> str:
    if snapshot.options.include_readiness:
        return ("Management's own readiness self-assessment is included, as asked: the workbook's criteria "
                "coverage\nand open-gaps sheets.")
    return ("Management's own readiness self-assessment is left out of this binder (it is management's view, "
            "not\nevidence); an export made with --include-readiness adds it to the workbook.")


def _readme(snapshot: ExportSnapshot, facts: CoverFacts, root: str, notices: list[str]) -> str:
    lines = [
        "SOC 2 evidence binder",
        "=====================",
        MARKING,
        "",
        f"This archive holds the evidence of a SOC 2 examination, made by SOC 2 Workbench, in one folder: {root}/",
        "",
        f"  <control ref> <title>/  one folder per control: its evidence files and {CONTROL_NOTE}, which lists each",
        "                          file with its original name, dates, place in the audit period and SHA-256",
        f"  {SAMPLES}/                a workbook per sampled control (<control ref>.xlsx): the population, the sample",
        "                          with its method and seed (so the selection can be redone), each item's result",
        "                          and tickmark, the evidence it rests on with SHA-256, and a tickmark legend",
        f"  {REQUESTS}/<request ID> <item>/",
        "                          one folder per request on the request list: copies of the evidence linked to",
        f"                          that request itself, and {REQUEST_NOTE} with the request, each file's control,",
        "                          and the folder of the request's control (whose evidence is not copied again)",
        "  workbook.xlsx           the workbook for the CPA firm: a cover sheet, controls, evidence index, requests",
        "  README.txt, SHA256SUMS  this file, and the SHA-256 of every other file",
        "",
        f"Organisation:           {facts.organization}",
        f"System:                 {facts.system}",
        f"Report:                 {facts.report}",
        f"Categories:             {facts.categories}",
        f"Period:                 {facts.period}",
        f"Generated on:           {facts.generated_on}",
        f"Covers:                 {snapshot.options.covers('-')}",
        f"Controls:               {len(snapshot.controls)}",
        f"Evidence files:         {len(snapshot.evidence)}",
        f"Audit-trail chain head: {facts.chain_head} ({facts.audit_entries} entries)",
        f"Manifest SHA-256:       {facts.manifest}",
        "                        (the workbook's cover sheet and the PDF evidence package of the same export show",
        "                        the same value)",
        "",
        "Files were renamed where their original names could not be used safely in a folder; each control",
        f"folder's {CONTROL_NOTE} lists every file with its original name, dates and SHA-256.",
        "Each evidence file's bytes were checked against their SHA-256 when this binder was made.",
        "",
        "Against the audit period, every evidence item is marked in period, OUT OF PERIOD or undated, with the",
        f"days it reflects (its stated range, else the day it was received): in {CONTROL_NOTE} and in the",
        f"workbook's \"In period\" column. {_against_period(snapshot)}",
        "",
        _readiness(snapshot),
        "",
        "How to verify",
        "-------------",
        f"Unzip the archive, open a terminal in its folder ({root}) and run:",
        "",
        "    sha256sum -c SHA256SUMS            (Linux)",
        "    shasum -a 256 -c SHA256SUMS        (macOS)",
        "",
        "Every line must end in OK. On Windows, `Get-FileHash -Algorithm SHA256 <file>` in PowerShell prints",
        "a file's SHA-256 to compare with its line in SHA256SUMS.",
    ]
    if notices:
        lines += ["", "Notes on the workbook", "---------------------", *notices]
    return "\n".join(lines) + "\n"


def _drawn_from(project: OpenProject, sample: Sample) -> tuple[Population | None, list[PopulationItem]]:
    from workbench.services.samples import drawn_from

    try:
        return drawn_from(project, sample.control_ref)
    except WorkbenchError:  # the windows it was drawn from are gone (the period changed): show the sample alone
        return None, [PopulationItem(item.key, item.day) for item in sample.items]


def _write_workbook(snapshot: ExportSnapshot, facts: CoverFacts, path: Path, steps: Steps) -> list[str]:
    """Write the workbook into a temporary file beside the binder; return its text notices."""

    def forward(_done: int, _total: int) -> bool:
        steps.advance(WORKBOOK_UNIT_BYTES)  # raises ExportCancelled when the user stops
        return True

    notices = write_workbook(snapshot, path, Steps(steps.destination, workbook_steps(snapshot), forward), facts)
    return [str(n) for n in notices]


def _request_note(snapshot: ExportSnapshot, request: Request, placed: list[tuple[str, Evidence]],
                  control_folders: dict[str, str]) -> str:
    lines = [f"Request {request.ref}: {request.item}", "",
             f"Criteria: {', '.join(request.tsc_refs) or '-'}",
             f"Control: {request.control_ref or '-'}",
             f"Owner: {request.owner or '-'}",
             f"Due: {_day(request.due)}",
             f"Status: {request.status.label}" + (f"; auditor: {request.auditor_status}" if request.auditor_status
                                                   else ""), ""]
    if request.description.strip():
        lines += ["Description:", request.description.strip(), ""]
    if request.control_ref and request.control_ref in control_folders:
        lines += [f"The control's own evidence is in its folder: {control_folders[request.control_ref]}/", ""]
    shown = {item.id for _, item in placed}
    missing = [i for i in request.evidence_ids if i not in shown]
    if not placed:
        lines.append("No evidence linked to this request is in this binder.")
    for name, item in placed:
        lines += [name, f"  title: {item.title}", f"  original file name: {item.filename!r}",
                  f"  filed under control: {item.control_ref}",
                  f"  audit period: {period_line(snapshot, item)}",
                  f"  size: {item.size} bytes; SHA-256: {item.sha256}", ""]
    if missing:
        lines.append(f"Linked but not in this binder (left out by the export's narrowing): evidence "
                     f"{', '.join(f'#{i}' for i in missing)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _requests_kept(snapshot: ExportSnapshot) -> list[Request]:
    """Return the requests given a folder: all of them, or in a narrowed binder those touching what it holds."""
    if snapshot.options == ExportOptions(include_readiness=snapshot.options.include_readiness):
        return list(snapshot.requests)
    refs = {c.ref for c in snapshot.controls}
    exported = {e.id for e in snapshot.evidence}
    return [r for r in snapshot.requests if r.control_ref in refs or exported.intersection(r.evidence_ids)]


def _all_evidence(project: OpenProject) -> dict[int, Evidence]:
    """Return every evidence item by id: a sample's result may rest on evidence filed under another control."""
    with project.uow() as uow:
        return {e.id: e for e in uow.evidence.list()}


def export_zip(project: OpenProject, destination: Path | str, options: ExportOptions | None = None,
               progress: Progress | None = None, today: date | None = None) -> Path:
    """Write the zip binder; every evidence file is checked against its SHA-256 as it is streamed in."""
    destination = Path(destination)
    snapshot = take_snapshot(project, options, today)
    by_control: dict[str, list[Evidence]] = {}
    for item in snapshot.evidence:
        by_control.setdefault(item.control_ref, []).append(item)
    exported = {e.id: e for e in snapshot.evidence}
    requests = _requests_kept(snapshot)
    linked = [[exported[i] for i in dict.fromkeys(r.evidence_ids) if i in exported] for r in requests]
    total = (sum(e.size + 1 for e in snapshot.evidence) + workbook_steps(snapshot) * WORKBOOK_UNIT_BYTES
             + sum(e.size + 1 for items in linked for e in items)
             + len(snapshot.controls) + len(snapshot.samples) + len(requests) + 1)
    steps = Steps(destination, total, progress)
    with atomic_output(destination) as temporary, scratch_file(destination) as workbook:
        facts = cover_facts(snapshot)
        notices = _write_workbook(snapshot, facts, workbook, steps)
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            root_name = root_folder(facts)
            archive.comment = f"{MARKING}. SOC 2 evidence binder; manifest SHA-256 {facts.manifest}".encode()
            binder = _Binder(archive, steps, root_name)
            binder.text(README, _readme(snapshot, facts, root_name, notices))
            binder.file(WORKBOOK, workbook)
            root = FolderNames([README, SUMS, WORKBOOK, SAMPLES, REQUESTS])
            in_samples = FolderNames()
            # A ref such as "REV/1" is made safe as a folder name would be, so no part of it is dropped.
            sample_names = {s.control_ref: f"{SAMPLES}/" + in_samples.take(
                safe_name(s.control_ref, "sample", folder=True) + ".xlsx") for s in snapshot.samples}
            places: dict[int, str] = {}
            control_folders: dict[str, str] = {}
            for control in snapshot.controls:
                folder = root.take(_folder_label(control), fallback=f"control {control.id}", folder=True)
                control_folders[control.ref] = folder
                binder.folder(folder)
                names = FolderNames([CONTROL_NOTE])
                placed: list[tuple[str, Evidence]] = []
                for item in by_control.get(control.ref, ()):
                    name = names.take(item.filename, fallback=f"evidence-{item.id}")
                    binder.evidence(project, f"{folder}/{name}", item)
                    placed.append((name, item))
                    places[item.id] = f"{folder}/{name}"
                binder.text(f"{folder}/{CONTROL_NOTE}",
                            _control_note(snapshot, control, placed, sample_names.get(control.ref)))
                steps.advance()
            if snapshot.samples:
                binder.folder(SAMPLES)
                known = _all_evidence(project)
                for sample in snapshot.samples:
                    population, items = _drawn_from(project, sample)
                    with scratch_file(destination) as book:
                        write_sample_workbook(book, sample, items, population, known, places, snapshot.period)
                        binder.file(sample_names[sample.control_ref], book)
                    steps.advance()
            if requests:
                binder.folder(REQUESTS)
                in_requests = FolderNames()
                for request, items in zip(requests, linked, strict=True):
                    folder = f"{REQUESTS}/" + in_requests.take(_folder_label(request), f"request {request.id}",
                                                               folder=True)
                    binder.folder(folder)
                    names = FolderNames([REQUEST_NOTE])
                    placed = []
                    for item in items:
                        name = names.take(item.filename, fallback=f"evidence-{item.id}")
                        binder.evidence(project, f"{folder}/{name}", item)
                        placed.append((name, item))
                    binder.text(f"{folder}/{REQUEST_NOTE}", _request_note(snapshot, request, placed,
                                                                          control_folders))
                    steps.advance()
            binder.checksums()
        steps.advance()
    return destination
