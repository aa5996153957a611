"""Guards against a Qt binding that miscounts references on the signal path, and so corrupts the interpreter.

PySide6 6.12.0 (excluded in pyproject.toml) gives back True from every Signal.emit() without the reference it
owes. On Python 3.11 the count of True runs down by one per emit until the interpreter aborts ("bool_dealloc:
deallocating True or False"); the first test catches exactly that. From Python 3.12 True and False are immortal:
the slip can neither be seen nor do harm there, and that test is skipped rather than passing against any
binding. What can be seen on every Python is the same slip on objects that are not immortal: the values an emit
carries to its slots, connected directly or queued, and what a slot gives back. Those checks count the references
to fresh objects before and after many emits; the last test shows that the count notices a single reference
lost, or kept, per emit.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

EMITS = 200
# Emits of the True check: a handful is enough to see the slip, and few enough that a binding with it fails the
# test cleanly instead of running the count of True down to nothing and aborting the test process on the spot.
BOOL_ROUNDS = 50


class _Emitter(QObject):
    anything = Signal(object)
    text = Signal(str)
    number = Signal(int)
    items = Signal(list)
    flag = Signal(bool)


class _Payload:
    """A fresh object of our own: never cached, never immortal, so its reference count moves and shows."""


def _references(value: object) -> int:
    gc.collect()
    return sys.getrefcount(value)


def _drift(value: object, emit_once: Callable[[], object], after: Callable[[], object] = lambda: None) -> int:
    """Return how many references `value` gained (or, negative, lost) over EMITS calls of `emit_once`."""
    before = _references(value)
    for _ in range(EMITS):
        emit_once()
    after()
    return _references(value) - before


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True and False are immortal from Python 3.12")
def test_emitting_keeps_the_reference_counts_of_true_and_false(qapp):
    # The slip of 6.12.0 where it can be seen: on the bool each emit returns, and on bools carried to a slot.
    emitter = _Emitter()
    received: list[object] = []
    emitter.number.connect(received.append)
    emitter.flag.connect(received.append)
    before = _references(True), _references(False)
    for _ in range(BOOL_ROUNDS):
        emitter.number.emit(1)
        emitter.flag.emit(True)
        emitter.flag.emit(False)
    received.clear()
    assert (_references(True), _references(False)) == before


def _fresh_values() -> list[tuple[str, object]]:
    # Built at run time, so that none is a constant shared with the code or an interned or small-int singleton.
    return [
        ("anything", _Payload()),
        ("text", "".join(["payload-", str(id(object()))])),
        ("number", int("7654321")),
        ("items", [_Payload(), "x"]),
    ]


@pytest.mark.parametrize("connection", [Qt.ConnectionType.DirectConnection, Qt.ConnectionType.QueuedConnection])
def test_emitting_keeps_the_reference_counts_of_what_it_carries(qapp, connection):
    emitter = _Emitter()
    received: list[object] = []
    values = _fresh_values()
    for name, _value in values:
        getattr(emitter, name).connect(received.append, connection)
    for name, value in values:
        signal = getattr(emitter, name)
        drift = _drift(value, lambda signal=signal, value=value: signal.emit(value),
                       after=lambda: (QCoreApplication.processEvents(), received.clear()))
        assert drift == 0, f"{name}: {drift:+d} references to the emitted value after {EMITS} emits"
    QCoreApplication.processEvents()
    assert received == []  # every queued emit was delivered above, so the counts were taken after delivery


def test_a_slot_s_answer_is_given_back_once(qapp):
    emitter = _Emitter()
    answer = _Payload()
    emitter.text.connect(lambda _text: answer)
    assert _drift(answer, lambda: emitter.text.emit("ask")) == 0


@pytest.mark.parametrize("slip", [-1, +1])
def test_the_count_notices_one_reference_lost_or_kept_per_emit(qapp, slip):
    # A stand-in for a broken binding: each emit goes with one reference too few (or too many) on the value, as
    # 6.12.0 does on True. The count above must see every one; the references are put right afterwards.
    emitter = _Emitter()
    received: list[object] = []
    emitter.anything.connect(received.append)
    value = _Payload()
    decref, incref = ctypes.pythonapi.Py_DecRef, ctypes.pythonapi.Py_IncRef
    decref.argtypes = incref.argtypes = [ctypes.py_object]
    wrong, right = (incref, decref) if slip > 0 else (decref, incref)
    holders = [value] * EMITS  # keeps `value` alive while references are being taken from it
    try:
        drift = _drift(value, lambda: (emitter.anything.emit(value), wrong(value)), after=received.clear)
    finally:
        for _ in range(EMITS):
            right(value)
    del holders
    assert drift == slip * EMITS
