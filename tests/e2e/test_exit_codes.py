"""Exit codes a pipeline can trust: a plan with a change Azure cannot make says so in its summary and
exits 1 (never 0 "no changes" or 2 "changes to apply"); SIGTERM (a cancelled CI job) stops apply
like the first Ctrl-C and exits 143 once the requests in flight are accounted for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, run_cli, run_subprocess, spec_copy, target_args, writes
from paths import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def test_plan_with_a_change_azure_cannot_make_exits_1_and_counts_it(emulator: Any, admin: Any,
                                                                    tmp_path: Path) -> None:
    first = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert first.code == 0, first.stdout + first.stderr
    # The cluster's nodes sit in aks-subnet: Azure refuses a new prefix (InUseSubnetCannotBeUpdated).
    moved = spec_copy(tmp_path, "kubenet.yaml", ("addressPrefix: 10.100.0.0/16", "addressPrefix: 10.101.0.0/16"))
    index = admin.journal()[-1]["index"]
    for extra in ([], ["--detailed-exitcode"]):
        plan = run_subprocess(emulator, "plan", moved, *extra)
        assert plan.code == 1, plan.stdout + plan.stderr
        assert "Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 cannot be applied." in plan.stdout
        assert "cannot be applied" in plan.stderr and "Traceback" not in plan.stderr
    applied = run_subprocess(emulator, "apply", moved, "--auto-approve")
    assert applied.code == 1, applied.stdout + applied.stderr
    assert "cannot make" in applied.stderr
    assert writes(admin, index) == []


def test_sigterm_stops_new_steps_reports_and_exits_143(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/managedClusters/", op_duration_s=4, times=1)
    proc = subprocess.Popen([sys.executable, "-m", "aksnet", "apply", KUBENET, "--auto-approve",
                             *target_args(emulator)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ), cwd=str(REPO))
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line or line.startswith("aks.aks-cluster: Creating..."):
            break
    time.sleep(0.3)  # let the cluster PUT be accepted
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 143, stdout + stderr
    assert "SIGTERM received" in stderr and "Traceback" not in stderr
    assert "Left running in Azure: aks.aks-cluster (create)" in stdout
    assert "Not started: role.aks-cluster-network-contributor (create)" in stdout
    assert not [e for e in writes(admin) if "roleassignments" in e["path"].lower()]
    rerun = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    cluster_puts = [e for e in writes(admin) if e["method"] == "PUT" and "managedclusters" in e["path"].lower()]
    assert len(cluster_puts) == 1  # the create left running was awaited, not repeated
