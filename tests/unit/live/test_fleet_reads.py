"""Fleet reads: which reads a set of ids costs least (per-resource GETs, per-group lists, one list of
the subscription), and how lookups are answered from a snapshot."""

from __future__ import annotations

from aksnet.live.snapshot import (
    STRATEGY_GET,
    STRATEGY_LIST,
    ConfirmedReader,
    ListRead,
    Snapshot,
    SnapshotReader,
    choose_reads,
    owning_id,
)

SUB = "/subscriptions/s1"


def ids(group: str, index: int) -> list[str]:
    base = f"{SUB}/resourceGroups/{group}"
    vnet = f"{base}/providers/Microsoft.Network/virtualNetworks/vnet-{index}"
    return [base, vnet, f"{base}/providers/Microsoft.Network/networkSecurityGroups/nsg-{index}",
            f"{base}/providers/Microsoft.ContainerService/managedClusters/aks-{index}",
            f"{vnet}/subnets/snet/providers/Microsoft.Authorization/roleAssignments/ra-{index}"]


def every_list(_arm_type: str, per_group: bool) -> bool:
    return not per_group or _arm_type != "microsoft.authorization/roleassignments"


def test_a_single_spec_keeps_one_get_per_resource() -> None:
    plan = choose_reads(ids("rg", 0), every_list)
    assert plan.strategy == STRATEGY_GET and plan.lists == () and len(plan.gets) == 5


def test_a_fleet_lists_each_type_once_for_the_subscription() -> None:
    fleet = [rid for i in range(200) for rid in ids(f"rg-{i}", i)]
    plan = choose_reads(fleet, every_list)
    assert plan.strategy == STRATEGY_LIST and plan.gets == ()
    assert {(r.arm_type, r.resource_group) for r in plan.lists} == {
        ("microsoft.resources/resourcegroups", None), ("microsoft.network/virtualnetworks", None),
        ("microsoft.network/networksecuritygroups", None), ("microsoft.containerservice/managedclusters", None),
        ("microsoft.authorization/roleassignments", None)}
    assert plan.estimate == 5


def test_two_in_one_group_list_that_group() -> None:
    plan = choose_reads([*ids("rg", 0)[1:2], *ids("rg", 1)[1:2]], every_list)
    assert plan.lists == (ListRead("s1", "microsoft.network/virtualnetworks", "rg"),)


def test_types_that_cannot_be_listed_are_read_one_by_one() -> None:
    fleet = [rid for i in range(3) for rid in ids(f"rg-{i}", i)]
    plan = choose_reads(fleet, lambda t, _g: t == "microsoft.network/virtualnetworks")
    assert len(plan.lists) == 1 and len(plan.gets) == 12


def test_snapshot_answers_gets_absence_and_role_assignments_at_scope() -> None:
    rg, vnet, nsg, _aks, ra = ids("rg", 0)
    snapshot = Snapshot(bodies={vnet.lower(): {"id": vnet, "name": "vnet-0"},
                                ra.lower(): {"id": ra, "properties": {"scope": ra.split("/providers/Microsoft.Auth")[0]}}},
                        complete={ListRead("s1", "microsoft.network/virtualnetworks", None),
                                  ListRead("s1", "microsoft.authorization/roleassignments", None)})

    class Fallback:
        asked: list[str] = []

        def get(self, rid: str) -> dict[str, object] | None:
            self.asked.append(rid)
            return {"id": rid}

        def list_role_assignments(self, scope: str) -> list[dict[str, object]]:
            raise AssertionError("answered from the snapshot")

    fallback = Fallback()
    reader = SnapshotReader(snapshot, fallback)
    assert reader.get(vnet.upper().replace("/SUBSCRIPTIONS/S1", "/subscriptions/s1")) == {"id": vnet, "name": "vnet-0"}
    assert reader.get(vnet.replace("vnet-0", "vnet-9")) is None  # listed type, not in the list: absent
    assert reader.get(nsg) == {"id": nsg} and fallback.asked == [nsg]  # type not listed: a GET
    subnet_scope = f"{vnet}/subnets/snet"
    assert [b["id"] for b in reader.list_role_assignments(subnet_scope)] == [ra]
    assert reader.list_role_assignments(vnet) == []  # the assignment is below the VNet, not at or above it
    confirmed = ConfirmedReader({vnet: None}, reader)
    assert confirmed.get(vnet) is None and confirmed.get(rg) == {"id": rg}


def test_owning_id_is_the_managed_resource_a_change_belongs_to() -> None:
    managed = ids("rg", 0)
    assert owning_id(managed[1] + "/subnets/snet", managed) == managed[1]
    assert owning_id(managed[4], managed) == managed[4]
    assert owning_id("/subscriptions/other", managed) is None


def test_a_refused_subscription_list_falls_back_to_the_groups_lists() -> None:
    from aksnet.errors import AksnetError
    from aksnet.live.snapshot import take_snapshot

    # Six specs in two resource groups: a list of the subscription, and should the identity only be a
    # Reader of the groups (403 on the subscription-wide list), one list per group instead of six GETs.
    fleet = [ids(f"rg-{i % 2}", i)[1] for i in range(6)]
    plan = choose_reads(fleet, every_list)
    whole = ListRead("s1", "microsoft.network/virtualnetworks", None)
    assert plan.lists == (whole,)
    assert plan.fallbacks[whole] == (ListRead("s1", "microsoft.network/virtualnetworks", "rg-0"),
                                     ListRead("s1", "microsoft.network/virtualnetworks", "rg-1"))
    asked: list[ListRead] = []

    def lister(read: ListRead) -> list[dict[str, object]]:
        asked.append(read)
        if read.resource_group is None:
            raise AksnetError("Azure refused listing (AuthorizationFailed)")
        return [{"id": rid} for rid in fleet if f"/resourceGroups/{read.resource_group}/" in rid]

    snapshot = take_snapshot(plan, lister)
    assert asked == [whole, *plan.fallbacks[whole]]
    assert all(snapshot.covers(rid) and rid.lower() in snapshot.bodies for rid in fleet)
    assert list(snapshot.failed) == [whole]
