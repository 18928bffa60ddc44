"""ARM error codes have one factory each (arm/errors.py), and the protocol engine raises them through it."""

from __future__ import annotations

import ast
from pathlib import Path

from paths import REPO

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, parse_rid

EMULATOR = REPO / "aksnet" / "emulator"


def _codes_built(node: ast.AST) -> set[str]:
    """Codes of every `ArmError(status, "Code", ...)` under `node`."""
    return {
        call.args[1].value
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "ArmError"
        and len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str)
    }


def _factories() -> dict[str, set[str]]:
    tree = ast.parse(Path(errors.__file__).read_text())
    return {fn.name: _codes_built(fn) for fn in tree.body if isinstance(fn, ast.FunctionDef)}


def test_each_code_has_exactly_one_factory() -> None:
    owners: dict[str, list[str]] = {}
    for name, codes in _factories().items():
        assert len(codes) == 1, f"{name} builds {codes}"
        for code in codes:
            owners.setdefault(code, []).append(name)
    assert {code: names for code, names in owners.items() if len(names) > 1} == {}


def test_the_engine_does_not_build_a_factory_code_by_hand() -> None:
    factory_codes = set().union(*_factories().values())
    engine = [*sorted((EMULATOR / "arm").glob("*.py")), *sorted((EMULATOR / "identity").glob("*.py")),
              EMULATOR / "server.py"]
    by_hand = {str(path.relative_to(REPO)): found for path in engine if path.name not in ("errors.py", "contract.py")
               if (found := _codes_built(ast.parse(path.read_text())) & factory_codes)}
    assert by_hand == {}


def test_factories_keep_azure_status_and_wording() -> None:
    rid = parse_rid("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/a")
    missing = errors.resource_not_found(rid)
    assert (missing.status, missing.code) == (404, "ResourceNotFound")
    assert missing.message.startswith("The Resource 'Microsoft.Network/virtualNetworks/v/subnets/a' under resource "
                                      "group 'g' was not found.")
    old = errors.invalid_api_version("2000-01-01", frozenset({"2024-11-01", "2025-04-01"}))
    assert old.message == "The api-version '2000-01-01' is invalid. The supported versions are '2025-04-01,2024-11-01'."
    assert isinstance(errors.precondition_failed(), ArmError) and errors.precondition_failed().status == 412
    assert errors.parent_resource_not_found("v").body()["error"]["code"] == "ParentResourceNotFound"
