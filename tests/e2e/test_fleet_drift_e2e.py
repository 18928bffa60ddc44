"""`aksnet drift DIR` over a fleet against the emulator: a broken spec is never skipped, an empty
fleet is not "in sync", one spec's failing reads stay that spec's error, reads cost per type
(request count from the emulator's journal), and ARM's throttle (`--throttle azure` buckets)
leaves no spec unchecked, also with two shards running as two processes at once."""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from aksnet_run import SPECS, Outcome, aksnet_env, arm_requests, last_index, run_cli, run_subprocess, writes
from fleet import build_fleet, spec_text

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env", "no_step_summary")]
__all__ = ["aksnet_env"]
FLEET_SIZE = 20


@pytest.fixture
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def apply_fleet(emulator: Any, paths: list[str]) -> None:
    result = run_cli(emulator, "apply", *paths, "--auto-approve", "--parallelism", "8")
    assert result.code == 0, result.stdout[-3000:] + result.stderr[-3000:]


def drift(emulator: Any, *argv: str) -> Outcome:
    return run_cli(emulator, "drift", *argv)


# -- a spec that does not load is an error, in every format -------------------------------------------

BROKEN = {
    "typo-apiversion.yaml": lambda text: text.replace("apiVersion: aksnet/v1", "apiVersion: aksent/v1"),
    "typo-kind.yaml": lambda text: text.replace("kind: ClusterNetwork", "kind: ClusterNetwrok"),
    "miscased-keys.yaml": lambda text: text.replace("apiVersion:", "ApiVersion:").replace("metadata:", "Metadata:"),
}


def broken_fleet(directory: Path) -> tuple[list[str], list[str], str]:
    """(good spec paths, broken spec paths, the BOM spec's path) in `directory`, plus a workflow
    file that is not a spec at all."""
    good = build_fleet(directory, 2)
    broken = []
    for index, (name, damage) in enumerate(BROKEN.items(), start=10):
        path = directory / name
        path.write_text(damage(spec_text(index)))
        broken.append(str(path))
    bom = directory / "with-bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + spec_text(20).encode())
    (directory / "workflow.yml").write_text("on: push\njobs: {}\n")
    return good, broken, str(bom)


def test_broken_specs_are_errors_in_every_format(emulator: Any, admin: Any, tmp_path: Path) -> None:
    good, broken, bom = broken_fleet(tmp_path / "fleet")
    apply_fleet(emulator, [*good, bom])
    text = drift(emulator, str(tmp_path / "fleet"))
    assert text.code == 1, text.stdout + text.stderr
    for path in broken:
        assert f"{path}: error:" in text.stdout
    assert f"{bom}: in sync" in text.stdout  # a BOM is legal UTF-8: that spec loads and is checked
    assert "3 specs could not be checked" in text.stdout.splitlines()[-1]
    assert "workflow.yml: not an aksnet spec" in text.stderr

    doc = drift(emulator, str(tmp_path / "fleet"), "-o", "json")
    assert doc.code == 1
    report = doc.json()
    assert report["result"] == "error"
    assert sorted(e["spec"] for e in report["errors"]) == sorted(broken)
    assert sorted(s["path"] for s in report["specs"]) == sorted([*good, bom])

    markdown = drift(emulator, str(tmp_path / "fleet"), "-o", "markdown")
    assert markdown.code == 1 and markdown.stdout.startswith("## ❌")
    assert all(f"- ❌ `{path}`" in markdown.stdout for path in broken)

    junit = drift(emulator, str(tmp_path / "fleet"), "-o", "junit")
    assert junit.code == 1
    root = ET.fromstring(junit.stdout)
    assert root.get("errors") == "3"
    errored = sorted(s.get("name") for s in root.iter("testsuite") if s.find("testcase/error") is not None)
    assert errored == sorted(broken)


