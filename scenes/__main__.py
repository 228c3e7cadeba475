"""Run Manim so that it stops when the process that started it dies.

``python -m scenes render ...`` is ``python -m manim render ...`` plus one thing: the child asks
the kernel for SIGTERM when its parent dies (Linux PR_SET_PDEATHSIG), even if the parent was
killed with SIGKILL. The request is made here, in the child's own single thread, rather than in
a ``preexec_fn`` of a parent that may be running render threads.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys

PARENT_VAR = "DIP_PARENT_PID"


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    expected = os.environ.get(PARENT_VAR)
    if expected and os.getppid() != int(expected):  # the parent died before the request took hold
        sys.exit(143)


if __name__ == "__main__":
    _die_with_parent()
    sys.argv = ["manim", *sys.argv[1:]]
    runpy.run_module("manim", run_name="__main__", alter_sys=True)
