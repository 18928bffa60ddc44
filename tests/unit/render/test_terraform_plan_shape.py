"""The plan JSON carries Terraform's resource-change keys (mode, type, provider_name, after_unknown with
null in after, before/after_sensitive) beside aksnet's own, so a policy written for Terraform's
`resource_changes` runs on it: here a conftest-style Rego policy, evaluated by rego-cpp (regopy, from
PyPI: no `opa` binary is installable from the package registries this project uses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from livestate import edit, live_state
from paths import REPO
from regopy import Interpreter

from aksnet.core.desired import desired_state
from aksnet.core.plan import build_plan
from aksnet.ids import ARM_TYPE
from aksnet.model import Plan
from aksnet.render.json import plan_document, plan_from_document
from aksnet.render.plan_values import PROVIDER_NAME, arm_type
from aksnet.spec.load import load_spec
from aksnet.spec.types import Spec

SUB = "00000000-0000-0000-0000-000000000000"
POLICY = REPO / "examples" / "policies" / "aksnet_plan.rego"


def _spec(name: str) -> Spec:
    return load_spec(str(REPO / "specs" / f"{name}.yaml"))


def _plan(spec: Spec, live: dict[str, Any]) -> Plan:
    return build_plan(desired_state(spec, SUB), live, spec=spec, subscription=SUB)


def _document(plan: Plan) -> dict[str, Any]:
    """What `aksnet plan -o json` prints and `--out` saves (through JSON, as a policy engine reads it)."""
    loaded: dict[str, Any] = json.loads(json.dumps(plan_document(plan), default=str))
    return loaded


def _policy(document: dict[str, Any]) -> dict[str, set[str]]:
    rego = Interpreter()
    rego.add_module("aksnet_plan", POLICY.read_text())
    rego.set_input_term(json.dumps(document))
    results = {}
    for rule in ("deny", "warn"):
        output = json.loads(str(rego.query(f"data.main.{rule}")))
        results[rule] = set(output["expressions"][0])
    return results


def test_every_resource_change_has_terraforms_keys() -> None:
    document = _document(_plan(_spec("kubenet"), {}))  # an empty subscription: everything is created
    assert document["format_version"] == "1.0"
    assert document["resource_changes"]
    for rc in document["resource_changes"]:
        assert rc["mode"] == "managed"
        assert rc["provider_name"] == PROVIDER_NAME
        assert rc["type"] == ARM_TYPE[next(k for k in ARM_TYPE if k.value == rc["kind"])]
        change = rc["change"]
        assert {"actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"} <= set(change)
        assert change["before"] is None and change["before_sensitive"] is False  # created: nothing before
        assert change["after_sensitive"] == {}  # no secret in any body aksnet writes
        # aksnet's own keys stay
        assert {"kind", "azure_id", "aksnet_action", "fields", "depends_on"} <= set(rc)


def test_unknown_values_are_null_in_after_and_true_in_after_unknown() -> None:
    plan = _plan(_spec("kubenet"), {})
    document = _document(plan)
    [grant] = [rc for rc in document["resource_changes"] if rc["type"] == "Microsoft.Authorization/roleAssignments"]
    assert grant["change"]["after"]["properties"]["principalId"] is None
    assert grant["change"]["after_unknown"] == {"properties": {"principalId": True}}
    others = [rc for rc in document["resource_changes"] if rc is not grant]
    assert all(rc["change"]["after_unknown"] == {} for rc in others)
    # the saved plan still applies exactly: the known-after-apply markers come back on load
    assert plan_from_document(document) == plan


def test_arm_type_of_child_and_top_level_ids() -> None:
    nsg = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n"
    assert arm_type(nsg, "x") == "Microsoft.Network/networkSecurityGroups"
    assert arm_type(f"{nsg}/securityRules/ssh", "x") == "Microsoft.Network/networkSecurityGroups/securityRules"
    assert arm_type(f"/subscriptions/{SUB}/resourceGroups/rg", "x") == "Microsoft.Resources/resourceGroups"
    grant = f"{nsg}/providers/Microsoft.Authorization/roleAssignments/0000"
    assert arm_type(grant, "x") == "Microsoft.Authorization/roleAssignments"


def test_terraform_style_policy_denies_a_new_kubenet_cluster_and_warns_on_unknowns() -> None:
    result = _policy(_document(_plan(_spec("kubenet"), {})))
    assert result["deny"] == {"aks.aks-cluster: new clusters must not use kubenet"}
    assert result["warn"] == {"role.aks-cluster-network-contributor: properties.principalId is known only after apply"}


def test_terraform_style_policy_passes_an_overlay_cluster() -> None:
    assert _policy(_document(_plan(_spec("azure-cni-overlay"), {})))["deny"] == set()


def test_terraform_style_policy_denies_a_delete() -> None:
    spec = _spec("kubenet")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "networkSecurityGroups/aks-nsg")
    body["properties"]["securityRules"].append({
        "name": "out-of-band", "id": f"{body['id']}/securityRules/out-of-band",
        "properties": {"priority": 300, "direction": "Inbound", "access": "Deny", "protocol": "Tcp",
                       "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
                       "destinationPortRange": "25"}})
    document = _document(_plan(spec, live))
    [rc] = [rc for rc in document["resource_changes"] if rc["change"]["actions"] != ["no-op"]]
    assert rc["type"] == "Microsoft.Network/networkSecurityGroups/securityRules"
    assert _policy(document)["deny"] == {
        f"{rc['address']} (Microsoft.Network/networkSecurityGroups/securityRules): plan deletes it; "
        "run this change by hand"}


def test_terraform_style_policy_denies_ssh_from_the_internet(tmp_path: Path) -> None:
    text = (REPO / "specs" / "azure-cni-overlay.yaml").read_text()
    spec_text = text.replace("      rules: []", """      rules:
        - {name: ssh-in, priority: 100, direction: Inbound, access: Allow, protocol: Tcp,
           source: Internet, destination: "*", destinationPorts: "22"}""")
    assert spec_text != text
    path = tmp_path / "azure-cni-overlay.yaml"
    path.write_text(spec_text)
    spec = load_spec(str(path))
    assert _policy(_document(_plan(spec, {})))["deny"] == {"nsg.aks-nsg: rule ssh-in allows port 22 from Internet"}
