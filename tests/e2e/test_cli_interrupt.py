"""Ctrl-C during apply (docs/plan-and-apply.md#interrupting-an-apply): the first SIGINT stops new steps, lets the
requests in flight finish, prints what finished and exits 130; nothing is lost, and a re-run awaits
the cluster operation left running instead of repeating it. A second SIGINT exits at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from aksnet_run import REPO, SPECS, aksnet_env, run_cli, target_args, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def _apply_until_cluster_put(emulator: Any, *extra: str) -> subprocess.Popen[str]:
    """Start `aksnet apply` in a subprocess and return once the cluster's create has been sent."""
    proc = subprocess.Popen([sys.executable, "-m", "aksnet", "apply", KUBENET, "--auto-approve", *extra,
                             *target_args(emulator)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ), cwd=str(REPO))
    progress = proc.stderr if "json" in extra else proc.stdout
    assert progress is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = progress.readline()
        if not line:
            break
        if line.startswith("aks.aks-cluster: Creating..."):
            time.sleep(0.3)  # let the PUT be accepted
            return proc
    proc.kill()
    raise AssertionError("apply never started creating the cluster: " + proc.communicate()[1])


def _cluster_puts(admin: Any) -> list[dict[str, Any]]:
    return [e for e in writes(admin) if e["method"] == "PUT" and "managedclusters" in e["path"].lower()]


def test_sigint_stops_new_steps_reports_and_exits_130(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/managedClusters/", op_duration_s=4, times=1)
    proc = _apply_until_cluster_put(emulator)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr
    assert "Interrupt received" in stderr
    assert "Finished: rg.aks-rg (create), nsg.aks-nsg (create), vnet.vNet_aks_useast (create)" in stdout
    assert "Left running in Azure: aks.aks-cluster (create)" in stdout
    assert "Not started: role.aks-cluster-network-contributor (create)" in stdout
    assert "Apply complete!" not in stdout
    # No new step started after the interrupt: the role assignment was never written.
    assert not [e for e in writes(admin) if "roleassignments" in e["path"].lower()]
    rerun = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    assert len(_cluster_puts(admin)) == 1  # the interrupted create was awaited, not repeated


def test_sigint_with_json_output_prints_one_interrupted_document(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/managedClusters/", op_duration_s=4, times=1)
    proc = _apply_until_cluster_put(emulator, "-o", "json")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stdout + stderr
    doc = json.loads(stdout)
    assert doc["result"] == "interrupted"
    statuses = {s["address"]: s["status"] for s in doc["specs"][0]["steps"]}
    assert statuses["aks.aks-cluster"] == "interrupted"
    assert statuses["role.aks-cluster-network-contributor"] == "skipped"


def test_second_sigint_exits_at_once(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/managedClusters/", op_duration_s=30, times=1)
    proc = _apply_until_cluster_put(emulator)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert time.monotonic() - started < 10
    assert "Two interrupts received" in stderr
