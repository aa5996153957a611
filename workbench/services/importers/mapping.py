"""Which column holds which field of a register: header names (synonyms, vetoes, fuzzy match) and content.

Everything here is generic over a RegisterSpec; a kind only declares its fields' synonyms and vetoes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from workbench.domain.criteria_cells import looks_like_criteria
from workbench.domain.errors import WorkbenchError
from workbench.services.importers.spec import Field, FieldType, RegisterSpec

THRESHOLD = 0.6
GENERIC_CAP = 0.55  # a generic word inside a longer header ("Type" in "Mapping Type") stays below THRESHOLD
WEAK_SCORE = 0.65  # a "Notes" column is a description only when no real one is there
SUFFIX_SCORE = 0.65  # "ISO Control", "NIST Control": another framework's identifier of the control
OWN_ID_SCORE = 0.75
FOREIGN_REF_SCORE = 0.62
CRITERIA_WORD_SCORE = 0.62
_CRITERIA_WORDS = re.compile(r"\b(tsc|soc ?2|soc|aicpa|trust services?|criteria|criterion)\b")
# "CCF ID", "ERL #": a word and an ID word name the register's own ID, unless the word names something else.
_ID_WORDS = frozenset({"id", "#", "no", "number", "code", "key"})
_NOT_OWN = frozenset({
    "tsc", "soc", "soc2", "aicpa", "criteria", "criterion", "iso", "nist", "pci", "cis", "hipaa", "gdpr", "cobit",
    "ccm", "csa", "fedramp", "mlps", "hitrust", "ssae", "cmmc", "risk", "risks", "vendor", "asset", "policy",
    "evidence", "ticket", "jira", "user", "employee", "parent", "related", "mapped", "linked", "row", "line", "page",
    "version", "sheet", "file", "document", "doc", "test", "sample", "finding", "issue", "incident", "change", "system",
    "application", "app", "project", "task", "owner", "phone", "serial", "account", "tax", "order", "sort",
    # codes of a record's state or class, as tools' JSON reports name them ("severity_id", "status_id", "class_uid")
    "severity", "status", "state", "activity", "category", "class", "type", "level", "priority", "region", "group",
})
# Words that make an ID header a reference to something else: "MLPS Ref #" is another framework's id.
_REFERENCE_WORDS = frozenset({"ref", "refs", "reference", "references"})
_NONE_WORDS = frozenset({"none", "skip", "ignore", "-", ""})


def normalize_header(text: object) -> str:
    """Return a header reduced to lowercase words: "TSC Ref(s)" -> "tsc refs", "Ctrl #" -> "ctrl #"."""
    value = "" if text is None else str(text)
    value = value.replace("(s)", "s").replace("(S)", "s").lower().replace("#", " # ")
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", value).split())


def display_header(text: object) -> str:
    """Return a header as shown in results: its lines joined by single spaces."""
    return " ".join(("" if text is None else str(text)).split())


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


class Scorer:
    """How strongly each header names each field of one kind, remembered: registers repeat their layouts."""

    def __init__(self, spec: RegisterSpec) -> None:
        self.spec = spec
        self._synonyms = {f.name: tuple(normalize_header(s) for s in f.synonyms) for f in spec.fields}
        self._weak = {f.name: frozenset(normalize_header(s) for s in f.weak) for f in spec.fields}
        self._any_weak = frozenset().union(*self._weak.values())
        self._generic = frozenset(normalize_header(s) for s in spec.generic)
        self._cache: dict[tuple[str, str], float] = {}
        # Each synonym's letters counted once: most headers are far from most synonyms, and the count alone says
        # so (what SequenceMatcher.quick_ratio computes, without making a matcher for every pair).
        self._letters = {synonym: _letter_counts(synonym) for names in self._synonyms.values() for synonym in names}

    def score(self, name: str, header: str) -> float:
        """Return how strongly a normalized header names a field, 0..1."""
        key = (name, header)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 65536:
                self._cache.clear()
            found = self._cache[key] = self._score(self.spec.field(name), header)
        return found

    def _score(self, field: Field, header: str) -> float:
        if not header or len(header) > 80:
            return 0.0
        words = header.split()
        if field.vetoes & set(words):
            return 0.0
        if header in self._any_weak:
            return WEAK_SCORE if header in self._weak[field.name] else 0.0
        best = 0.0
        padded = f" {header} "
        letters: dict[str, int] | None = None
        for synonym in self._synonyms[field.name]:
            if header == synonym:
                return 1.0
            if f" {synonym} " in padded:
                partial = 0.5 + 0.4 * len(synonym.split()) / len(words)
                best = max(best, min(partial, GENERIC_CAP) if synonym in self._generic else partial)
            elif len(words) <= 5 and len(header) > 3 and len(synonym) > 3 and \
                    0.8 * len(header) <= len(synonym) <= 1.25 * len(header):
                if letters is None:
                    letters = _letter_counts(header)
                if 2 * _shared_letters(letters, self._letters[synonym]) < 0.9 * (len(header) + len(synonym)):
                    continue  # quick_ratio < 0.9: too far apart for a typo
                matcher = SequenceMatcher(None, header, synonym)
                if matcher.real_quick_ratio() < 0.9:
                    continue
                ratio = matcher.ratio()
                if ratio >= 0.9:
                    best = max(best, 0.8 * ratio)
        if best < SUFFIX_SCORE and len(words) >= 2 and words[-1] in field.suffixes:
            best = SUFFIX_SCORE
        if field.name == self.spec.key:
            if is_foreign_reference(header):
                best = min(best, FOREIGN_REF_SCORE)
            best = max(best, own_id_score(header))
        if field.type is FieldType.CRITERIA:
            best = _criteria_header(best, header, words)
        return best

    def rank(self, name: str, header: str) -> int:
        """Return where a normalized header stands among a field's synonyms (its own name first), or past them."""
        synonyms = self._synonyms[name]
        return synonyms.index(header) if header in synonyms else len(synonyms)

    def best(self, header: str) -> float:
        """Return the best score of a normalized header over the kind's fields (how header-like it is)."""
        return max(self.score(f.name, header) for f in self.spec.fields)

    def names_a_field(self, header: str, at_least: float) -> bool:
        """Return True when a normalized header names some field at least this strongly (best() >= at_least,
        without scoring the fields after the first that does)."""
        return any(self.score(f.name, header) >= at_least for f in self.spec.fields)


