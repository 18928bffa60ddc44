"""Fields the spec omits are sent on create only where Azure needs them, and never compared: a cluster
built by `az aks create` (its dnsPrefix, its pool mode, its grant's role definition id shape) plans no
change. Pure: desired_state + build_plan against hand-made live bodies."""

from __future__ import annotations

import pytest
from builders import with_cluster
from livestate import live_state
from paths import REPO

from aksnet.core.desired import default_dns_prefix, desired_state
from aksnet.core.plan import build_plan
from aksnet.ids import NETWORK_CONTRIBUTOR_ROLE_ID, Kind
from aksnet.model import Action
from aksnet.spec.load import load_spec

SUB = "00000000-0000-0000-0000-000000000000"
SPEC = load_spec(str(REPO / "specs" / "kubenet.yaml"))


@pytest.mark.parametrize(("name", "group", "sub", "expected"), [
    ("aks-cluster", "aks-rg", SUB, "aks-cluste-aks-rg-000000"),
    # the name part must start with a letter; characters outside [A-Za-z0-9-] are dropped
    ("1st_cluster", "my.resource_group.with.a.long.name", "abcdef12-0000", "a1stcluste-myresourcegroupw-abcdef"),
])
def test_default_dns_prefix_is_what_az_aks_create_sends(name: str, group: str, sub: str, expected: str) -> None:
    assert default_dns_prefix(name, group, sub) == expected


def _cluster_id(desired: dict[str, object]) -> str:
    return next(rid for rid, d in desired.items() if getattr(d, "kind", None) is Kind.CLUSTER)


def test_omitted_dns_prefix_is_sent_on_create_and_never_compared() -> None:
    desired = desired_state(SPEC, SUB)
    cluster = desired[_cluster_id(desired)]  # type: ignore[index]
    assert cluster.body["properties"]["dnsPrefix"] == "aks-cluste-aks-rg-000000"
    live = dict(live_state(desired))
    body = live[cluster.id].body
    body["properties"]["dnsPrefix"] = "someone-elses-prefix"
    body["properties"]["agentPoolProfiles"][0]["mode"] = "User"
    plan = build_plan(desired, live, spec=SPEC, subscription=SUB)
    assert {c.action for c in plan.changes} == {Action.NOOP}


def test_a_dns_prefix_the_spec_sets_is_compared_and_replaces() -> None:
    spec = with_cluster(SPEC, dns_prefix="mine")
    desired = desired_state(spec, SUB)
    live = dict(live_state(desired))
    live[_cluster_id(desired)].body["properties"]["dnsPrefix"] = "theirs"  # type: ignore[index]
    plan = build_plan(desired, live, spec=spec, subscription=SUB)
    [change] = [c for c in plan.changes if c.kind is Kind.CLUSTER]
    assert change.action is Action.REPLACE


@pytest.mark.parametrize("prefix", [
    "/subscriptions/{sub}/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
    "/subscriptions/{sub}", "",
])
def test_role_definition_ids_compare_by_role_guid(prefix: str) -> None:
    desired = desired_state(SPEC, SUB)
    live = dict(live_state(desired))
    grant = next(rid for rid, d in desired.items() if d.kind is Kind.ROLE_ASSIGNMENT)
    body = live[grant].body
    body["properties"]["roleDefinitionId"] = (f"{prefix.format(sub=SUB)}/providers/Microsoft.Authorization/"
                                              f"roleDefinitions/{NETWORK_CONTRIBUTOR_ROLE_ID.upper()}")
    same = [c for c in build_plan(desired, live, spec=SPEC, subscription=SUB).changes if c.id == grant]
    assert same[0].action is Action.NOOP
    body["properties"]["roleDefinitionId"] = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/" \
                                             "roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
    changed = [c for c in build_plan(desired, live, spec=SPEC, subscription=SUB).changes if c.id == grant]
    assert changed[0].action is Action.REPLACE
