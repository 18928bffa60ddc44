"""Apply killed at every step boundary converges on re-run to the state of an uninterrupted run
(no cleanup runs). The kill is the applier's test seam (docs/development.md#test-seams):
AKSNET_TEST_KILL_AFTER_STEP=N / AKSNET_TEST_KILL_AFTER_WRITE=N make the subprocess send itself SIGKILL
after N finished steps /
right after the Nth write was accepted."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, db_state, run_cli, run_subprocess, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")
STEPS = 5  # rg, nsg, vnet, cluster, role assignment


@pytest.fixture(scope="module")
def golden(emulator: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from aksnet.emulator.control.client import EmulatorAdmin

    admin = EmulatorAdmin(emulator.endpoint, emulator.ca_file)
    admin.reset()
    with pytest.MonkeyPatch.context() as env:
        # Module scope runs before the per-test `aksnet_env`: without its own AKSNET_HOME this apply
        # would take the spec lock in the shared default home, where another run may hold it.
        env.setenv("AKSNET_HOME", str(tmp_path_factory.mktemp("golden-home")))
        result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    return db_state(emulator.db_path)


@pytest.mark.parametrize("seam,n", [("AKSNET_TEST_KILL_AFTER_STEP", n) for n in range(1, STEPS)]
                         + [("AKSNET_TEST_KILL_AFTER_WRITE", 4)])  # 4th write: the cluster PUT, in flight
def test_killed_apply_converges_on_rerun(emulator: Any, golden: dict[str, Any], admin: Any, seam: str, n: int) -> None:
    killed = run_subprocess(emulator, "apply", KUBENET, "--auto-approve", env={seam: str(n)})
    assert killed.code == -signal.SIGKILL, killed.stdout + killed.stderr  # subprocess: -N for "killed by N"
    rerun = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    if seam.endswith("WRITE"):
        # The cluster operation started by the killed run is awaited, not repeated.
        cluster_puts = [e for e in writes(admin) if e["method"] == "PUT" and "managedclusters" in e["path"].lower()]
        assert len(cluster_puts) == 1
    assert db_state(emulator.db_path) == golden