def _letter_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for letter in text:
        counts[letter] = counts.get(letter, 0) + 1
    return counts


def _shared_letters(first: Mapping[str, int], second: Mapping[str, int]) -> int:
    """Return how many letters two texts share, counted with repeats (the matches quick_ratio counts)."""
    return sum(min(count, second.get(letter, 0)) for letter, count in first.items())


def _criteria_header(best: float, header: str, words: Sequence[str]) -> float:
    if best == 0.0 and _CRITERIA_WORDS.search(header):
        best = CRITERIA_WORD_SCORE
    if best:
        if "2016" in words:
            best *= 0.5  # the 2016 criteria are not the ones the project is assessed against
        elif "2017" in words or "2022" in words:
            best = min(1.0, best + 0.05)
    return best


_SCORERS: dict[str, Scorer] = {}


def scorer(spec: RegisterSpec) -> Scorer:
    """Return the (shared) scorer of a kind."""
    found = _SCORERS.get(spec.kind)
    if found is None or found.spec is not spec:
        found = _SCORERS[spec.kind] = Scorer(spec)
    return found


def foreign_headers(spec: RegisterSpec, rivals: Sequence[RegisterSpec], headers: Sequence[str]) -> int:
    """Return how many headers name a field only another kind has, and none of this kind's."""
    own = scorer(spec)
    others = [(scorer(r), r.distinctive) for r in rivals if r.kind != spec.kind and r.distinctive]
    count = 0
    for header in headers:
        normalized = normalize_header(header)
        if any(s.score(name, normalized) >= THRESHOLD for s, names in others for name in names) \
                and own.best(normalized) < THRESHOLD:
            count += 1
    return count


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
    if all(t.isdigit() for t in filled):
        if [int(t) for t in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled))):
            return 0.0
        if len(set(filled)) < len(filled) and all(len(t) <= 2 for t in filled):
            return 0.0  # small numbers that repeat are a code (a severity, a level), not a register's IDs
    single = sum(1 for t in filled if not re.search(r"[\n,;|]", t)) / len(filled)
    return len(filled) / len(texts) * len(set(filled)) / len(filled) * single


def key_rank(score: float, values: Sequence[object]) -> float:
    """Return how a key column candidate ranks: its header score, weighed by how key-like its values are."""
    return score * (0.6 + 0.4 * key_quality(values))


def _content_scores(spec: RegisterSpec, scores: dict[str, list[float]], samples: Sequence[Sequence[object]]) -> None:
    """Weigh header scores by what the columns hold: criteria ids, or prose where short values belong."""
    criteria = [f.name for f in spec.fields if f.type is FieldType.CRITERIA]
    short = [f.name for f in spec.fields if f.short or f.name == spec.key]
    for index, column in enumerate(samples):
        hits, filled = criteria_share(column)
        for name in criteria:
            header_score = scores[name][index]
            if filled >= 2 and hits / filled >= 0.5:
                scores[name][index] = max(header_score + 0.3, 0.7 if hits >= 2 and hits / filled >= 0.8 else 0)
            elif filled >= 3 and hits == 0:
                scores[name][index] = header_score * 0.3
        texts = [str(v) for v in column if v not in (None, "")]
        if texts and sum(len(t) for t in texts) / len(texts) > 30:
            for name in short:
                scores[name][index] *= 0.6  # identifiers, dates and choices are short; long text is prose


