"""Read a file the user named (spec, ssh key, saved plan) in bounded time and memory.

Only regular files: `os.stat` first (it never blocks), so a FIFO, a device (`/dev/zero`, also behind a
symlink), a socket or a directory is refused before it is opened; the descriptor is opened with
O_NONBLOCK and checked again with `fstat` (the path could be swapped in between), and at most
`cap + 1` bytes are read, so a file over the cap is refused without reading the rest.
"""

from __future__ import annotations

import os
import stat
from contextvars import ContextVar

# Kernel pseudo-filesystems: their "regular" files report size 0 and can hold anything
# (/proc/self/environ is the process's environment). Devices under /dev are refused as non-regular
# files; /dev/shm holds ordinary files.
PSEUDO_ROOTS = ("/proc", "/sys")


# `--allow-outside-key-path` (set once per CLI run): a linuxProfile.sshPublicKeyFile may then be an
# absolute path or lie outside the spec's directory tree. Off by default so a spec from a pull request
# cannot make CI read `~/.ssh/...`, `../../.git-credentials` or /proc/self/environ.
ALLOW_OUTSIDE_KEY_PATH: ContextVar[bool] = ContextVar("allow_outside_key_path", default=False)


class FileRefused(ValueError):
    """A path that is not a readable regular file under the cap; the message says why."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def in_pseudo_filesystem(real_path: str) -> bool:
    return any(real_path == root or real_path.startswith(root + os.sep) for root in PSEUDO_ROOTS)


def read_regular_file(path: str, cap: int, *, refuse_over_cap: bool = True) -> bytes:
    """The bytes of `path`, a regular file of at most `cap` bytes. Raises FileNotFoundError,
    PermissionError / OSError (as open would), or FileRefused. With `refuse_over_cap=False` a longer
    file gives its first `cap + 1` bytes (the caller reports the size with its own rule)."""
    info = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"it is {_kind(info.st_mode)}, not a regular file")
    if in_pseudo_filesystem(os.path.realpath(path)):
        raise FileRefused("it is in a kernel pseudo-filesystem (/proc, /sys)")
    if refuse_over_cap and info.st_size > cap:
        raise FileRefused(f"it has {info.st_size} bytes, over the {cap}-byte cap")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise FileRefused(f"it is {_kind(opened.st_mode)}, not a regular file")
        chunks: list[bytes] = []
        remaining = cap + 1  # never read more than the cap plus one byte
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if refuse_over_cap and len(data) > cap:
        raise FileRefused(f"it has more than {cap} bytes, over the cap")
    return data


MAX_PLAN_BYTES = 8 * 1024 * 1024  # a saved plan of one spec is tens of KiB
MAX_JSON_DEPTH = 64  # a saved plan nests about 10 levels (resource_changes -> change -> after -> properties ...)


def json_depth(value: object) -> int:
    """Nesting depth of a parsed JSON value (iterative: no recursion on hostile input)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def parse_json_capped(text: str, max_depth: int = MAX_JSON_DEPTH) -> object:
    """`json.loads` with a nesting cap: deeper documents are refused (FileRefused) instead of ending
    in a RecursionError. Raises ValueError for text that is not JSON."""
    import json

    try:
        value: object = json.loads(text)
    except RecursionError:
        raise FileRefused(f"its JSON nests deeper than {max_depth} levels") from None
    if json_depth(value) > max_depth:
        raise FileRefused(f"its JSON nests deeper than {max_depth} levels")
    return value
