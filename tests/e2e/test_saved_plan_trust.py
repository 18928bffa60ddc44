"""A saved plan is bound to its target and cannot be edited: `apply PLAN` refuses a plan made against
another target, and a plan whose changes are not the ones the spec yields against Azure now (edited
azure_id or action, fingerprints removed), before any write (the emulator journal shows none)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, run_cli, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def _saved(emulator: Any, tmp_path: Path) -> Path:
    out = tmp_path / "plan.json"
    result = run_cli(emulator, "plan", KUBENET, "--out", str(out))
    assert result.code == 0, result.stdout + result.stderr
    return out


def _edit(path: Path, change: Any) -> Path:
    doc = json.loads(path.read_text())
    change(doc)
    edited = path.with_name("edited.json")
    edited.write_text(json.dumps(doc))
    return edited


def test_plan_saved_with_local_is_refused_by_apply_endpoint(emulator: Any, admin: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    local = run_cli(None, "plan", KUBENET, "--local", "--out", str(out))
    assert local.code == 0, local.stdout + local.stderr
    # The hint is the exact command, with the target flag the plan needs.
    assert f"To apply exactly it: aksnet apply --local {out}" in local.stdout
    target = json.loads(out.read_text())["target"]
    assert target["kind"] == "local" and target["database"].endswith("emulator.db") and target["tenant"]
    result = run_cli(emulator, "apply", str(out))
    assert result.code == 1, result.stdout + result.stderr
    assert "made against the embedded emulator" in result.stderr and "not the emulator at" in result.stderr
    assert writes(admin) == []


def test_plan_saved_with_local_is_refused_for_azure_before_any_sign_in(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "plan.json"
    assert run_cli(None, "plan", KUBENET, "--local", "--out", str(out)).code == 0
    # No credential here: were the target checked only once connected, this would be a sign-in error.
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000000")
    result = run_cli(None, "apply", str(out))
    assert result.code == 1, result.stdout + result.stderr
    assert "made against the embedded emulator" in result.stderr and "not Azure" in result.stderr
    assert "credential" not in result.stderr.lower()


def test_plan_saved_against_an_endpoint_is_refused_by_another_endpoint(emulator: Any, admin: Any,
                                                                       tmp_path: Path) -> None:
    saved = _saved(emulator, tmp_path)
    assert f"aksnet apply --endpoint {emulator.endpoint} --ca-file {emulator.ca_file} {saved}" in \
        run_cli(emulator, "plan", KUBENET, "--out", str(saved)).stdout
    moved = _edit(saved, lambda doc: doc["target"].update(endpoint="https://127.0.0.1:1"))
    result = run_cli(emulator, "apply", str(moved))
    assert result.code == 1 and "made against the emulator at https://127.0.0.1:1" in result.stderr, result.stderr
    assert writes(admin) == []
    applied = run_cli(emulator, "apply", str(saved))  # the untouched file applies
    assert applied.code == 0, applied.stdout + applied.stderr


def _victim(sdk: Any) -> str:
    sdk.resource.resource_groups.create_or_update("victim-rg", {"location": "eastus"})
    poller = sdk.network.network_security_groups.begin_create_or_update("victim-rg", "victim-nsg",
                                                                        {"location": "eastus"})
    return str(poller.result().id)


@pytest.mark.parametrize("edit", ["azure_id", "action", "terraform_actions", "fingerprints"])
def test_edited_saved_plan_is_refused_with_zero_writes(emulator: Any, admin: Any, sdk: Any, tmp_path: Path,
                                                       edit: str) -> None:
    victim = _victim(sdk)
    saved = _saved(emulator, tmp_path)

    def tamper(doc: dict[str, Any]) -> None:
        nsg = next(c for c in doc["resource_changes"] if c["kind"] == "nsg")
        if edit == "azure_id":  # output would name aks-nsg, the request would go to another resource
            nsg["azure_id"] = victim
        elif edit == "action":
            nsg["aksnet_action"], nsg["change"]["actions"] = "delete", ["delete"]
        elif edit == "terraform_actions":  # what a reviewer or a policy reads says delete; apply reads the other key
            nsg["change"]["actions"] = ["delete"]
        else:  # no fingerprints: the staleness check would check nothing
            doc["fingerprints"] = {}

    edited = _edit(saved, tamper)
    index = admin.journal()[-1]["index"]
    result = run_cli(emulator, "apply", str(edited), "--allow-delete")
    assert result.code == 1, result.stdout + result.stderr
    refusal = "is not a usable aksnet plan" if edit == "terraform_actions" else "does not match what its spec yields"
    assert refusal in result.stderr
    assert writes(admin, index) == []
    assert sdk.network.network_security_groups.get("victim-rg", "victim-nsg").id == victim
