"""A warm Manim: one process imports Manim, the scenes and their numerics once, then forks a child
for each render it is asked for.

A fresh ``python -m manim render`` spends about three seconds of CPU importing Manim, SciPy,
SymPy and the scenes before it draws anything; a forked child starts with all of that in place.
The renderer (``pipeline/process.py``) starts this server once per process and talks to it over
a Unix socket of packets (``SOCK_SEQPACKET``), one message each way per step:

1. the server sends ``ready`` once everything is imported;
2. a render request is a JSON object ``{"args": [...], "env": {...}, "cwd": "..."}`` sent with two
   file descriptors: the write end of the pipe that becomes the child's stdout and stderr, and
   a socket of the renderer's own for this render's replies;
3. on that reply socket the server sends the child's pid when it has forked it, then its exit
   code (negative for a signal, as ``subprocess`` reports it) once it has ended.

Each child starts a session of its own (so the renderer can stop it and the LaTeX it runs as one
process group) and asks for SIGTERM when the server dies. The server leaves when its socket to
the renderer reaches end-of-file, which the kernel brings about however the renderer ends (even
by SIGKILL), so a killed renderer takes every render with it. Children are reaped through
pidfds, so the server has no signal handlers and no threads, which keeps ``fork`` safe.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import traceback
from pathlib import Path

PRELOAD = ("manim", "manim.__main__", "av", "sympy")
"""Modules every render imports sooner or later; the scenes' own modules are added to them."""
MAX_REQUEST = 1 << 20
"""The largest request accepted: the environment and the arguments of one render, as JSON."""
PARENT_VAR = "DIP_PARENT_PID"
"""The renderer's pid, set for a fresh ``python -m scenes render`` to check its parent against."""


def die_with_parent(expected: int | None) -> None:
    """Ask for SIGTERM when the parent dies (Linux PR_SET_PDEATHSIG); leave now if ``expected``
    (its pid) is already gone.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if expected and os.getppid() != expected:  # the parent died before the request took hold
        os._exit(143)


def serve(control_fd: int) -> None:
    """Import everything once, then fork a child per request until the renderer hangs up."""
    control = socket.socket(fileno=control_fd)
    try:
        _preload()
        os.close(os.pidfd_open(os.getpid()))  # refuse early on a kernel without pidfds (< 5.3)
    except (ImportError, OSError, AttributeError) as exc:
        print(f"the render server cannot start: {exc}", file=sys.stderr)
        control.send(b"unavailable")
        return
    gc.freeze()  # children then leave the imported objects to the collector untouched (no copy-on-write)
    control.send(b"ready")
    selector = selectors.PollSelector()  # poll keeps no kernel state that a forked child could change
    selector.register(control, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is control:
                if not _start(control, selector):
                    return
            else:
                _reap(key, selector)


def plain_log() -> None:
    """Write Manim's log as plain lines, ``LEVEL message``, instead of through rich.

    The renderer reads the log line by line (``Animation N`` is its progress) into a log file;
    rich laid each record out in padded, wrapped columns at about 2 ms a line, a hundred lines
    a render, for a file nobody reads in a terminal.
    """
    import logging

    from manim import logger

    manims = list(logger.handlers)
    plain = logging.StreamHandler(sys.stdout)
    plain.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    for log in (logger, logging.getLogger()):  # Manim gives the root logger (PyAV's) its handler too
        for handler in [h for h in log.handlers if h in manims]:
            log.removeHandler(handler)
            log.addHandler(plain)


def _preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem not in ("__init__", "__main__", "serve"):
            importlib.import_module(f"scenes.{path.stem}")
    plain_log()


def _start(control: socket.socket, selector: selectors.BaseSelector) -> bool:
    """Fork a child for the next request; False when the renderer has closed the socket."""
    message, fds, _, _ = socket.recv_fds(control, MAX_REQUEST, 2)
    if not message:
        for fd in fds:
            os.close(fd)
        return False
    output, reply_fd = fds
    reply = socket.socket(fileno=reply_fd)
    server = os.getpid()
    pid = os.fork()
    if pid == 0:
        _child(json.loads(message), output, [reply, *_held(selector)], server)
    os.close(output)
    try:
        reply.send(str(pid).encode())
    except OSError:  # the renderer stopped waiting; the child still has to be reaped
        pass
    selector.register(os.pidfd_open(pid), selectors.EVENT_READ, (pid, reply))
    return True


def _held(selector: selectors.BaseSelector) -> list[socket.socket | int]:
    """What the server holds open: its socket, and each running render's pidfd and reply socket."""
    held: list[socket.socket | int] = []
    for key in selector.get_map().values():
        held += [key.fileobj] if key.data is None else [key.fd, key.data[1]]
    return held


def _reap(key: selectors.SelectorKey, selector: selectors.BaseSelector) -> None:
    pid, reply = key.data
    selector.unregister(key.fileobj)
    os.close(key.fd)
    _, status = os.waitpid(pid, 0)
    try:
        reply.send(str(os.waitstatus_to_exitcode(status)).encode())
    except OSError:
        pass
    reply.close()


def _child(request: dict, output: int, held: list[socket.socket | int], server: int) -> None:
    """Run one ``manim`` command line in this forked child and leave with its exit code.

    The child lets go of everything the server holds, so that a reply socket reaches end-of-file
    when the server dies, whichever renders are still running.
    """
    code = 1
    try:
        os.setsid()
        for thing in held:
            os.close(thing if isinstance(thing, int) else thing.detach())
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        die_with_parent(server)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["manim", *request["args"]]
        runpy.run_module("manim", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, int) or exc.code is None:
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must leave with a code
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
