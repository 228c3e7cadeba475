"""Opening a finished render for the lecturer, where there is a screen to open it on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_files(paths: list[Path]) -> str | None:
    """Open each file in the desktop's viewer; a one-line note instead when there is no display."""
    if sys.platform == "darwin":
        opener = "open"
    elif not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "--preview needs a display; open the file yourself."
    else:
        opener = "xdg-open"
    if not shutil.which(opener):
        return f"--preview needs {opener}; open the file yourself."
    for path in paths:
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    return None
