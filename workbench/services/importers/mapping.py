"""Guessing which column holds which control field, from header names (synonyms, fuzzy match) and content."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from workbench.domain.criteria_cells import looks_like_criteria
from workbench.domain.errors import WorkbenchError

FIELDS: tuple[str, ...] = ("ref", "title", "description", "owner", "frequency", "criteria", "status", "nature", "notes")
# The order in which fields pick their column: the most telling first.
_PICK_ORDER = ("criteria", "ref", "title", "description", "owner", "frequency", "status", "nature", "notes")
THRESHOLD = 0.6
META_PREFIX = "import.mapping."

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref", "ref #", "reference", "control ref", "control reference", "control id", "control no",
        "control number", "control #", "ctrl #", "ctrl id", "ctrl ref", "ctrl no", "id", "#", "no", "number",
        "control code", "ref id", "scf #", "control key", "identifier", "control identifier", "key",
        "control ref #", "item #",
    ),
    "title": (
        "title", "control title", "control name", "name", "control", "control activity", "activity",
        "short description", "summary", "scf control", "control summary", "control heading", "headline",
    ),
    "description": (
        "description", "control description", "control activity description", "details", "control details",
        "detailed description", "narrative", "control narrative", "procedure", "control procedure",
        "control statement", "secure controls framework scf control description", "control text",
        "activity description", "control objective",
    ),
    "owner": (
        "owner", "control owner", "responsible", "responsible party", "responsibility", "assignee",
        "assigned to", "accountable", "owner name", "process owner", "performed by", "performer",
        "responsible team", "owner team", "accountable party",
    ),
    "frequency": (
        "frequency", "freq", "control frequency", "how often", "cadence", "periodicity", "recurrence",
        "frequency of control", "timing",
    ),
    "criteria": (
        "criteria", "tsc", "tsc ref", "tsc refs", "tsc reference", "tsc references", "trust services criteria",
        "trust service criteria", "trust services criterion", "soc 2", "soc2", "soc 2 ref", "soc 2 ref #",
        "soc 2 refs", "soc 2 mapping", "soc2 control", "soc 2 control", "soc 2 criteria", "soc2 criteria",
        "aicpa tsc", "aicpa tsc 2017 soc 2", "aicpa soc 2", "framework mappings", "framework mapping",
        "mapped criteria", "criterion", "common criteria", "tsc mapping", "soc 2 tsc", "tsc id", "criteria id",
        "soc tsc common criteria", "requirements id", "soc 2 reference", "criteria mapping", "tsc 2017",
    ),
    "status": (
        "status", "implementation status", "control status", "state", "implementation state",
        "implemented", "in place",
    ),
    "nature": (
        "nature", "control nature", "manual automated", "manual or automated", "automation", "automated",
        "control type", "type", "automated manual",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "observation", "observations", "additional notes",
        "additional information",
    ),
}
# Words that name a field only when they are the whole header ("Type" may be nature; "Mapping Type" is not).
_GENERIC = frozenset({"type", "id", "no", "number", "name", "key", "state", "#", "activity", "timing", "note",
                      "summary", "automated", "implemented", "in place", "automation", "ref"})
_CRITERIA_WORDS = re.compile(r"\b(tsc|soc ?2|soc|aicpa|trust services?|criteria|criterion)\b")
# "CCF ID", "ERL #": a word and an ID word name the register's own ID, unless the word names something else.
_ID_WORDS = frozenset({"id", "#", "no", "number", "code", "key"})
_NOT_OWN = frozenset({
    "tsc", "soc", "soc2", "aicpa", "criteria", "criterion", "iso", "nist", "pci", "cis", "hipaa", "gdpr", "cobit",
    "ccm", "csa", "fedramp", "mlps", "hitrust", "ssae", "cmmc", "risk", "risks", "vendor", "asset", "policy",
    "evidence", "ticket", "jira", "user", "employee", "parent", "related", "mapped", "linked", "row", "line", "page",
    "version", "sheet", "file", "document", "doc", "test", "sample", "finding", "issue", "incident", "change", "system",
    "application", "app", "project", "task", "owner", "phone", "serial", "account", "tax", "order", "sort",
})
# Words that make an ID header a reference to something else: "MLPS Ref #" is another framework's id.
_REFERENCE_WORDS = frozenset({"ref", "refs", "reference", "references"})
OWN_ID_SCORE = 0.75
FOREIGN_REF_SCORE = 0.62


def own_id_score(header: str) -> float:
    """Return OWN_ID_SCORE for a normalized header naming the register's own ID ("ccf id", "erl #"), else 0."""
    words = header.split()
    if len(words) == 2 and words[1] in _ID_WORDS and words[0].isalpha() and 2 <= len(words[0]) <= 12 \
            and words[0] not in _NOT_OWN and words[0] not in _ID_WORDS:
        return OWN_ID_SCORE
    return 0.0


