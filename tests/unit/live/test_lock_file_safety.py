"""The lock file under $AKSNET_HOME cannot be turned against the operator: a planted symlink or hard link
at the lock path is refused and its target left untouched; directories 0700, the file 0600; a second
process opening a held lock does not wipe the holder's details."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aksnet.errors import LockHeldError, UsageError
from aksnet.live.locking import lock_path, spec_lock


def _spec(tmp_path: Path) -> str:
    spec = tmp_path / "spec.yaml"
    spec.write_text("x")
    return str(spec)


def test_a_symlink_planted_at_the_lock_path_is_refused_and_its_target_unchanged(tmp_path: Path) -> None:
    home, spec = tmp_path / "home", _spec(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    path = lock_path(home, spec)
    path.parent.mkdir(parents=True)
    path.symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        with spec_lock(home, spec):
            pass
    assert victim.read_text() == "precious\n"
    assert path.is_symlink()  # refused, not "repaired": the user decides


def test_a_hard_link_at_the_lock_path_is_refused(tmp_path: Path) -> None:
    home, spec = tmp_path / "home", _spec(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    path = lock_path(home, spec)
    path.parent.mkdir(parents=True)
    os.link(victim, path)
    with pytest.raises(UsageError, match="hard links"):
        with spec_lock(home, spec):
            pass
    assert victim.read_text() == "precious\n"


def test_home_and_locks_are_private(tmp_path: Path) -> None:
    home, spec = tmp_path / "home", _spec(tmp_path)
    old = os.umask(0o022)
    try:
        with spec_lock(home, spec) as path:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "locks").stat().st_mode) == 0o700


def test_a_loser_does_not_wipe_the_holders_details(tmp_path: Path) -> None:
    home, spec = tmp_path / "home", _spec(tmp_path)
    with spec_lock(home, spec) as path:
        before = path.read_text()
        assert f'"pid": {os.getpid()}' in before
        with pytest.raises(LockHeldError):
            with spec_lock(home, spec, timeout=0.1, poll=0.05):
                pass
        assert path.read_text() == before
