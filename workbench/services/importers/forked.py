"""A reading child forked from the program instead of started afresh, where that is sound (Linux, one thread).

A child started afresh spends a tenth of a second before it reads a byte: an interpreter, its site, its imports.
Forked, it has them already and opens the workbook at once. Only a process with a single thread may fork (the
command line, before it does anything else: see cli/front.py); anywhere else the child is started afresh. The
forked child talks to the parent over two pipes exactly as a started one does over its stdin and stdout, runs
under the same memory allowance, and always ends with os._exit, never returning into the parent's code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import IO


def can_fork(allowance: int) -> bool:
    """Return True where a reading child may be forked: Linux, this process runs a single thread, and its address
    space leaves the child most of its memory allowance (a forked child starts with the parent's)."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1):
        return False
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return False
    return size < allowance // 2


class ForkedChild:
    """A forked reading child, offering what the reader asks of a started one (subprocess.Popen)."""

    def __init__(self, path: str, limits: Sequence[int]) -> None:
        requests, to_child = os.pipe()
        from_child, answers = os.pipe()
        self.returncode: int | None = None
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _serve(path, limits, requests, answers)
        os.close(requests)
        os.close(answers)
        self.pid = pid
        self.stdin: IO[bytes] = os.fdopen(to_child, "wb")
        self.stdout: IO[bytes] = os.fdopen(from_child, "rb")

    def poll(self) -> int | None:
        """Return the child's exit status once it has ended (reaping it), else None."""
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    return None
                self.returncode = os.waitstatus_to_exitcode(status)
            if self.returncode is None:  # reaped by someone else
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the child to end; raise subprocess.TimeoutExpired after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.0005
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"reading child {self.pid}", timeout or 0)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return code

    def kill(self) -> None:
        """Kill the child (nothing when it has ended)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def _serve(path: str, limits: Sequence[int], requests: int, answers: int) -> None:
    """Be the reading child: keep only its own two pipe ends, answer over them, then end the process."""
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):  # as a started child's: nothing of ours reaches the parent's terminal
            os.dup2(devnull, standard)
        # Every other descriptor inherited goes: the parent's ends of these pipes (else the child never sees the
        # parent close its end), and those of any child forked before this one, whose end they would hold open.
        low, high = sorted((requests, answers))
        os.closerange(3, low)
        os.closerange(low + 1, high)
        os.closerange(high + 1, os.sysconf("SC_OPEN_MAX"))
        from workbench.services.importers import isolated

        with os.fdopen(requests, "rb") as stdin, os.fdopen(answers, "wb") as stdout:
            isolated.serve_with_limits(path, [int(value) for value in limits], stdin, stdout)
        code = 0
    except BaseException:  # whatever happened, the forked child must not go on into the parent's code
        code = 1
    finally:
        os._exit(code)
