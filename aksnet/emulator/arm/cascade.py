"""Deleting everything in a resource group (RG delete; AKS removing its node resource group).

ARM deletes every resource in a group when the group is deleted (Microsoft.Resources delete
resource group: "all of its resources are also deleted"). Each top-level resource's kind gets its
`complete_delete` first so modelled side effects happen (AKS removes its node resource group).
"""

from __future__ import annotations

from typing import Protocol

from aksnet.emulator.arm.contract import ArmError, Txn
from aksnet.emulator.arm.ids import parse_any
from aksnet.emulator.arm.registry import kind_for


class GroupTxn(Txn, Protocol):
    """A transaction that can list a group's rows (the store's SqliteTxn is one)."""

    def ids_in_group(self, subscription: str, resource_group: str) -> list[str]: ...


def delete_group_contents(txn: GroupTxn, subscription: str, name: str) -> None:
    """The store's group cleaner: passed to `Store`, which runs it when a group is deleted."""
    for resource_id in txn.ids_in_group(subscription, name):
        stored = txn.get(resource_id)
        if stored is None:  # removed with its parent or by a side effect above
            continue
        rid = parse_any(resource_id)
        kind = kind_for(rid.type)
        if kind is not None and rid.parent is None:
            try:
                kind.complete_delete(txn, rid, stored)
            except ArmError:
                pass  # the group goes regardless: ARM force-deletes contents in dependency order
        txn.delete(resource_id)
