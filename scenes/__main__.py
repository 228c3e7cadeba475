"""Run Manim so that it stops when the process that started it dies.

``python -m scenes render ...`` is ``python -m manim render ...`` plus one thing: the child asks
the kernel for SIGTERM when its parent dies (Linux PR_SET_PDEATHSIG), even if the parent was
killed with SIGKILL. The request is made here, in the child's own single thread, rather than in
a ``preexec_fn`` of a parent that may be running render threads.

``python -m scenes serve FD`` is the warm Manim of ``scenes/serve.py``: it imports Manim once and
forks a child per render, each child asking for the same signal when the server dies. The server
itself makes no such request: the kernel sends it when the *thread* that started a process ends,
and the renderer may start the server from a worker thread that ends long before the process.
It leaves instead when its socket to the renderer reaches end-of-file, which happens however the
renderer dies.
"""

from __future__ import annotations

import os
import runpy
import sys

from scenes.serve import PARENT_VAR, die_with_parent, plain_log, serve

if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
    else:
        parent = os.environ.get(PARENT_VAR)
        die_with_parent(int(parent) if parent else None)
        plain_log()
        sys.argv = ["manim", *sys.argv[1:]]
        runpy.run_module("manim", run_name="__main__", alter_sys=True)
