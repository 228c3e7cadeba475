"""Manim in a child process: its own process group, stopped whole on Ctrl-C, SIGTERM or when
the renderer dies, its output kept in a log.

Renders are forked from a warm Manim (``scenes/serve.py``), started at this process's first
render and kept for the next ones: a forked child skips the three seconds of CPU a fresh Python
spends importing Manim and the scenes, which adds up over ``render all``, a lecture or a test
run. Where the server cannot run (no pidfds or fd passing on this system), each render starts
``python -m scenes`` afresh, as before, with the same guarantees.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Callable, Protocol

from scenes.serve import PARENT_VAR

ROOT = Path(__file__).resolve().parents[1]
"""The project root: Manim runs here so that it reads manim.cfg and the TeX template."""

Progress = Callable[[str], None]

STOP_GRACE = 5.0
"""Seconds a stopped render gets to leave after SIGTERM before SIGKILL."""
SERVER_START = 180.0
"""Seconds the warm Manim may take to import everything before renders start afresh instead."""
WARM_VAR = "DIP_WARM_MANIM"
"""Set to 0 to start a fresh Manim for every render (to compare, or to rule the server out)."""
MANIM_ENV = {"PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
"""Every Manim process's environment: output unbuffered (the log and the progress are read line by
line) and a console wide enough not to wrap. Both are read once, when Python and Manim's console
start, so the warm server gets them too, not only each render."""


class Child(Protocol):
    """A running Manim, whichever way it was started."""

    output: IO[str]

    def wait(self, timeout: float | None = None) -> int | None: ...
    def signal(self, signum: int) -> None: ...
    def finished(self, timeout: float) -> bool: ...


_CHILDREN: set[Child] = set()
_CHILDREN_LOCK = threading.Lock()


def manim_command(args: list[str]) -> list[str]:
    """``manim ARGS`` run through ``python -m scenes``, which dies with its parent."""
    return [sys.executable, "-m", "scenes", *args]


def cancel_all() -> None:
    """Stop every Manim process this process started (on Ctrl-C or SIGTERM), from any thread."""
    with _CHILDREN_LOCK:
        children = list(_CHILDREN)
    for child in children:
        child.signal(signal.SIGTERM)
    for child in children:
        if not child.finished(STOP_GRACE):
            child.signal(signal.SIGKILL)


def _stop(child: Child) -> None:
    """Stop ``child`` from the thread that waits for it: SIGTERM, a grace period, SIGKILL."""
    if child.wait(0) is not None:
        return
    child.signal(signal.SIGTERM)
    if child.wait(STOP_GRACE) is None:
        child.signal(signal.SIGKILL)
        child.wait()


def run_manim(args: list[str], env: dict[str, str], log_path: Path, progress: Progress | None = None) -> int:
    """Run Manim with ``args`` in its own process group and return its exit code."""
    env = dict(env, **MANIM_ENV, **{PARENT_VAR: str(os.getpid())})
    with open(log_path, "w", encoding="utf-8") as log:
        server = _server()
        child = server.start(args, env) if server else None
        if child is None:
            child = _Spawned(args, env)
        with _CHILDREN_LOCK:
            _CHILDREN.add(child)
        try:
            for line in child.output:
                log.write(line)
                match = re.search(r"Animation (\d+)", line)
                if match and progress:
                    progress(f"animation {int(match.group(1)) + 1}")
            code = child.wait()
            assert code is not None
            return code
        finally:
            _stop(child)
            child.output.close()
            with _CHILDREN_LOCK:
                _CHILDREN.discard(child)


def _signal_group(pid: int, signum: int) -> None:
    """Signal a render and whatever it started (LaTeX): it leads a process group of its own."""
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


class _Spawned:
    """A fresh ``python -m scenes`` for one render."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(manim_command(args), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, errors="replace",
                                        start_new_session=True)
        assert self.process.stdout is not None
        self.output = self.process.stdout

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def finished(self, timeout: float) -> bool:
        return self.wait(timeout) is not None

    def signal(self, signum: int) -> None:
        if self.process.poll() is None:  # not reaped yet, so the pid is still this child's
            _signal_group(self.process.pid, signum)


class _Served:
    """A render forked by the warm Manim: its pid, its output and its exit code come over sockets."""

    def __init__(self, pid: int, reply: socket.socket, output: int) -> None:
        self.pid, self.reply = pid, reply
        self.output = open(output, encoding="utf-8", errors="replace")
        self.code: int | None = None
        self.ended = threading.Event()

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code, read from the reply socket (only the thread that runs the render calls this)."""
        if self.code is None:
            self.reply.settimeout(timeout)
            try:
                answer = self.reply.recv(32)
            except (TimeoutError, BlockingIOError):  # still running (BlockingIOError: timeout 0)
                return None
            # No answer means the server died; its children die with it (SIGTERM).
            self.code = int(answer) if answer else -signal.SIGTERM
            self.reply.close()
            self.ended.set()
        return self.code

    def finished(self, timeout: float) -> bool:
        return self.ended.wait(timeout)

    def signal(self, signum: int) -> None:
        if not self.ended.is_set():  # the server reaps it only after it ends, so the pid is still its own
            _signal_group(self.pid, signum)


class _Server:
    """The warm Manim of this process (``python -m scenes serve``) and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, **MANIM_ENV)
        self.process = subprocess.Popen(manim_command(["serve", str(theirs.fileno())]), cwd=ROOT, env=env,
                                        pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        theirs.close()
        self.socket = ours
        self.lock = threading.Lock()
        ours.settimeout(SERVER_START)
        try:
            self.ready = ours.recv(16) == b"ready"
        except TimeoutError:
            self.ready = False
        ours.settimeout(None)
        if not self.ready:
            self.close()

    def alive(self) -> bool:
        return self.process.poll() is None  # a server that was not ready has been closed already

    def start(self, args: list[str], env: dict[str, str]) -> _Served | None:
        """Fork a render; None if the server has gone (the caller then starts Manim afresh)."""
        read, write = os.pipe()
        reply, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        request = json.dumps({"args": args, "env": env, "cwd": str(ROOT)}).encode()
        try:
            with self.lock:
                socket.send_fds(self.socket, [request], [write, theirs.fileno()])
        except OSError:
            pass
        finally:  # the server and the child hold their own copies now; ours would hide their end
            os.close(write)
            theirs.close()
        try:
            pid = reply.recv(32)
        except OSError:
            pid = b""
        if not pid:
            os.close(read)
            reply.close()
            return None
        return _Served(int(pid), reply, read)

    def close(self) -> None:
        self.socket.close()  # the server leaves when it reads end-of-file
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_SERVER: _Server | None = None
_SERVER_LOCK = threading.Lock()
_SERVER_FAILED = False


def _server() -> _Server | None:
    """The warm Manim of this process, started at the first render; None where it cannot run."""
    global _SERVER, _SERVER_FAILED
    if os.environ.get(WARM_VAR) == "0" or not (hasattr(socket, "send_fds") and hasattr(os, "pidfd_open")):
        return None
    with _SERVER_LOCK:
        if _SERVER is not None and not _SERVER.alive():
            _SERVER.close()  # reaps it and lets go of its socket
            _SERVER = None
        if _SERVER is None and not _SERVER_FAILED:
            server = _Server()
            if server.ready:
                _SERVER = server
                atexit.register(server.close)  # leave no server running, nor a socket open, at exit
            else:
                _SERVER_FAILED = True  # do not pay for a failed start at every render
        return _SERVER
