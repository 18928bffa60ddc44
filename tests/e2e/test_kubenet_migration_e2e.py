"""The kubenet retirement end to end, through the aksnet CLI and the real SDK against the emulator.

- kubenet with the spec's own route table and a user-assigned identity applies and re-plans clean;
- kubenet -> Azure CNI Overlay plans as stages with every prerequisite and applies stage by stage
  (identity switch, `policy: none`, IPAM, Cilium), verified, then re-plans clean;
- a SIGKILL at every stage boundary, then a re-run, ends in the state of an uninterrupted run;
- each unmet prerequisite is refused before any write (the emulator's journal shows none);
- the fleet readiness report (one line, JSON, markdown).
"""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import _UUID, SPECS, _scrub, aksnet_env, last_index, run_cli, run_subprocess, writes
from paths import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
ROUTE_TABLE = str(SPECS / "kubenet-route-table.yaml")
OVERLAY = str(SPECS / "kubenet-route-table-overlay.yaml")
BLOCKED = REPO / "examples" / "specs" / "kubenet-blocked.yaml"
IDENTITY = "  identities:\n    userAssignedIdentities:\n      - name: id-aks\n  cluster:\n"
USE_IDENTITY = ("    subnet: aks-subnet\n", "    subnet: aks-subnet\n    identity: {type: UserAssigned, name: id-aks}\n")
TO_OVERLAY = ("      plugin: kubenet\n", "      plugin: azure\n      pluginMode: overlay\n")
SAFE_POD_CIDR = ("podCidr: 10.244.0.0/16", "podCidr: 192.168.0.0/16")


