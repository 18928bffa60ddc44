"""A local run lock per spec, like Terraform's state lock (https://developer.hashicorp.com/terraform/language/state/locking).

aksnet keeps no state, so the thing to protect is the spec's resources against two concurrent
applies on one machine: `flock` on `$AKSNET_HOME/locks/<hash of the spec's absolute path>.lock`.
The holder writes its pid, host and start time into the file so the loser can name it. The kernel
drops the lock when the holder dies (even on SIGKILL), so a crash never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from aksnet.errors import LockHeldError, UsageError


def lock_path(home: Path, spec_file: str) -> Path:
    digest = hashlib.sha256(str(Path(spec_file).resolve()).encode()).hexdigest()[:16]
    return home / "locks" / f"{Path(spec_file).stem}-{digest}.lock"


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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise UsageError(f"cannot create the lock file {path}: {err.strerror or err}",
                         hint="set AKSNET_HOME to a writable directory (default ./.aksnet/)") from err
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