def is_foreign_reference(header: str) -> bool:
    """Return True for a normalized header that names references into something else ("mlps ref #")."""
    words = header.split()
    return len(words) >= 2 and bool(_REFERENCE_WORDS & set(words)) and not {"control", "ctrl"} & set(words)


def normalize_header(text: object) -> str:
    """Return a header reduced to lowercase words: "TSC Ref(s)" -> "tsc refs", "Ctrl #" -> "ctrl #"."""
    value = "" if text is None else str(text)
    value = value.replace("(s)", "s").replace("(S)", "s").lower().replace("#", " # ")
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", value).split())


def display_header(text: object) -> str:
    """Return a header as shown in results: its lines joined by single spaces."""
    return " ".join(("" if text is None else str(text)).split())


_NORMALIZED = {field: tuple(normalize_header(s) for s in synonyms) for field, synonyms in _SYNONYMS.items()}


@lru_cache(maxsize=65536)
def field_score(field: str, header: str) -> float:
    """Return how strongly a normalized header names a field, 0..1."""
    if not header or len(header) > 80:
        return 0.0
    best = 0.0
    words = header.split()
    padded = f" {header} "
    for synonym in _NORMALIZED[field]:
        if header == synonym:
            best = 1.0
            break
        if f" {synonym} " in padded:
            partial = 0.5 + 0.4 * len(synonym.split()) / len(words)
            best = max(best, min(partial, 0.55) if synonym in _GENERIC else partial)
        elif len(words) <= 5 and len(header) > 3 and len(synonym) > 3 and \
                0.8 * len(header) <= len(synonym) <= 1.25 * len(header):
            matcher = SequenceMatcher(None, header, synonym)
            if matcher.real_quick_ratio() < 0.9 or matcher.quick_ratio() < 0.9:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.9:
                best = max(best, 0.8 * ratio)
    if field == "ref" and best < 1.0:
        if best < 0.65 and len(words) >= 2 and words[-1] in ("control", "ctrl"):
            best = 0.65  # "ISO Control", "NIST Control": the other framework's identifier
        if is_foreign_reference(header):
            best = min(best, FOREIGN_REF_SCORE)
        best = max(best, own_id_score(header))
    if field == "criteria":
        if best == 0.0 and _CRITERIA_WORDS.search(header):
            best = 0.62
        if best:
            if "2016" in words:
                best *= 0.5
            elif "2017" in words or "2022" in words:
                best = min(1.0, best + 0.05)
    return best


def foreign_headers(headers: Sequence[str], own: Callable[[str], float], other: Callable[[str], float]) -> int:
    """Return how many headers name a field of another kind of table and none of this kind's (by normalized text)."""
    count = 0
    for header in headers:
        normalized = normalize_header(header)
        if other(normalized) >= THRESHOLD and own(normalized) < THRESHOLD:
            count += 1
    return count


def control_only_score(header: str) -> float:
    """Return how strongly a normalized header names a field only a control register has (title, frequency...)."""
    return max(field_score(field, header) for field in ("title", "frequency", "nature"))


def best_field(header: str) -> float:
    """Return the best score of a normalized header over all fields (how header-like it is)."""
    return max(field_score(field, header) for field in FIELDS)


def criteria_share(values: Sequence[object]) -> tuple[int, int]:
    """Return (cells holding a criterion id, non-blank cells) among sample values."""
    hits = filled = 0
    for value in values:
        if value is None or value == "":
            continue
        text = value if isinstance(value, str) else str(value)
        if not text.strip():
            continue
        filled += 1
        if looks_like_criteria(text):
            hits += 1
    return hits, filled


def _key_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def key_quality(values: Sequence[object]) -> float:
    """Return 0..1, how much a column's sample looks like a register's keys: filled, unique, one value per cell.

    A row counter (1, 2, 3 ...) scores 0: it numbers the rows of this sheet, the register's ID is elsewhere.
    """
    texts = [_key_text(v) for v in values]
    filled = [t for t in texts if t]
    if len(filled) < 3:
        return 1.0
    if all(t.isdigit() for t in filled) and [int(t) for t in filled] == list(
            range(int(filled[0]), int(filled[0]) + len(filled))):
        return 0.0
    single = sum(1 for t in filled if not re.search(r"[\n,;|]", t)) / len(filled)
    return len(filled) / len(texts) * len(set(filled)) / len(filled) * single


def key_rank(score: float, values: Sequence[object]) -> float:
    """Return how a key column candidate ranks: its header score, weighed by how key-like its values are."""
    return score * (0.6 + 0.4 * key_quality(values))


