"""The hash chain that links audit-trail entries, so later edits of the trail can be noticed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from workbench.domain.entities import AuditEntry

GENESIS_HASH = "0" * 64


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, entity: str, entity_key: str, summary: str
) -> str:
    """Return the SHA-256 that seals one entry onto the chain ending in prev_hash."""
    payload = json.dumps(
        [seq, at, actor, action, entity, entity_key, summary], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def first_chain_break(entries: Iterable[AuditEntry], recorded_head: tuple[int, str] | None = None) -> str | None:
    """Return a sentence naming the first entry that breaks the chain, or None when it is sound.

    recorded_head, the (seq, hash) the file noted when it last wrote the trail, reveals deleted newest entries.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return f"audit trail entry {expected_seq} is missing (found {entry.seq} next)"
        if entry.prev_hash != expected_prev:
            return f"audit trail entry {entry.seq} does not link to entry {entry.seq - 1}"
        digest = entry_hash(
            entry.prev_hash, entry.seq, entry.at, entry.actor, entry.action, entry.entity,
            entry.entity_key, entry.summary,
        )
        if digest != entry.hash:
            return f"audit trail entry {entry.seq} ({entry.action} {entry.entity} {entry.entity_key}) was altered"
        expected_prev = entry.hash
        expected_seq += 1
    return _head_problem(expected_seq - 1, expected_prev, recorded_head)


def _head_problem(last_seq: int, last_hash: str, recorded: tuple[int, str] | None) -> str | None:
    if recorded is None or recorded == (last_seq, last_hash):
        return None
    seq, digest = recorded
    if seq > last_seq:
        return f"audit trail entry {last_seq + 1} is missing (the trail ends at {last_seq}, the file recorded {seq})"
    if seq < last_seq:
        return f"audit trail entry {seq + 1} was added outside the program (the file recorded {seq} as the last)"
    return f"audit trail entry {seq} is not the one the file recorded as the last (head {digest[:16]}…)"
