"""Key data never leaves aksnet in full: in a Change, every ssh public key shows as its fingerprint. Pure.

Plans are published (a pull-request comment of the example workflow, `plan -o json` artifacts, drift
reports), so `linuxProfile.ssh.publicKeys[].keyData` is replaced by `ssh-rsa SHA256:...` (what
`ssh-keygen -lf` prints) in a change's before/after bodies and its field changes. Two different keys
still read as different; the applier builds its request bodies from the spec, never from a Change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from aksnet.model import Change, FieldChange
from aksnet.spec.sshkey import display_key

KEY_FIELD = "keyData"
KEY_LIST = "publicKeys"


def redact_keys(value: Any) -> Any:
    """`value` with every `keyData` string (and every string of a `publicKeys` list) shown as a fingerprint."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == KEY_FIELD and isinstance(item, str):
                out[key] = display_key(item)
            elif key == KEY_LIST and isinstance(item, list):
                out[key] = [display_key(i) if isinstance(i, str) else redact_keys(i) for i in item]
            else:
                out[key] = redact_keys(item)
        return out
    if isinstance(value, list):
        return [redact_keys(item) for item in value]
    return value


def _redact_field(field: FieldChange) -> FieldChange:
    if KEY_LIST not in field.path and KEY_FIELD not in field.path:
        return field
    def shown(value: Any) -> Any:
        if isinstance(value, str):
            return display_key(value)
        if isinstance(value, list):
            return [display_key(v) if isinstance(v, str) else redact_keys(v) for v in value]
        return redact_keys(value)
    return dataclasses.replace(field, before=shown(field.before), after=shown(field.after))


def redact_change(change: Change) -> Change:
    """The change as it may be shown anywhere (plan text/JSON/markdown, drift, saved plans)."""
    return dataclasses.replace(
        change,
        before=redact_keys(change.before) if change.before is not None else None,
        after=redact_keys(change.after) if change.after is not None else None,
        fields=tuple(_redact_field(f) for f in change.fields),
    )
