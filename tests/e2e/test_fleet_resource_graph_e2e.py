"""`aksnet drift --via resource-graph DIR` against the emulator: the same report as the ARM path in a
handful of queries, and a resource whose Resource Graph row lags behind ARM is confirmed by a GET."""

from __future__ import annotations

from typing import Any

import pytest
from aksnet_run import Outcome, aksnet_env, arm_requests, last_index, run_cli
from fleet import build_fleet

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env", "no_step_summary")]
__all__ = ["aksnet_env"]
GRAPH = "/providers/microsoft.resourcegraph/resources"
OPEN_SSH = {"properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                           "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
                           "destinationAddressPrefix": "*", "destinationPortRange": "22"}}


@pytest.fixture
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def report(outcome: Outcome) -> dict[str, Any]:
    doc = outcome.json()
    doc.pop("reads", None)
    return doc


def graph_queries(admin: Any, since: int) -> list[dict[str, Any]]:
    return [e for e in admin.journal(since) if e["path"].split("?")[0].lower() == GRAPH]


def test_resource_graph_gives_the_arm_report_in_a_few_queries(emulator: Any, admin: Any, sdk: Any,
                                                              tmp_path: Any) -> None:
    paths = build_fleet(tmp_path / "fleet", 6)
    applied = run_cli(emulator, "apply", *paths, "--auto-approve")
    assert applied.code == 0, applied.stderr[-2000:]
    sdk.network.security_rules.begin_create_or_update("fleet-rg-004", "nsg-004", "open-ssh", OPEN_SSH).result()
    by_arm = run_cli(emulator, "drift", str(tmp_path / "fleet"), "-o", "json")
    since = last_index(admin)
    by_graph = run_cli(emulator, "drift", str(tmp_path / "fleet"), "--via", "resource-graph", "-o", "json")
    assert by_graph.code == by_arm.code == 2, by_graph.stderr[-2000:]
    assert report(by_graph) == report(by_arm)
    queries = graph_queries(admin, since)
    assert len(queries) == 3  # resources, resourcecontainers, authorizationresources: one page each
    gets = [e["path"].split("?")[0].lower() for e in arm_requests(admin, since) if e["method"] == "GET"]
    # Only the drifted NSG is read from ARM, to confirm what the index says.
    assert gets == ["/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/fleet-rg-004/providers/"
                    "microsoft.network/networksecuritygroups/nsg-004"]
    reads = by_graph.json()["reads"]
    assert reads["strategy"] == "resource-graph" and reads["confirmed_by_get"] == 1
    assert reads["requests"] == len(queries) + len(gets)


def test_a_lagging_row_is_confirmed_by_get(emulator: Any, admin: Any, sdk: Any, tmp_path: Any) -> None:
    paths = build_fleet(tmp_path / "fleet", 3)
    applied = run_cli(emulator, "apply", *paths, "--auto-approve")
    assert applied.code == 0, applied.stderr[-2000:]
    # Someone opens SSH and closes it again; Resource Graph still shows it open (its index lags).
    sdk.network.security_rules.begin_create_or_update("fleet-rg-001", "nsg-001", "open-ssh", OPEN_SSH).result()
    admin.freeze_resource_graph()
    sdk.network.security_rules.begin_delete("fleet-rg-001", "nsg-001", "open-ssh").result()
    since = last_index(admin)
    result = run_cli(emulator, "drift", str(tmp_path / "fleet"), "--via", "resource-graph", "-o", "json")
    assert result.code == 0, result.stdout[-2000:] + result.stderr[-2000:]
    doc = result.json()
    assert doc["result"] == "in_sync"
    assert doc["reads"]["confirmed_by_get"] == 1
    gets = [e["path"].split("?")[0].lower() for e in arm_requests(admin, since) if e["method"] == "GET"]
    assert len(gets) == 1 and gets[0].endswith("/networksecuritygroups/nsg-001")
