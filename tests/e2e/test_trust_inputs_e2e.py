"""Hostile or mistaken inputs through the CLI against the emulator: ssh key data never printed, saved plans
and exports private, names and locations Azure refuses stopped before any request, and inputs that
would hang (FIFO, /dev/zero, deep JSON) end in a clear error in bounded time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import aksnet_env, arm_requests, run_cli, spec_copy, target_args
from paths import REPO
from spec_samples import ssh_public_key

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
SPEC = "azure-cni-overlay.yaml"
LINUX = "    linuxProfile:\n      adminUsername: azureuser\n      sshPublicKeyFile: id.pub\n"


def _keyed_spec(tmp_path: Path, seed: int = 1) -> tuple[str, str]:
    """The overlay spec with a linuxProfile whose key file sits beside it; (spec path, key's base64)."""
    path = spec_copy(tmp_path, SPEC, ("    subnet: aks-subnet\n", "    subnet: aks-subnet\n" + LINUX))
    key = ssh_public_key(seed)
    (tmp_path / "id.pub").write_text(key + "\n")
    return path, key.split()[1]


@pytest.mark.parametrize("output", ["text", "json", "markdown"])
def test_plan_output_shows_a_fingerprint_never_the_key(emulator: Any, admin: Any, tmp_path: Path,
                                                        output: str) -> None:
    path, blob = _keyed_spec(tmp_path)
    result = run_cli(emulator, "plan", path, "-o", output)
    assert result.code == 0, result.stderr
    assert blob not in result.stdout + result.stderr
    assert blob[:24] not in result.stdout  # not even a prefix of it
    assert "ssh-ed25519 SHA256:" in result.stdout


def test_saved_plan_and_drift_never_hold_the_key(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    path, blob = _keyed_spec(tmp_path)
    assert run_cli(emulator, "apply", path, "--auto-approve").code == 0
    other = ssh_public_key(seed=2)
    cluster = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    cluster.linux_profile.ssh.public_keys[0].key_data = other
    sdk.aks.managed_clusters.begin_create_or_update("aks-rg", "aks-cluster", cluster).result()
    drift = run_cli(emulator, "drift", path, "-o", "json")
    assert drift.code == 2, drift.stderr
    assert blob not in drift.stdout and other.split()[1] not in drift.stdout
    assert "SHA256:" in drift.stdout
    out = tmp_path / "plan.json"
    planned = run_cli(emulator, "plan", path, "--out", str(out))
    assert planned.code == 0, planned.stderr
    saved = out.read_text()
    assert blob not in saved and other.split()[1] not in saved and "SHA256:" in saved
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_writes_the_key_to_a_private_file_and_prints_only_its_fingerprint(
        emulator: Any, admin: Any, tmp_path: Path) -> None:
    path, blob = _keyed_spec(tmp_path)
    assert run_cli(emulator, "apply", path, "--auto-approve").code == 0
    printed = run_cli(emulator, "export", "-g", "aks-rg", "-n", "aks-cluster")
    assert printed.code == 0, printed.stderr
    assert blob not in printed.stdout + printed.stderr and "SHA256:" in printed.stderr
    out_dir = tmp_path / "exported"
    out_dir.mkdir()
    out = out_dir / "spec.yaml"
    saved = run_cli(emulator, "export", "-g", "aks-rg", "-n", "aks-cluster", "--out", str(out))
    assert saved.code == 0, saved.stderr
    assert blob not in out.read_text() and "sshPublicKeyFile: aks-cluster-ssh.pub" in out.read_text()
    key_file = out_dir / "aks-cluster-ssh.pub"
    assert key_file.read_text().split()[1] == blob
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Round trip: the exported spec (reading its key file) plans no changes.
    again = run_cli(emulator, "plan", str(out), "--detailed-exitcode")
    assert again.code == 0, again.stdout + again.stderr
    # Exporting again is fine (same key); a different file under that name is never overwritten.
    assert run_cli(emulator, "export", "-g", "aks-rg", "-n", "aks-cluster", "--out", str(out)).code == 0
    key_file.write_text("my own notes\n")
    refused = run_cli(emulator, "export", "-g", "aks-rg", "-n", "aks-cluster", "--out", str(out))
    assert refused.code == 1 and "is not this cluster's key" in refused.stderr
    assert key_file.read_text() == "my own notes\n"


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("aks-nsg", "aks/nsg", "AKSNET-NAME-004"),
    ("location: eastus", "location: mars", "AKSNET-LOC-001"),
    ("  resourceGroup: aks-rg", "  resourceGroup: 'aks-rg.'", "AKSNET-NAME-001"),
    ("name: nodepool1", "name: 'pool\u202e1'", "AKSNET-NAME-008"),
])
def test_names_and_locations_azure_refuses_are_located_errors_before_any_request(
        emulator: Any, admin: Any, tmp_path: Path, old: str, new: str, rule: str) -> None:
    path = spec_copy(tmp_path, SPEC, (old, new))
    for command in (("validate",), ("plan",), ("apply", "--auto-approve")):
        result = run_cli(emulator if command[0] != "validate" else None, command[0], path, *command[1:])
        assert result.code == 1, (command, result.stdout, result.stderr)
        assert rule in result.stdout + result.stderr, (command, result.stdout, result.stderr)
        assert "internal error" not in result.stderr
    assert arm_requests(admin) == []