def test_empty_fleet_exits_1_unless_allowed(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "kustomization.yaml").write_text("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
    refused = drift(None, str(empty), "-o", "json")
    assert refused.code == 1
    assert "no aksnet spec found" in refused.stderr
    assert refused.json()["result"] == "error"
    assert refused.json()["errors"][0]["message"].startswith("no aksnet spec found")
    allowed = drift(None, str(empty), "--allow-empty", "-o", "json")
    assert allowed.code == 0, allowed.stderr
    assert allowed.json()["summary"]["specs"] == 0


def test_empty_shard_exits_1_unless_allowed(tmp_path: Path) -> None:
    # One spec over three shards: at least two shards hold nothing.
    paths = build_fleet(tmp_path / "fleet", 1)
    from aksnet.core.drift import shard

    empty = next(k for k in (1, 2, 3) if not shard(paths, k, 3))
    refused = drift(None, str(tmp_path / "fleet"), "--shard", f"{empty}/3")
    assert refused.code == 1
    assert f"shard {empty}/3 selects none of the 1 specs" in refused.stderr
    allowed = drift(None, str(tmp_path / "fleet"), "--shard", f"{empty}/3", "--allow-empty")
    assert allowed.code == 0, allowed.stderr


def test_one_specs_failing_reads_are_its_error_and_the_others_are_checked(
        emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", 3)
    apply_fleet(emulator, paths)
    # Every read of fleet-rg-001 fails for good (403 is not transient), the lists of the whole
    # subscription too: the lists fall back to GETs, and only spec 001's GETs fail.
    admin.add_fault(method="GET", path="/resourceGroups/fleet-rg-001", status=403, code="AuthorizationFailed",
                    message="The client does not have authorization to perform action.")
    admin.add_fault(method="GET", path="/providers/Microsoft.Network/virtualNetworks$", status=403,
                    code="AuthorizationFailed", message="The client does not have authorization.")
    result = drift(emulator, str(tmp_path / "fleet"), "-o", "json", "-v")
    assert result.code == 1, result.stdout + result.stderr
    doc = result.json()
    assert [e["spec"] for e in doc["errors"]] == [paths[1]]
    assert "AuthorizationFailed" in doc["errors"][0]["message"]
    assert sorted(s["path"] for s in doc["specs"]) == [paths[0], paths[2]]
    assert all(not s["drifted"] for s in doc["specs"])
    assert doc["reads"]["failed_lists"] == 1


# -- reads per type, throttling, shards ---------------------------------------------------------------

def resource_requests(admin: Any, since: int) -> list[dict[str, Any]]:
    return [e for e in arm_requests(admin, since) if "/operations/" not in e["path"].lower()
            and "/operationresults/" not in e["path"].lower()]


def test_fleet_reads_per_type_under_azures_throttle(emulator: Any, admin: Any, sdk: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages of 8 rows: 20 specs' resources take several pages per type, so nextLink must be followed.
    monkeypatch.setenv("AKSNET_EMULATOR_PAGE_SIZE", "8")
    paths = build_fleet(tmp_path / "fleet", FLEET_SIZE)
    apply_fleet(emulator, paths)
    admin.throttle()  # Azure's buckets (as `aksnet emulator serve --throttle azure`)
    since = last_index(admin)
    result = drift(emulator, str(tmp_path / "fleet"), "-o", "json", "-v")
    assert result.code == 0, result.stdout[-2000:] + result.stderr[-2000:]
    doc = result.json()
    assert doc["errors"] == [] and len(doc["specs"]) == FLEET_SIZE
    sent = resource_requests(admin, since)
    assert writes(admin, since) == []
    assert doc["reads"]["strategy"] == "per-type"
    assert doc["reads"]["requests"] == len(sent)  # the count the report prints is what ARM saw
    # The ideal, counted independently with the SDK: each of the six types listed once for the
    # subscription, one request per page of 8. One GET per resource would be 20 x 5 + 13 (route tables).
    ideal = sum(math.ceil(len(list(items)) / 8) for items in (
        sdk.resource.resource_groups.list(), sdk.network.virtual_networks.list_all(),
        sdk.network.network_security_groups.list_all(), sdk.network.route_tables.list_all(),
        sdk.aks.managed_clusters.list(), sdk.authorization.role_assignments.list_for_subscription()))
    assert doc["reads"]["gets"] == 0
    assert len(sent) == ideal, [e["path"] for e in sent]
    assert ideal < FLEET_SIZE * 5
    assert any("skiptoken" in e["path"].lower() for e in sent), "no page was ever followed"
    assert f"{len(sent)} requests (per-type" in result.stderr


def test_single_spec_keeps_its_gets(emulator: Any, admin: Any) -> None:
    kubenet = str(SPECS / "kubenet.yaml")
    apply_fleet(emulator, [kubenet])
    result = drift(emulator, kubenet, "-o", "json")
    assert result.code == 0, result.stderr
    assert result.json()["reads"]["strategy"] == "per-resource"
    assert result.json()["reads"]["gets"] == 5


def test_a_429_waits_its_retry_after_and_the_spec_is_checked(emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", 4)
    apply_fleet(emulator, paths)
    admin.add_fault(method="GET", path="/virtualNetworks$", times=2, status=429, retry_after=1,
                    code="SubscriptionRequestsThrottled", message="Number of 'read' requests exceeded the limit.")
    since = last_index(admin)
    result = drift(emulator, str(tmp_path / "fleet"), "-o", "json")
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["reads"]["throttled"] == 2
    vnet_lists = [e for e in arm_requests(admin, since) if e["path"].split("?")[0].lower().endswith("/virtualnetworks")]
    assert [e["status"] for e in vnet_lists] == [429, 429, 200]


def test_a_429_past_the_deadline_leaves_the_specs_unchecked_and_says_why(
        emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", 2)
    apply_fleet(emulator, paths)
    admin.add_fault(method="GET", path="/subscriptions/", status=429, retry_after=30,
                    code="SubscriptionRequestsThrottled", message="Number of 'read' requests exceeded the limit.")
    result = drift(emulator, str(tmp_path / "fleet"), "--timeout", "2", "-o", "json")
    assert result.code == 1
    doc = result.json()
    assert sorted(e["spec"] for e in doc["errors"]) == paths
    assert all("SubscriptionRequestsThrottled" in e["message"] or "deadline" in e["message"]
               for e in doc["errors"]), doc["errors"]


def test_two_shards_as_two_processes_both_check_every_spec(emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", FLEET_SIZE)
    apply_fleet(emulator, paths)
    admin.throttle()
    fleet_dir = str(tmp_path / "fleet")
    with ThreadPoolExecutor(max_workers=2) as pool:
        shards = list(pool.map(lambda k: run_subprocess(emulator, "drift", fleet_dir, "--shard", f"{k}/2",
                                                        "-o", "json"), (1, 2)))
    checked: list[str] = []
    for outcome in shards:
        assert outcome.code == 0, outcome.stderr[-2000:]
        doc = json.loads(outcome.stdout)
        assert doc["errors"] == []
        checked += [s["path"] for s in doc["specs"]]
    assert sorted(checked) == paths


def test_shards_reading_one_get_each_share_a_small_budget(emulator: Any, admin: Any, tmp_path: Path) -> None:
    # One GET per resource (~110 reads) against a read bucket of 20 refilled at 10/s, from two processes
    # at once: they must pace themselves from the remaining-reads header and wait out any 429, and
    # still check every spec.
    paths = build_fleet(tmp_path / "fleet", FLEET_SIZE)
    apply_fleet(emulator, paths)
    admin.throttle(reads={"bucket": 20, "refill": 10})
    since = last_index(admin)
    fleet_dir = str(tmp_path / "fleet")
    with ThreadPoolExecutor(max_workers=2) as pool:
        shards = list(pool.map(lambda k: run_subprocess(emulator, "drift", fleet_dir, "--shard", f"{k}/2",
                                                        "--reads", "per-resource", "-o", "json"), (1, 2)))
    checked: list[str] = []
    for outcome in shards:
        assert outcome.code == 0, outcome.stderr[-2000:]
        doc = json.loads(outcome.stdout)
        assert doc["errors"] == [] and doc["reads"]["strategy"] == "per-resource"
        checked += [s["path"] for s in doc["specs"]]
    assert sorted(checked) == paths
    reads = [e for e in arm_requests(admin, since) if e["method"] == "GET"]
    assert len(reads) > 20 * 4, "the reads never exceeded the bucket: the test proves nothing"
