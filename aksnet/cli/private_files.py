"""Files aksnet writes for the user (saved plans, exported specs, their ssh key files): mode 0600.

A saved plan names subscription, resource ids and the spec's path; an exported spec describes a
network. Neither should be readable, let alone writable, by other users of a shared CI machine, so
they are created 0600 and an existing file is brought to 0600 before it is overwritten.
"""

from __future__ import annotations

import os

PRIVATE_MODE = 0o600


def write_private_text(path: str, text: str) -> None:
    """Write `text` (UTF-8) to `path`, created or truncated, mode 0600. Raises OSError."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)  # an existing file keeps its mode through O_CREAT: set it
        data = text.encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)
