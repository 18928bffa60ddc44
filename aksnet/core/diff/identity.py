"""Diff of the cluster's identity and dataplane: type, which user-assigned identity, kubelet identity,
Cilium. Pure. Classes and sources in `aksnet.core.change_classes`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.change_classes import DATAPLANE_REPLACE, DATAPLANE_TO_CILIUM, IDENTITY_SWITCH
from aksnet.core.diff.common import FieldDiffs
from aksnet.core.stages import identity_ids


def diff_identity(diffs: FieldDiffs, want: Mapping[str, Any], have: Mapping[str, Any]) -> None:
    want_identity, live_identity = want.get("identity") or {}, have.get("identity") or {}
    want_type, live_type = n.enum(want_identity.get("type")), n.enum(live_identity.get("type"))
    if want_type is not None and want_type != live_type:
        diffs.add(("identity", "type"), live_identity.get("type"), want_identity.get("type"), IDENTITY_SWITCH)
    wanted, current = identity_ids(want), identity_ids(have)
    if wanted and wanted != current:
        diffs.add(("identity", "userAssignedIdentities"), sorted(current), sorted(wanted), IDENTITY_SWITCH)
    want_kubelet = ((want.get("properties") or {}).get("identityProfile") or {}).get("kubeletidentity") or {}
    live_kubelet = ((have.get("properties") or {}).get("identityProfile") or {}).get("kubeletidentity") or {}
    diffs.compare(("properties", "identityProfile", "kubeletidentity", "resourceId"),
                  want_kubelet.get("resourceId"), live_kubelet.get("resourceId"), n.arm_id)


def diff_dataplane(diffs: FieldDiffs, want: Mapping[str, Any], have: Mapping[str, Any]) -> None:
    """`want`/`have` are network profiles."""
    wanted = n.enum(want.get("networkDataplane"))
    current = n.enum(have.get("networkDataplane")) or "azure"
    if wanted is None or wanted == current:
        return
    to_cilium = wanted == "cilium" and current == "azure"
    diffs.add(("properties", "networkProfile", "networkDataplane"), have.get("networkDataplane"),
              want.get("networkDataplane"), DATAPLANE_TO_CILIUM if to_cilium else DATAPLANE_REPLACE)
