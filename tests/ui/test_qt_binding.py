"""Guards against a Qt binding that corrupts the interpreter (PySide6 6.12.0 leaked a reference per emit)."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    number = Signal(int)
    flag = Signal(bool)


def test_emitting_signals_keeps_reference_counts_intact(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.number.connect(received.append)
    emitter.flag.connect(received.append)
    gc.collect()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.number.emit(1)
        emitter.flag.emit(True)
        emitter.flag.emit(False)
    received.clear()
    gc.collect()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