def db_state(db_path: str) -> dict[str, Any]:
    """Every stored resource without volatile values. Unlike the shared helper, role assignment names stay
    (aksnet's are deterministic, and two grants at one scope must not collapse into one key)."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute("SELECT id, body FROM resources ORDER BY key").fetchall()
    out: dict[str, Any] = {}
    for rid, body in rows:
        scope, marker, name = rid.lower().partition("/providers/microsoft.authorization/roleassignments/")
        key = _UUID.sub("<uuid>", scope) + marker + name
        assert key not in out, f"duplicate resource {rid}"
        out[key] = _scrub(json.loads(body))
    return out


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two scrubbed states differ (readable failures instead of a truncated dict compare)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def write_spec(directory: Path, name: str, *replacements: tuple[str, str]) -> str:
    text = BLOCKED.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = directory / name
    path.write_text(text)
    return str(path)


def start_and_target(directory: Path) -> tuple[str, str]:
    """A: kubenet, SystemAssigned, Calico. B: the same cluster after every stage: user-assigned identity,
    no policy engine, Azure CNI Overlay, Cilium."""
    start = write_spec(directory, "start.yaml", SAFE_POD_CIDR)
    target = write_spec(directory, "target.yaml", SAFE_POD_CIDR, ("  cluster:\n", IDENTITY), USE_IDENTITY,
                        ("policy: calico", "policy: none"),
                        (TO_OVERLAY[0], TO_OVERLAY[1] + "      dataplane: cilium\n"))
    return start, target


def ok(result: Any) -> Any:
    assert result.code == 0, result.stdout + result.stderr
    return result


def clean(emulator: Any, spec: str) -> None:
    again = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert again.code == 0 and "No changes" in again.stdout, again.stdout + again.stderr


def test_kubenet_with_its_route_table_and_identity_then_staged_migration(emulator: Any, admin: Any, sdk: Any) -> None:
    ok(run_cli(emulator, "apply", ROUTE_TABLE, "--auto-approve"))
    clean(emulator, ROUTE_TABLE)
    routes = [r.name for r in sdk.network.routes.list("aks-rg", "aks-route-table")]
    assert "to-firewall" in routes and sum(r.startswith("aks-") for r in routes) == 2  # AKS's, one per node

    planned = run_cli(emulator, "plan", OVERLAY, "-o", "json")
    cluster = next(c for c in ok(planned).json()["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster["aksnet_action"] == "migrate"
    assert all(p["met"] for p in cluster["prerequisites"]), cluster["prerequisites"]
    assert [(s["name"], s["done"]) for s in cluster["stages"]] == [
        ("identity", True), ("policy", True), ("ipam", False), ("verify", False)]

    since = last_index(admin)
    refused = run_cli(emulator, "apply", OVERLAY, "--auto-approve")
    assert refused.code != 0 and "--allow-migrate" in refused.stderr and writes(admin, since) == []
    applied = ok(run_cli(emulator, "apply", OVERLAY, "--auto-approve", "--allow-migrate"))
    assert "stage ipam" in applied.stdout + applied.stderr
    assert "verified: Azure CNI Overlay, pod CIDR 192.168.0.0/16" in applied.stdout + applied.stderr
    clean(emulator, OVERLAY)
    mc = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    assert (mc.network_profile.network_plugin, mc.network_profile.network_plugin_mode) == ("azure", "overlay")
    assert [r.name for r in sdk.network.routes.list("aks-rg", "aks-route-table")] == ["to-firewall"]


def test_every_stage_in_order(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    start, target = start_and_target(tmp_path)
    ok(run_cli(emulator, "apply", start, "--auto-approve"))
    plan = ok(run_cli(emulator, "plan", target))
    for text in ("1. [todo] identity", "2. [todo] policy", "3. [todo] ipam", "4. [todo] dataplane", "5. [todo] verify"):
        assert text in plan.stdout, plan.stdout
    result = ok(run_cli(emulator, "apply", target, "--auto-approve", "--allow-migrate"))
    output = result.stdout + result.stderr
    positions = [output.index(f"stage {name}:") for name in ("identity", "policy", "ipam", "dataplane")]
    assert positions == sorted(positions)
    clean(emulator, target)
    mc = sdk.aks.managed_clusters.get("aks-blocked-rg", "aks-cluster")
    assert mc.identity.type == "UserAssigned"
    assert (mc.network_profile.network_plugin_mode, mc.network_profile.network_dataplane,
            mc.network_profile.network_policy) == ("overlay", "cilium", "cilium")


@pytest.fixture(scope="module")
def migrated(emulator: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The state an uninterrupted start -> target apply ends in."""
    from aksnet.emulator.control.client import EmulatorAdmin

    admin = EmulatorAdmin(emulator.endpoint, emulator.ca_file)
    admin.reset()
    start, target = start_and_target(tmp_path_factory.mktemp("specs"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKSNET_HOME", str(tmp_path_factory.mktemp("golden-home")))
        ok(run_cli(emulator, "apply", start, "--auto-approve"))
        ok(run_cli(emulator, "apply", target, "--auto-approve", "--allow-migrate"))
    return db_state(emulator.db_path)


# Writes of the target apply: 1 identity, 2 its grant on the subnet, then one cluster write per stage:
# 3 identity switch, 4 policy none, 5 IPAM, 6 Cilium. A kill right after write N leaves it accepted (a
# cluster operation in flight) and nothing after it started.
@pytest.mark.parametrize("kill_after", [2, 3, 4, 5, 6])
def test_killed_at_a_stage_boundary_converges_on_rerun(emulator: Any, admin: Any, sdk: Any, migrated: dict[str, Any],
                                                       tmp_path: Path, kill_after: int) -> None:
    start, target = start_and_target(tmp_path)
    ok(run_cli(emulator, "apply", start, "--auto-approve"))
    killed = run_subprocess(emulator, "apply", target, "--auto-approve", "--allow-migrate",
                            env={"AKSNET_TEST_KILL_AFTER_WRITE": str(kill_after)})
    assert killed.code == -signal.SIGKILL, killed.stdout + killed.stderr
    rerun = ok(run_cli(emulator, "apply", target, "--auto-approve", "--allow-migrate"))
    if kill_after == 6:
        # Killed after the last stage's write, nothing is left to change but that operation still runs:
        # the re-run waits for it and verifies instead of calling the cluster done.
        assert "an operation is still running" in rerun.stdout, rerun.stdout + rerun.stderr
    # Read straight from the database (no request that would settle an operation): the re-run left
    # every operation finished.
    assert differences(db_state(emulator.db_path), migrated) == []
    clean(emulator, target)


@pytest.mark.parametrize(("replacements", "blocked_by"), [
    ((SAFE_POD_CIDR,), "no network policy engine (live: calico"),  # policy stays calico in the spec
    ((SAFE_POD_CIDR, ("policy: calico", "policy: none"), ('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.26"')),
     "Kubernetes >= 1.27 (live: 1.26"),
    ((SAFE_POD_CIDR, ("policy: calico", "policy: none"),
      ("        networkSecurityGroup: aks-nsg\n",
       "        networkSecurityGroup: aks-nsg\n        routeTable: shared\n      - name: appgw-subnet\n"
       "        addressPrefix: 10.101.0.0/24\n        routeTable: shared\n"),
      ("  cluster:\n", "  routeTables:\n    - name: shared\n      routes: []\n" + IDENTITY), USE_IDENTITY),
     "shared with appgw-subnet"),
])
def test_unmet_prerequisite_is_refused_before_any_write(emulator: Any, admin: Any, tmp_path: Path,
                                                        replacements: tuple[tuple[str, str], ...],
                                                        blocked_by: str) -> None:
    start = write_spec(tmp_path, "start.yaml", *replacements)
    ok(run_cli(emulator, "apply", start, "--auto-approve"))
    target = write_spec(tmp_path, "target.yaml", *replacements, TO_OVERLAY)
    since = last_index(admin)
    refused = run_cli(emulator, "apply", target, "--auto-approve", "--allow-migrate")
    assert refused.code == 1, refused.stdout + refused.stderr
    assert "migration prerequisites not met" in refused.stderr and blocked_by in refused.stderr, refused.stderr
    assert writes(admin, since) == []
    report = ok(run_cli(emulator, "plan", start, "-o", "json"))
    [readiness] = report.json()["migration_readiness"]
    assert readiness["ready"] is False and any(blocked_by in b["description"] for b in readiness["blockers"])


def test_pod_cidr_inside_the_vnet_is_refused_offline(emulator: Any, admin: Any, tmp_path: Path) -> None:
    """kubenet tolerates a pod CIDR inside the VNet; overlay does not, and kubenet -> overlay keeps it:
    the spec rule refuses the target before any request (AKS would answer NetworkProfileCIDROverlapVNET)."""
    start = write_spec(tmp_path, "start.yaml", ("policy: calico", "policy: none"))
    ok(run_cli(emulator, "apply", start, "--auto-approve"))
    target = write_spec(tmp_path, "target.yaml", ("policy: calico", "policy: none"), TO_OVERLAY)
    since = last_index(admin)
    refused = run_cli(emulator, "apply", target, "--auto-approve", "--allow-migrate")
    assert refused.code == 1 and "AKSNET-POD-002" in refused.stderr and "target.yaml:" in refused.stderr
    assert writes(admin, since) == [] and last_index(admin) == since  # not even a read
    [readiness] = ok(run_cli(emulator, "plan", start, "-o", "json")).json()["migration_readiness"]
    assert [b["category"] for b in readiness["blockers"]] == ["pod CIDR"]


def test_fleet_readiness_summary(emulator: Any, tmp_path: Path) -> None:
    ok(run_cli(emulator, "apply", ROUTE_TABLE, "--auto-approve"))
    ok(run_cli(emulator, "apply", str(BLOCKED), "--auto-approve"))
    text = run_cli(emulator, "plan", ROUTE_TABLE, str(BLOCKED))
    assert "2 kubenet clusters: 1 ready, 1 blocked (pod CIDR: 1, policy engine: 1)" in ok(text).stdout
    doc = ok(run_cli(emulator, "plan", ROUTE_TABLE, str(BLOCKED), "-o", "json")).json()
    assert doc["migration_readiness_summary"].startswith("2 kubenet clusters: 1 ready, 1 blocked")
    markdown = ok(run_cli(emulator, "plan", ROUTE_TABLE, str(BLOCKED), "-o", "markdown")).stdout
    assert "| `aks.aks-cluster` |" in markdown and "**2 kubenet clusters" in markdown
    drift = run_cli(emulator, "drift", ROUTE_TABLE, str(BLOCKED))
    assert drift.code == 0 and "2 kubenet clusters: 1 ready, 1 blocked" in drift.stdout, drift.stdout + drift.stderr
    drift_doc = run_cli(emulator, "drift", ROUTE_TABLE, str(BLOCKED), "-o", "json").json()
    assert drift_doc["migration_readiness_summary"].startswith("2 kubenet clusters")