def guess_mapping(headers: Sequence[str], samples: Sequence[Sequence[object]]) -> dict[str, int]:
    """Return {field: column index} guessed from the headers and a sample of data columns."""
    normalized = [normalize_header(h) for h in headers]
    scores: dict[str, list[float]] = {field: [field_score(field, h) for h in normalized] for field in FIELDS}
    for index in range(len(headers)):
        column = samples[index] if index < len(samples) else ()
        hits, filled = criteria_share(column)
        header_score = scores["criteria"][index]
        if filled >= 2 and hits / filled >= 0.5:
            scores["criteria"][index] = max(header_score + 0.3, 0.7 if hits >= 2 and hits / filled >= 0.8 else 0)
        elif filled >= 3 and hits == 0:
            scores["criteria"][index] = header_score * 0.3
        texts = [str(v) for v in column if v not in (None, "")]
        if texts and sum(len(t) for t in texts) / len(texts) > 30:
            for name in ("ref", "status", "nature", "frequency"):
                scores[name][index] *= 0.6  # identifiers and choices are short; long text is prose
    chosen: dict[str, int] = {}
    used: set[int] = set()
    for field in _PICK_ORDER:
        ref_first = normalized[chosen["ref"]].split()[:1] if "ref" in chosen else []
        candidates = [
            (key_rank(score, samples[i] if i < len(samples) else ()) if field == "ref" else score,
             1 if ref_first and normalized[i].split()[:1] == ref_first else 0, -i)
            for i, score in enumerate(scores[field]) if i not in used and score >= THRESHOLD
        ]
        if not candidates:
            continue
        _, _, negative_index = max(candidates)
        chosen[field] = -negative_index
        used.add(-negative_index)
    if "title" not in chosen and "description" in chosen:
        chosen["title"] = chosen.pop("description")
    return chosen


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def header_list(headers: Sequence[str], limit: int = 300) -> str:
    """Return the non-blank headers as "'A', 'B', ..." for a message, cut after about `limit` characters."""
    shown = [repr(_clip(display_header(h), 40)) for h in headers if display_header(h)]
    text = ""
    for count, header in enumerate(shown):
        if text and len(text) + len(header) > limit:
            return f"{text} and {len(shown) - count} more"
        text = f"{text}, {header}" if text else header
    return text or "none"


def missing_column(source: str, sheet: str, headers: Sequence[str], what: str, field: str) -> WorkbenchError:
    """Return the error for a field no column holds, naming the sheet looked at and its headers."""
    return WorkbenchError(source, f"no column holds {what} in sheet {sheet!r} (its headers: {header_list(headers)}); "
                                  f"name it with --map \"HEADER={field}\"")


def apply_overrides(mapping: Mapping[str, int], headers: Sequence[str], overrides: Sequence[tuple[str, str]],
                    source: str) -> dict[str, int]:
    """Return the mapping with each (HEADER, FIELD) override applied; FIELD may be "none" to drop a column."""
    result = dict(mapping)
    normalized = [normalize_header(h) for h in headers]
    for header, field in overrides:
        wanted = normalize_header(header)
        matches = [i for i, h in enumerate(normalized) if h == wanted]
        if not matches:
            raise WorkbenchError(source, f"no column is headed {header!r} (the headers are {header_list(headers)})")
        index = matches[0]
        for name, column in list(result.items()):
            if column == index:
                del result[name]
        if field.lower() in ("none", "skip", "ignore", "-", ""):
            continue
        if field not in FIELDS:
            raise WorkbenchError(source, f"{field!r} is not a field; use one of {', '.join(FIELDS)}")
        result[field] = index
    return result


def layout_key(headers: Sequence[str]) -> str:
    """Return the meta-table key under which a mapping for this header layout is remembered."""
    text = "\x1f".join(normalize_header(h) for h in headers)
    return META_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def encode_mapping(mapping: Mapping[str, int], headers: Sequence[str]) -> str:
    """Return a mapping as stored in the meta table: {field: header}."""
    return json.dumps({field: display_header(headers[i]) for field, i in mapping.items()}, sort_keys=True)


def decode_mapping(text: str | None, headers: Sequence[str],
                   fields: Collection[str] = FIELDS) -> dict[str, int] | None:
    """Return a remembered mapping as column indexes, or None when it no longer fits these headers."""
    if not text:
        return None
    try:
        data: Any = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    shown = [display_header(h) for h in headers]
    result: dict[str, int] = {}
    for field, header in data.items():
        if field not in fields or header not in shown:
            return None
        result[field] = shown.index(header)
    return result


def known_fields(fields: Collection[str]) -> list[str]:
    """Return the fields in their canonical order."""
    return [f for f in FIELDS if f in fields]
