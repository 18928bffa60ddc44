"""A role assignment's scope goes into the URL percent-encoded segment by segment (the SDK sends the
scope parameter as it is), so a name ARM allows but a URL must escape cannot change the request path."""

from __future__ import annotations

from aksnet.live.azure.resources import _split_role_assignment, encoded_scope

SCOPE = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks-rg(ñ)/providers/"
         "Microsoft.Network/virtualNetworks/v/subnets/s")


def test_the_scope_is_encoded_per_segment_and_the_name_left_to_the_sdk() -> None:
    scope, name = _split_role_assignment(f"{SCOPE}/providers/Microsoft.Authorization/roleAssignments/abc")
    assert name == "abc"
    assert scope == ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks-rg%28%C3%B1%29/"
                     "providers/Microsoft.Network/virtualNetworks/v/subnets/s")


def test_characters_that_would_change_the_path_are_escaped() -> None:
    assert encoded_scope("/subscriptions/s/resourceGroups/a?b#c d") == "/subscriptions/s/resourceGroups/a%3Fb%23c%20d"
    assert encoded_scope("/subscriptions/s/resourceGroups/a%2Fb") == "/subscriptions/s/resourceGroups/a%252Fb"
