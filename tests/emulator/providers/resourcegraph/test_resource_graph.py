"""The emulator's Resource Graph subset (`POST /providers/Microsoft.ResourceGraph/resources`): the three
query shapes aksnet sends answer rows with $skipToken paging and the quota headers; anything else is
a clear 400; the index can be frozen to model Resource Graph's lag behind ARM."""

from __future__ import annotations

from typing import Any

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION

pytestmark = pytest.mark.emulator
PATH = "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01"
VNETS = "resources | where type in~ ('microsoft.network/virtualnetworks') | order by id asc"


@pytest.fixture
def raw(emulator: Any, admin: Any) -> RawArm:
    return RawArm(emulator.endpoint, emulator.ca_file)


def make_vnets(sdk: Any, count: int) -> None:
    sdk.resource.resource_groups.create_or_update("graph-rg", {"location": "eastus"})
    for index in range(count):
        sdk.network.virtual_networks.begin_create_or_update("graph-rg", f"vnet-{index}", {
            "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": [f"10.{index}.0.0/16"]}}}).result()


def query(raw: RawArm, text: str, **options: Any) -> Any:
    return raw.call("POST", PATH, {"subscriptions": [SUBSCRIPTION], "query": text,
                                   "options": {"resultFormat": "objectArray", **options}})


def test_rows_page_with_skip_token_and_carry_the_quota_headers(raw: RawArm, sdk: Any) -> None:
    make_vnets(sdk, 3)
    first = query(raw, VNETS, **{"$top": 2})
    assert first.status == 200, first.body
    assert first.body["totalRecords"] == 3 and first.body["count"] == 2
    assert [r["name"] for r in first.body["data"]] == ["vnet-0", "vnet-1"]
    assert first.body["data"][0]["type"] == "microsoft.network/virtualnetworks"
    assert first.body["data"][0]["properties"]["addressSpace"]["addressPrefixes"] == ["10.0.0.0/16"]
    assert first.header("x-ms-user-quota-remaining") is not None
    assert first.header("x-ms-user-quota-resets-after").count(":") == 2
    second = query(raw, VNETS, **{"$top": 2, "$skipToken": first.body["$skipToken"]})
    assert [r["name"] for r in second.body["data"]] == ["vnet-2"]
    assert "$skipToken" not in second.body
    assert int(second.header("x-ms-user-quota-remaining")) < int(first.header("x-ms-user-quota-remaining"))


@pytest.mark.parametrize("text", [
    "resources | project id",
    "resources | where name == 'x'",
    "resourcecontainers | where type =~ 'microsoft.network/virtualnetworks'",
    "securityresources | where type =~ 'microsoft.security/assessments'",
])
def test_any_other_query_is_a_clear_400(raw: RawArm, text: str) -> None:
    answer = query(raw, text)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "InvalidQuery"
    assert "The emulator answers only" in answer.body["error"]["message"]


def test_unknown_api_version_is_refused(raw: RawArm) -> None:
    answer = raw.call("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2020-01-01",  # never published
                      {"subscriptions": [SUBSCRIPTION], "query": VNETS})
    assert answer.status == 400 and answer.body["error"]["code"] == "InvalidApiVersionParameter"


def test_a_frozen_index_lags_behind_arm(raw: RawArm, sdk: Any, admin: Any) -> None:
    make_vnets(sdk, 1)
    admin.freeze_resource_graph()
    sdk.network.virtual_networks.begin_create_or_update("graph-rg", "vnet-new", {
        "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}}}).result()
    assert [r["name"] for r in query(raw, VNETS).body["data"]] == ["vnet-0"]
    admin.thaw_resource_graph()
    assert [r["name"] for r in query(raw, VNETS).body["data"]] == ["vnet-0", "vnet-new"]
