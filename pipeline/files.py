"""Writing into a lecturer's folders: only the files asked for, each appearing whole or not at all.

The bookkeeping of a render (the fingerprint that makes an unchanged re-render instant) lives in
the project's cache, keyed by the output's absolute path, never beside the output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .process import ROOT

CACHE = ROOT / ".manim_cache"
"""Manim's working files, logs, lecture parts and render fingerprints."""
RENDERS = ROOT / "renders"
"""Where finished files go unless --output says otherwise."""
STAMPS = CACHE / "stamps"


class RenderError(Exception):
    """A render that could not be done; the message is one sentence for the user."""


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed; RenderError unless files can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create the output folder {folder}: {exc.strerror}.") from None
    if not folder.is_dir():
        raise RenderError(f"the output folder {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RenderError(f"the output folder {folder} is not writable; choose another with --output.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()
"""What a plain open() would give: mkstemp's private 0600 would surprise whoever shares renders/."""
_FOLDER_MODE = 0o777 & ~_umask()
"""What a plain mkdir would give, rather than mkdtemp's 0700."""


@contextmanager
def atomic_target(target: Path, suffix: str = ".partial") -> Iterator[Path]:
    """A hidden temporary path beside ``target``, renamed over it only if the block succeeds.

    Readers see the old file or the new one, never a half-written one; a failure or an
    interruption (a full disk included) removes the temporary file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.strerror and not isinstance(exc, FileNotFoundError):
            raise RenderError(f"cannot write {target}: {exc.strerror}.") from None
        raise
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A hidden temporary folder beside ``target``, put in its place only if the block succeeds.

    A folder cannot be renamed over a folder that has files in it, so the old one is first
    renamed aside, then removed: readers see the old folder or the new one, each whole (for an
    instant, neither). A failure or an interruption removes the temporary folder and keeps the
    old one.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "clips"
    >>> with atomic_folder(target) as staging:
    ...     _ = (staging / "01-curve.mp4").write_bytes(b"")
    >>> [p.name for p in target.iterdir()], [p.name for p in target.parent.iterdir()]
    (['01-curve.mp4'], ['clips'])
    """
    if target.exists() and not target.is_dir():
        raise RenderError(f"cannot write the folder {target}: a file of that name is in the way.")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    aside = tmp.with_name(tmp.name.replace(".partial", ".old"))
    try:
        yield tmp
        os.chmod(tmp, _FOLDER_MODE)
        if target.exists():
            os.replace(target, aside)
        try:
            os.replace(tmp, target)
        except OSError:
            if aside.exists():
                os.replace(aside, target)
            raise
    except OSError as exc:
        if exc.strerror and not isinstance(exc, FileNotFoundError):
            raise RenderError(f"cannot write {target}: {exc.strerror}.") from None
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)


def atomic_copy(source: Path, target: Path) -> None:
    with atomic_target(target) as tmp:
        shutil.copyfile(source, tmp)


def _stamp_file(output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:32]
    return STAMPS / f"{key}.json"


def _identity(output: Path) -> list[int]:
    st = output.stat()
    return [st.st_size, st.st_mtime_ns]


def is_current(output: Path, fingerprint: str) -> bool:
    """True when ``output`` is the file a render with ``fingerprint`` wrote, untouched since."""
    try:
        stamp = json.loads(_stamp_file(output).read_text())
        return stamp["fingerprint"] == fingerprint and stamp["file"] == _identity(output)
    except (OSError, ValueError, KeyError):
        return False


def remember(output: Path, fingerprint: str) -> None:
    """Record that ``output`` was rendered with ``fingerprint`` (in the cache, not beside it)."""
    STAMPS.mkdir(parents=True, exist_ok=True)
    stamp = _stamp_file(output)
    with atomic_target(stamp) as tmp:
        tmp.write_text(json.dumps({"fingerprint": fingerprint, "output": str(output.resolve()),
                                   "file": _identity(output)}))


def check_file_target(path: Path, what: str) -> None:
    """RenderError unless a file can be written at ``path`` (its folder exists and is writable)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise RenderError(f"{what}: {path} is a folder; give a file name.")
    if not folder.is_dir():
        raise RenderError(f"{what}: the folder {folder} does not exist; create it or choose another file.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RenderError(f"{what}: the folder {folder} is not writable; choose another file.")
