"""The ledger a streamed import keeps of keys planned in earlier windows: what a repeat needs, read back exactly."""

from __future__ import annotations

import pytest

from workbench.services.importers.ledger import KeyLedger, Seen, texts_digest
from workbench.services.importers.spec import CREATE, UNCHANGED, UPDATE


@pytest.mark.parametrize("written", ["ctl-1", "CTL-1", "Ctl-1", "ÄRGER-ß", "AC.1 (b)"])
def test_a_key_reads_back_as_it_was_written(written: str) -> None:
    ledger = KeyLedger()
    digest = texts_digest(("Access reviews", "Quarterly"))
    ledger.add(written.casefold(), 123_456, written, UPDATE, digest)
    assert ledger.get(written.casefold()) == Seen(123_456, written, UPDATE, digest)
    assert written.casefold() in ledger and len(ledger) == 1


def test_an_unknown_key_is_none_and_settling_changes_only_the_action() -> None:
    ledger = KeyLedger()
    ledger.add("ac-1", 7, "AC-1", CREATE, texts_digest(("x",)))
    assert ledger.get("ac-2") is None
    ledger.settle("ac-1", UNCHANGED)
    seen = ledger.get("ac-1")
    assert seen is not None and (seen.row, seen.written, seen.action) == (7, "AC-1", UNCHANGED)
    assert seen.digest == texts_digest(("x",)) != texts_digest(("y",))
