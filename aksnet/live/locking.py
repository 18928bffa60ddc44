"""A local run lock per spec, like Terraform's state lock (https://developer.hashicorp.com/terraform/language/state/locking).

aksnet keeps no state, so the thing to protect is the spec's resources against two concurrent
applies on one machine: `flock` on `$AKSNET_HOME/locks/<hash of the spec's absolute path>.lock`.
The holder writes its pid, host and start time into the file so the loser can name it. The kernel
drops the lock when the holder dies (even on SIGKILL), so a crash never leaves a stale lock.

The lock file is opened with O_NOFOLLOW and never truncated on open; `$AKSNET_HOME` and `locks/` are
created 0700 and the file 0600. `flock` makes this POSIX-only (Linux, macOS): aksnet does not run on
Windows, where `fcntl` does not exist.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from aksnet.errors import LockHeldError, UsageError


def lock_path(home: Path, spec_file: str) -> Path:
    digest = hashlib.sha256(str(Path(spec_file).resolve()).encode()).hexdigest()[:16]
    return home / "locks" / f"{Path(spec_file).stem}-{digest}.lock"


PRIVATE_DIR_MODE = 0o700
LOCK_FILE_MODE = 0o600


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) as 0700; an existing directory is left as it is."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    os.chmod(path, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask


def open_lock_file(path: Path) -> int:
    """Open (create 0600) the lock file without following a symlink and without truncating it: a link
    planted at the lock path (to ~/.bashrc, say) is refused and its target left untouched. A hard link
    or a file that is not a regular file owned by this user is refused too, since aksnet rewrites it."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    hint = f"remove {path} (aksnet recreates it) and check who can write to {path.parent}"
    try:
        fd = os.open(path, flags, LOCK_FILE_MODE)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UsageError(f"refusing the lock file {path}: it is a symbolic link", hint=hint) from None
        raise UsageError(f"cannot create the lock file {path}: {err.strerror or err}",
                         hint="set AKSNET_HOME to a writable directory (default ./.aksnet/)") from err
    info = os.fstat(fd)
    problem = ("it is not a regular file" if not stat.S_ISREG(info.st_mode)
               else "it has other hard links" if info.st_nlink != 1
               else "it belongs to another user" if info.st_uid != os.geteuid() else "")
    if problem:
        os.close(fd)
        raise UsageError(f"refusing the lock file {path}: {problem}", hint=hint)
    return fd


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another aksnet process"
    return f"pid {info.get('pid')} on {info.get('host')} since {info.get('started')}"


@contextmanager
def spec_lock(home: Path, spec_file: str, *, timeout: float = 0.0, poll: float = 0.2) -> Iterator[Path]:
    """Hold the spec's lock; fail fast (timeout 0) or wait up to `timeout` seconds for it."""
    path = lock_path(home, spec_file)
    try:
        make_private_dir(home)
        make_private_dir(path.parent)
    except OSError as err:
        raise UsageError(f"cannot create the lock file {path}: {err.strerror or err}",
                         hint="set AKSNET_HOME to a writable directory (default ./.aksnet/)") from err
    fd = open_lock_file(path)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockHeldError(
                        f"{spec_file} is locked by {_holder(path)} (lock file {path})",
                        hint="wait for that apply to finish, or pass --lock-timeout to wait for it",
                    ) from None
                time.sleep(poll)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "spec": str(Path(spec_file).resolve()),
                "started": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the flock
