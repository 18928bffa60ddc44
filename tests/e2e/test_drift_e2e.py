"""`aksnet drift` against the emulator through the real SDK.

Each spec of specs/ is applied with `aksnet apply`, then changed out of band with direct SDK calls;
drift must report the right resource with exit 2 while the emulator's journal shows no write from
aksnet during the drift run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from aksnet_run import (
    SPEC_FILES,
    SPECS,
    Outcome,
    aksnet_env,
    last_index,
    resource_reads,
    run_cli,
    spec_copy,
    writes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env", "no_step_summary")]
__all__ = ["aksnet_env"]
RG = "aks-rg"


@pytest.fixture
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never append to a real job summary when the suite itself runs in GitHub Actions.
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def apply(emulator: Any, *specs: str) -> None:
    result = run_cli(emulator, "apply", *specs, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr


def drift(emulator: Any, admin: Any, *argv: str) -> Outcome:
    """Run drift and prove it wrote nothing: no PUT/PATCH/DELETE/POST to ARM in the journal meanwhile
    (the token endpoint is not under /subscriptions, so it is not counted)."""
    since = last_index(admin)
    result = run_cli(emulator, "drift", *argv)
    assert writes(admin, since) == [], "drift must never write"
    assert resource_reads(admin, since) or result.code == 1 or "0 specs" in result.stdout + result.stderr
    return result


def spec(name: str) -> str:
    return str(SPECS / name)


@pytest.mark.parametrize("name", SPEC_FILES)
def test_applied_spec_is_in_sync(emulator: Any, admin: Any, name: str) -> None:
    apply(emulator, spec(name))
    result = drift(emulator, admin, spec(name))
    assert result.code == 0, result.stdout + result.stderr
    assert f"{spec(name)}: in sync" in result.stdout
    assert "0 drifted, 0 missing" in result.stdout.splitlines()[-1]
    assert result.stdout.splitlines()[-1].startswith("Checked ")


def test_nsg_rule_opened_to_the_internet_is_drift(emulator: Any, admin: Any, sdk: Any) -> None:
    apply(emulator, spec("kubenet.yaml"))
    sdk.network.security_rules.begin_create_or_update(RG, "aks-nsg", "open-ssh", {"properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
        "destinationPortRange": "22"}}).result()
    result = drift(emulator, admin, spec("kubenet.yaml"))
    assert result.code == 2, result.stdout + result.stderr
    assert "Objects have changed outside of aksnet" in result.stdout
    assert "open-ssh" in result.stdout and "nsg.aks-nsg" in result.stdout
    assert "1 drifted, 0 missing" in result.stdout


def test_route_added_to_byo_route_table_is_drift(emulator: Any, admin: Any, sdk: Any) -> None:
    apply(emulator, spec("azure-cni.yaml"))
    sdk.network.routes.begin_create_or_update(RG, "aks-route-table", "sneaky", {"properties": {
        "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.1.0.4"}}).result()
    result = drift(emulator, admin, spec("azure-cni.yaml"), "-o", "json")
    assert result.code == 2, result.stderr
    doc = result.json()
    assert doc["result"] == "drift"
    drifted = [e for s in doc["specs"] for e in s["resource_drift"] if e["status"] != "in_sync"]
    assert [e["address"] for e in drifted] and all("aks-route-table" in e["address"] for e in drifted)
    assert any("sneaky" in json.dumps(e) for e in drifted)


def test_widened_authorized_ranges_are_drift(emulator: Any, admin: Any, sdk: Any) -> None:
    apply(emulator, spec("azure-cni-overlay.yaml"))
    cluster = sdk.aks.managed_clusters.get(RG, "aks-cluster")
    cluster.api_server_access_profile.authorized_ip_ranges = ["39.100.100.100/32", "0.0.0.0/0"]
    sdk.aks.managed_clusters.begin_create_or_update(RG, "aks-cluster", cluster).result()
    result = drift(emulator, admin, spec("azure-cni-overlay.yaml"), "-o", "junit")
    assert result.code == 2, result.stderr
    root = ET.fromstring(result.stdout)
    failed = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failed == ["aks.aks-cluster"]
    failure = next(c for c in root.iter("testcase") if c.get("name") == "aks.aks-cluster").find("failure")
    assert failure is not None and "0.0.0.0/0" in (failure.text or "")
    assert int(root.get("tests", "0")) == len(list(root.iter("testcase"))) > 1


def test_deleted_cluster_is_missing(emulator: Any, admin: Any, sdk: Any) -> None:
    apply(emulator, spec("kubenet.yaml"))
    sdk.aks.managed_clusters.begin_delete(RG, "aks-cluster").result()
    result = drift(emulator, admin, spec("kubenet.yaml"), "-o", "markdown")
    assert result.code == 2, result.stderr
    assert result.stdout.startswith("## ")
    row = next(line for line in result.stdout.splitlines() if "`aks.aks-cluster`" in line)
    assert "missing" in row
    assert "Checked" in result.stderr  # the footer goes to stderr with a machine format


def test_step_summary_gets_the_markdown_report_whatever_the_format(
        emulator: Any, admin: Any, sdk: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply(emulator, spec("kubenet.yaml"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    sdk.aks.managed_clusters.begin_delete(RG, "aks-cluster").result()
    result = drift(emulator, admin, spec("kubenet.yaml"), "-o", "json")
    assert result.code == 2
    json.loads(result.stdout)  # stdout still holds exactly one JSON document
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "aksnet drift" in text and "`aks.aks-cluster`" in text
    result = drift(emulator, admin, spec("kubenet.yaml"), "--no-summary")
    assert summary.read_text() == text


def test_directory_and_shards_split_specs_in_distinct_groups(emulator: Any, admin: Any, sdk: Any,
                                                              tmp_path: Path) -> None:
    # The three specs share names, so each copy gets its own resource group.
    fleet = tmp_path / "fleet"
    (fleet / "team").mkdir(parents=True)
    paths = []
    for index, name in enumerate(SPEC_FILES):
        copy = Path(spec_copy(tmp_path, name, ("resourceGroup: aks-rg", f"resourceGroup: fleet-{index}")))
        target = (fleet / "team" if index else fleet) / name
        target.write_text(copy.read_text())
        paths.append(str(target))
    (fleet / "not-a-spec.yml").write_text("on: push\njobs: {}\n")
    apply(emulator, *paths)
    sdk.network.security_rules.begin_create_or_update("fleet-1", "aks-nsg", "open-rdp", {"properties": {
        "priority": 110, "direction": "Inbound", "access": "Allow", "protocol": "*",
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
        "destinationPortRange": "3389"}}).result()

    whole = drift(emulator, admin, str(fleet), "-o", "json")
    assert whole.code == 2, whole.stderr
    doc = whole.json()
    assert sorted(s["path"] for s in doc["specs"]) == sorted(paths)
    assert [s["path"] for s in doc["specs"] if s["drifted"]] == [paths[1]]
    assert doc["summary"]["specs"] == len(paths) and doc["summary"]["drifted"] == 1
    assert "not-a-spec.yml" in whole.stderr

    shares = []
    for k in (1, 2):
        part = drift(emulator, admin, str(fleet), "--shard", f"{k}/2", "-o", "json")
        shares.append([s["path"] for s in part.json()["specs"]])
        assert part.code == (2 if paths[1] in shares[-1] else 0)
    assert sorted(shares[0] + shares[1]) == sorted(paths) and not set(shares[0]) & set(shares[1])
    again = drift(emulator, admin, str(fleet), "--shard", "1/2", "-o", "json")
    assert [s["path"] for s in again.json()["specs"]] == shares[0]  # deterministic


def test_invalid_spec_is_an_error_and_no_request_is_sent_for_it(emulator: Any, admin: Any, tmp_path: Path) -> None:
    bad = spec_copy(tmp_path, "kubenet.yaml", ("dnsServiceIp: 10.32.0.10", "dnsServiceIp: 10.99.0.10"))
    since = last_index(admin)
    result = run_cli(emulator, "drift", bad)
    assert result.code == 1
    assert bad in result.stdout and "error" in result.stdout
    assert writes(admin, since) == [] and resource_reads(admin, since) == []


def test_error_outranks_drift_and_other_specs_are_still_checked(emulator: Any, admin: Any, tmp_path: Path) -> None:
    apply(emulator, spec("kubenet.yaml"))
    bad = spec_copy(tmp_path, "azure-cni.yaml", ("dnsServiceIp: 10.32.0.10", "dnsServiceIp: 10.99.0.10"))
    result = drift(emulator, admin, spec("kubenet.yaml"), bad, "-o", "junit")
    assert result.code == 1
    root = ET.fromstring(result.stdout)
    assert root.get("errors") == "1"
    assert any(c.get("name") == "aks.aks-cluster" for c in root.iter("testcase"))


def test_lint_findings_go_to_stderr_and_keep_exit_zero(emulator: Any, admin: Any) -> None:
    apply(emulator, spec("kubenet.yaml"))
    result = drift(emulator, admin, spec("kubenet.yaml"), "-o", "json", "--lint", "full")
    assert result.code == 0
    assert json.loads(result.stdout)["result"] == "in_sync"
    assert "AKSNET" in result.stderr  # e.g. no network policy: a lint finding, not an error


def test_all_specs_share_one_rate_limit_per_subscription(emulator: Any, admin: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every resource GET of every spec, read concurrently, takes its token from the subscription's one
    bucket (aksnet.live.ratelimit): the bucket counts exactly the resource reads the emulator saw."""
    import threading

    from aksnet.live import ratelimit

    taken: list[str] = []
    lock = threading.Lock()

    class CountingBucket(ratelimit.TokenBucket):
        def acquire(self, tokens: float = 1.0) -> float:
            with lock:
                taken.append(threading.current_thread().name)
            return super().acquire(tokens)

    sub = "00000000-0000-0000-0000-000000000000"
    limits = ratelimit.SubscriptionLimits(reads=CountingBucket(250, 25), writes=ratelimit.TokenBucket(200, 10))
    monkeypatch.setitem(ratelimit._REGISTRY, sub, limits)
    paths = [spec_copy(tmp_path, name, ("resourceGroup: aks-rg", f"resourceGroup: rl-{i}"))
             for i, name in enumerate(SPEC_FILES)]
    since = last_index(admin)
    result = drift(emulator, admin, *paths, "-o", "json", "--parallelism", "3")
    assert result.code == 2  # nothing applied: everything is missing
    assert result.json()["summary"]["missing"] == result.json()["summary"]["resources"] > 0
    assert len(taken) == len(resource_reads(admin, since)) > len(paths)
