"""The hash chain of the audit trail: a sound chain verifies, and any later edit is noticed and located."""

from __future__ import annotations

import json
from dataclasses import replace

from workbench.domain.audit_chain import GENESIS_HASH, entry_hash, first_chain_break
from workbench.domain.entities import AuditEntry


def build_chain(count: int = 5) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        at = f"2026-03-02T09:{seq:02d}:00+00:00"
        summary = json.dumps({"after": {"ref": f"C-{seq}", "title": f"Control {seq}"}})
        digest = entry_hash(prev, seq, at, "tester", "create", "controls", f"C-{seq}", summary)
        entries.append(AuditEntry(seq, at, "tester", "create", "controls", f"C-{seq}", summary, prev, digest))
        prev = digest
    return entries


def test_a_built_chain_verifies() -> None:
    assert first_chain_break(build_chain()) is None


def test_an_empty_chain_verifies() -> None:
    assert first_chain_break([]) is None


def test_entry_hash_is_sha256_hex_and_depends_on_every_field() -> None:
    fields = ["p" * 64, 1, "2026-03-02T09:00:00+00:00", "tester", "create", "controls", "C-1", "{}"]
    digest = entry_hash(*fields)
    assert len(digest) == 64 and int(digest, 16) >= 0
    for index in range(len(fields)):
        changed = list(fields)
        changed[index] = changed[index] + 1 if isinstance(changed[index], int) else changed[index] + "x"
        assert entry_hash(*changed) != digest, f"field {index} is not covered by the hash"


def test_altered_summary_is_detected_and_named() -> None:
    chain = build_chain()
    chain[2] = replace(chain[2], summary=chain[2].summary.replace("Control 3", "Control three"))
    assert first_chain_break(chain) == "audit trail entry 3 (create controls C-3) was altered"


def test_altered_actor_is_detected_and_named() -> None:
    chain = build_chain()
    chain[1] = replace(chain[1], actor="mallory")
    problem = first_chain_break(chain)
    assert problem is not None and "entry 2 " in problem and "altered" in problem


def test_altered_time_is_detected() -> None:
    chain = build_chain()
    chain[4] = replace(chain[4], at="2020-01-01T00:00:00+00:00")
    assert first_chain_break(chain) == "audit trail entry 5 (create controls C-5) was altered"


def test_reordered_entries_are_detected() -> None:
    chain = build_chain()
    chain[1], chain[2] = chain[2], chain[1]
    assert first_chain_break(chain) == "audit trail entry 2 is missing (found 3 next)"


def test_a_deleted_entry_is_detected_and_named() -> None:
    chain = build_chain()
    del chain[3]
    assert first_chain_break(chain) == "audit trail entry 4 is missing (found 5 next)"


def test_a_deleted_first_entry_is_detected() -> None:
    assert first_chain_break(build_chain()[1:]) == "audit trail entry 1 is missing (found 2 next)"


def test_renumbered_entries_after_a_deletion_are_detected() -> None:
    chain = build_chain()
    del chain[1]
    chain = [chain[0]] + [replace(e, seq=e.seq - 1) for e in chain[1:]]
    assert first_chain_break(chain) == "audit trail entry 2 does not link to entry 1"


def test_a_rehashed_entry_breaks_the_link_to_the_next() -> None:
    chain = build_chain()
    forged = replace(chain[1], summary="{}")
    forged = replace(forged, hash=entry_hash(forged.prev_hash, 2, forged.at, forged.actor, forged.action,
                                             forged.entity, forged.entity_key, forged.summary))
    chain[1] = forged
    assert first_chain_break(chain) == "audit trail entry 3 does not link to entry 2"


def test_deleted_newest_entries_are_seen_against_the_recorded_head() -> None:
    chain = build_chain()
    head = (chain[-1].seq, chain[-1].hash)
    assert first_chain_break(chain, head) is None
    assert first_chain_break(chain[:-2], head) == (
        f"audit trail entry {len(chain) - 1} is missing (the trail ends at {len(chain) - 2}, "
        f"the file recorded {len(chain)})")


def test_an_appended_or_rewritten_last_entry_differs_from_the_recorded_head() -> None:
    chain = build_chain()
    earlier = (chain[-2].seq, chain[-2].hash)
    assert first_chain_break(chain, earlier) == (
        f"audit trail entry {len(chain)} was added outside the program "
        f"(the file recorded {len(chain) - 1} as the last)")
    forged = (chain[-1].seq, "f" * 64)
    assert first_chain_break(chain, forged) == (
        f"audit trail entry {len(chain)} is not the one the file recorded as the last (head ffffffffffffffff…)")


def test_an_emptied_trail_is_seen_against_the_recorded_head() -> None:
    chain = build_chain()
    assert first_chain_break([], (len(chain), chain[-1].hash)) == (
        f"audit trail entry 1 is missing (the trail ends at 0, the file recorded {len(chain)})")
