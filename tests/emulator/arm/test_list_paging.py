"""ARM lists page like ARM's: `value` plus a `nextLink` (the same request with an opaque `$skiptoken`)
while more rows follow; the SDK's pagers follow it; a token the emulator did not issue is a 400."""

from __future__ import annotations

from typing import Any

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION

pytestmark = pytest.mark.emulator
NETWORK_API = "2024-05-01"


@pytest.fixture
def three_vnets(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKSNET_EMULATOR_PAGE_SIZE", "2")
    sdk.resource.resource_groups.create_or_update("paging-rg", {"location": "eastus"})
    for index in range(3):
        sdk.network.virtual_networks.begin_create_or_update("paging-rg", f"vnet-{index}", {
            "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": [f"10.{index}.0.0/16"]}}}).result()


@pytest.mark.usefixtures("three_vnets")
def test_next_link_pages_and_the_sdk_follows_it(emulator: Any, sdk: Any) -> None:
    raw = RawArm(emulator.endpoint, emulator.ca_file)
    path = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks?api-version={NETWORK_API}"
    first = raw.call("GET", path)
    assert first.status == 200, first.body
    assert [v["name"] for v in first.body["value"]] == ["vnet-0", "vnet-1"]
    link = first.body["nextLink"]
    assert link.startswith(emulator.endpoint) and "$skiptoken=" in link and f"api-version={NETWORK_API}" in link
    second = raw.call("GET", link)
    assert [v["name"] for v in second.body["value"]] == ["vnet-2"] and "nextLink" not in second.body
    assert sorted(v.name for v in sdk.network.virtual_networks.list_all()) == ["vnet-0", "vnet-1", "vnet-2"]
    assert len(list(sdk.resource.resource_groups.list())) >= 1


@pytest.mark.usefixtures("three_vnets")
def test_a_skip_token_it_did_not_issue_is_refused(emulator: Any) -> None:
    raw = RawArm(emulator.endpoint, emulator.ca_file)
    bad = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks"
                          f"?api-version={NETWORK_API}&$skiptoken=nonsense")
    assert bad.status == 400 and bad.body["error"]["code"] == "InvalidSkipToken"