def _subprocess(emulator: Any, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    return subprocess.run([sys.executable, "-m", "aksnet", *argv, *target_args(emulator)], capture_output=True,
                          text=True, env=env, timeout=timeout, cwd=str(REPO))


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_a_fifo_as_the_spec_is_a_clear_error_not_a_hang(emulator: Any, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    extra = ["--auto-approve"] if command == "apply" else []
    proc = _subprocess(emulator, command, str(fifo), *extra)  # TimeoutExpired fails the test
    assert proc.returncode == 1
    assert "FIFO" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_apply_of_a_symlink_to_dev_zero_is_a_clear_error_in_bounded_memory(emulator: Any, tmp_path: Path) -> None:
    link = tmp_path / "plan.json"
    link.symlink_to("/dev/zero")
    proc = _subprocess(emulator, "apply", str(link), "--auto-approve", timeout=60)
    assert proc.returncode == 1
    assert "device" in proc.stdout + proc.stderr and "internal error" not in proc.stderr


def test_a_deeply_nested_saved_plan_is_refused_clearly(emulator: Any, admin: Any, tmp_path: Path) -> None:
    deep = tmp_path / "plan.json"
    deep.write_text('{"resource_changes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    for command in ("apply", "show"):
        args = [command, str(deep)] + (["--auto-approve"] if command == "apply" else [])
        result = run_cli(emulator if command == "apply" else None, *args)
        assert result.code == 1
        assert "nests deeper than" in result.stderr and "internal error" not in result.stderr
    assert arm_requests(admin) == []


def test_a_connection_that_keeps_dropping_is_retried_then_reported_for_its_resource(
        emulator: Any, admin: Any, tmp_path: Path) -> None:
    path = spec_copy(tmp_path, SPEC)
    admin.add_fault(method="PUT", path="networkSecurityGroups/aks-nsg$", drop="before_commit")
    proc = _subprocess(emulator, "apply", path, "--auto-approve", timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "internal error" not in out and "aksnet-crash-" not in out
    assert "nsg.aks-nsg: ConnectionDropped (retryable), retrying" in out  # retried by aksnet, after the SDK
    assert "nsg.aks-nsg: failed after" in out and "connection to Azure dropped" in out
    assert "rt.aks-route-table: Creation complete" in out  # the other resources of the wave went on
    assert out.count("nsg.aks-nsg: ConnectionDropped (retryable), retrying") >= 2


def test_a_connection_dropping_on_a_read_is_a_clear_error(emulator: Any, admin: Any, tmp_path: Path) -> None:
    path = spec_copy(tmp_path, SPEC)
    admin.add_fault(method="GET", path="routeTables/aks-route-table$", drop="before_commit")
    result = run_cli(emulator, "plan", path)
    assert result.code == 1
    assert "internal error" not in result.stderr
    assert "connection to Azure dropped reading" in result.stderr and "aks-route-table" in result.stderr


@pytest.mark.parametrize(("status", "code"), [(429, "TooManyRequests"), (409, "AnotherOperationInProgress")])
def test_retry_after_3600_is_capped_by_the_run_deadline(emulator: Any, admin: Any, tmp_path: Path, status: int,
                                                         code: str) -> None:
    path = spec_copy(tmp_path, SPEC)
    admin.add_fault(method="PUT", path="networkSecurityGroups/aks-nsg$", status=status, code=code, retry_after=3600)
    started = time.monotonic()
    # A fresh process per case (throttling state is per process); the subprocess timeout proves no hour-long wait.
    proc = _subprocess(emulator, "apply", path, "--auto-approve", "--timeout", "20", timeout=120)
    elapsed = time.monotonic() - started
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "3600" in out or "deadline" in out
    assert "internal error" not in out
    assert elapsed < 110


def test_names_with_characters_the_url_must_encode_apply_and_converge(emulator: Any, admin: Any, sdk: Any,
                                                                      tmp_path: Path) -> None:
    """A resource group named with parentheses and a non-ASCII letter (both allowed by ARM) reaches the
    emulator percent-encoded, the role assignment's scope path included, and is stored decoded."""
    group = "aks-rg(ñ)"
    path = spec_copy(tmp_path, SPEC, ("  resourceGroup: aks-rg", f"  resourceGroup: '{group}'"))
    applied = run_cli(emulator, "apply", path, "--auto-approve")
    assert applied.code == 0, applied.stdout + applied.stderr
    assert sdk.resource.resource_groups.get(group).name == group
    grants = [e for e in arm_requests(admin) if e["method"] == "PUT" and "roleAssignments" in e["path"]]
    assert grants and all(group in e["path"] for e in grants)  # decoded by the emulator, as ARM does
    again = run_cli(emulator, "plan", path, "--detailed-exitcode")
    assert again.code == 0, again.stdout + again.stderr


@pytest.mark.parametrize(("key_file", "rule"), [("../outside.pub", "AKSNET-KEY-001"), ("/proc/self/environ", "AKSNET-KEY-001"),
                                                ("notes.txt", "AKSNET-KEY-002")])
def test_a_bad_key_file_stops_plan_and_apply_before_any_request(emulator: Any, admin: Any, tmp_path: Path,
                                                                 key_file: str, rule: str) -> None:
    spec_dir = tmp_path / "specs"
    spec_dir.mkdir()
    (tmp_path / "outside.pub").write_text(ssh_public_key() + "\n")
    (spec_dir / "notes.txt").write_text("not a key\n")
    path = spec_copy(spec_dir, SPEC, ("    subnet: aks-subnet\n", "    subnet: aks-subnet\n" + LINUX.replace(
        "id.pub", key_file)))
    for command in (("plan",), ("apply", "--auto-approve")):
        result = run_cli(emulator, *command[:1], path, *command[1:])
        assert result.code == 1
        assert rule in result.stdout + result.stderr and "spec.cluster.linuxProfile.sshPublicKeyFile" in result.stderr
    assert arm_requests(admin) == []
