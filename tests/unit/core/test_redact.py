"""Every Change shows ssh keys as fingerprints: bodies (create listing, saved plans) and field changes."""

from __future__ import annotations

from spec_samples import ssh_public_key

from aksnet.core.redact import redact_change
from aksnet.ids import Kind
from aksnet.model import Action, Change, FieldChange
from aksnet.spec.sshkey import parse_public_key

PATH = ("properties", "linuxProfile", "ssh", "publicKeys")


def test_bodies_and_fields_show_fingerprints_only() -> None:
    old, new = ssh_public_key(1), ssh_public_key(2)
    body = {"properties": {"linuxProfile": {"adminUsername": "u", "ssh": {"publicKeys": [{"keyData": new}]}}}}
    change = Change("id", Kind.CLUSTER, "aks", Action.UPDATE,
                    fields=(FieldChange(PATH, [old], [new], Action.UPDATE, ""),
                            FieldChange(("properties", "dnsPrefix"), "a", "b", Action.UPDATE, "")),
                    before={"properties": {"linuxProfile": {"ssh": {"publicKeys": [{"keyData": old}]}}}}, after=body)
    shown = redact_change(change)
    text = repr(shown)
    assert old.split()[1] not in text and new.split()[1] not in text
    assert shown.fields[0].after == [parse_public_key(new).display]
    assert shown.fields[0].before == [parse_public_key(old).display]
    assert shown.fields[1] == change.fields[1]  # other fields untouched
    assert shown.after is not None
    assert shown.after["properties"]["linuxProfile"]["ssh"]["publicKeys"][0]["keyData"].startswith("ssh-ed25519 SHA256:")
    assert change.after is body and body["properties"]["linuxProfile"]["ssh"]["publicKeys"][0]["keyData"] == new
