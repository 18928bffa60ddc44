"""Set-valued fields (authorized IP ranges, address prefixes) are compared as sets of normalised members."""

from __future__ import annotations

from livestate import edit, live_state
from paths import REPO

from aksnet.core import normalize as n
from aksnet.core.desired import desired_state
from aksnet.core.diff.members import member_differences, members_differ
from aksnet.core.plan import build_plan
from aksnet.ids import Kind
from aksnet.model import Action, Plan
from aksnet.spec.load import load_spec

SUB = "00000000-0000-0000-0000-000000000000"


def test_order_repeats_and_spelling_of_a_member_do_not_count() -> None:
    assert not members_differ(["10.0.0.1", "192.168.0.0/16"], ["192.168.0.0/16", "10.0.0.1/32", "10.0.0.1"], n.cidr)
    assert member_differences([], []) == {}


def test_an_added_removed_or_changed_member_is_reported() -> None:
    added = member_differences(["10.0.0.0/24", "10.1.0.0/24", "10.3.0.0/24"], ["10.0.0.0/24"], n.cidr)
    assert set(added["iterable_item_added"].values()) == {"10.1.0.0/24", "10.3.0.0/24"}
    removed = member_differences(["10.0.0.0/24"], ["10.0.0.0/24", "10.2.0.0/24"], n.cidr)
    assert set(removed["iterable_item_removed"].values()) == {"10.2.0.0/24"}
    changed = member_differences(["10.0.0.0/24", "10.1.0.0/24"], ["10.0.0.0/24", "10.2.0.0/24"], n.cidr)
    assert "10.1.0.0/24" in str(changed) and "10.2.0.0/24" in str(changed)
    assert members_differ(["10.0.0.0/24"], [], n.cidr)


def test_members_may_be_objects() -> None:
    # A frozenset cannot hold {"id": ...} references; the comparison still ignores their order.
    a, b = {"id": "/subscriptions/s/x/a"}, {"id": "/subscriptions/s/x/b"}
    assert not members_differ([a, b], [b, a])
    assert members_differ([a], [b])


def _plan(kind: Kind, path: tuple[str, ...], value: object) -> Plan:
    """The plan of specs/kubenet.yaml against its converged live state with one field of one resource set."""
    spec = load_spec(str(REPO / "specs" / "kubenet.yaml"))
    desired = desired_state(spec, SUB)
    live = live_state(desired)
    body = edit(live, next(rid for rid, d in desired.items() if d.kind is kind))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return build_plan(desired, live, spec=spec, subscription=SUB)


def test_authorized_ranges_reordered_by_azure_are_no_change() -> None:
    spec = load_spec(str(REPO / "specs" / "kubenet.yaml"))
    ranges = list(spec.cluster.api_server.authorized_ip_ranges)
    spelled = [r.removesuffix("/32") for r in reversed(ranges)] + ranges  # reordered, repeated, bare IPs
    plan = _plan(Kind.CLUSTER, ("properties", "apiServerAccessProfile", "authorizedIPRanges"),
                 spelled)
    assert plan.actionable == ()


def test_a_vnet_address_space_with_another_member_is_an_update_of_that_field() -> None:
    plan = _plan(Kind.VNET, ("properties", "addressSpace", "addressPrefixes"), ["10.99.0.0/16"])
    [change] = [c for c in plan.actionable if c.kind is Kind.VNET]
    assert change.action is Action.UPDATE
    assert [f.path for f in change.fields] == [("properties", "addressSpace", "addressPrefixes")]