def guess_mapping(spec: RegisterSpec, headers: Sequence[str], samples: Sequence[Sequence[object]]) -> dict[str, int]:
    """Return {field: column index} guessed from the headers and a sample of each column's values."""
    own = scorer(spec)
    normalized = [normalize_header(h) for h in headers]
    scores = {f.name: [own.score(f.name, h) for h in normalized] for f in spec.fields}
    _content_scores(spec, scores, [samples[i] if i < len(samples) else () for i in range(len(headers))])
    chosen: dict[str, int] = {}
    used: set[int] = set()

    def pick(name: str) -> None:
        key_first = normalized[chosen[spec.key]].split()[:1] if spec.key in chosen else []
        # Equal scores go to the header nearer the field's own name: "Scenario" over "Test" for a scenario.
        candidates = [
            (key_rank(score, samples[i] if i < len(samples) else ()) if name == spec.key else score,
             1 if key_first and normalized[i].split()[:1] == key_first else 0, -own.rank(name, normalized[i]), -i)
            for i, score in enumerate(scores[name]) if i not in used and score >= THRESHOLD
        ]
        if candidates:
            *_, negative = max(candidates)
            chosen[name] = -negative
            used.add(-negative)

    order = list(spec.pick_order) + [n for n in spec.names if n not in spec.pick_order]
    for name in order:
        pick(name)
    fallback = spec.label_fallback
    if spec.label not in chosen and fallback is not None and fallback in chosen:
        # The best stand-in says what the record is; then the fallback takes the next best column, if any.
        chosen[spec.label] = chosen.pop(fallback)
        pick(fallback)
    return chosen


def label_named(spec: RegisterSpec, headers: Sequence[str], mapping: Mapping[str, int]) -> bool:
    """Return True when the label's column is named for it (not only a stand-in for it)."""
    index = mapping.get(spec.label)
    return index is not None and scorer(spec).score(spec.label, normalize_header(headers[index])) >= THRESHOLD


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


def missing_column(source: str, where: str, headers: Sequence[str], what: str, field: str,
                   alternative: str = "") -> WorkbenchError:
    """Return the error for a field no column holds, naming where it looked and the headers found there (or, for a
    security tool's report given as another kind, pointing to the findings import)."""
    from workbench.services.importers.findings import tool_report_refusal  # only for a file that failed

    if (why := tool_report_refusal(source, "a register")) is not None:
        return WorkbenchError(source, why)
    return WorkbenchError(source, f"no column holds {what} in {where} (its headers: {header_list(headers)}); "
                                  f"name it with --map \"HEADER={field}\"{alternative}")


def apply_overrides(spec: RegisterSpec, mapping: Mapping[str, int], headers: Sequence[str],
                    overrides: Sequence[tuple[str, str]], source: str) -> dict[str, int]:
    """Return the mapping with each (HEADER, FIELD) override applied; FIELD may be "none" to drop a column."""
    result = dict(mapping)
    normalized = [normalize_header(h) for h in headers]
    for header, wanted in overrides:
        matches = [i for i, h in enumerate(normalized) if h == normalize_header(header)]
        if not matches:
            raise WorkbenchError(source, f"no column is headed {header!r} (the headers are {header_list(headers)})")
        index = matches[0]
        for name, column in list(result.items()):
            if column == index:
                del result[name]
        if wanted.strip().lower() in _NONE_WORDS:
            continue
        name = spec.field_name(wanted)
        if name is None:
            raise WorkbenchError(source, f"{wanted!r} is not a {spec.singular} field; use one of "
                                         f"{', '.join(spec.names)}")
        result[name] = index
    return result


def layout_signature(headers: Sequence[str]) -> str:
    """Return the signature under which a mapping for this header layout is remembered."""
    text = "\x1f".join(normalize_header(h) for h in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def encode_mapping(mapping: Mapping[str, int], headers: Sequence[str]) -> dict[str, str]:
    """Return a mapping as remembered: {field: header}."""
    return {field: display_header(headers[i]) for field, i in mapping.items()}


def decode_mapping(spec: RegisterSpec, remembered: Mapping[str, str] | None,
                   headers: Sequence[str]) -> dict[str, int] | None:
    """Return a remembered mapping as column indexes, or None when it no longer fits these headers."""
    if not remembered:
        return None
    shown = [display_header(h) for h in headers]
    result: dict[str, int] = {}
    for field, header in remembered.items():
        if field not in spec.names or header not in shown:
            return None
        result[field] = shown.index(header)
    return result
