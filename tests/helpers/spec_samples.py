"""A complete, valid spec text for loader tests, and helpers to load variants of it."""

from __future__ import annotations

from aksnet.errors import SpecError
from aksnet.model import Finding
from aksnet.spec.load import load_spec_text
from aksnet.spec.types import Spec

# Line numbers matter: tests assert positions in this text.
BASE = """\
apiVersion: aksnet/v1
kind: ClusterNetwork
metadata:
  name: sample
spec:
  location: eastus
  resourceGroup: aks-rg
  virtualNetwork:
    name: vnet
    addressSpace: [10.0.0.0/8]
    subnets:
      - name: aks-subnet
        addressPrefix: 10.100.0.0/16
        networkSecurityGroup: aks-nsg
  networkSecurityGroups:
    - name: aks-nsg
      rules:
        - name: allow-https
          priority: 100
          direction: Inbound
          access: Allow
          protocol: Tcp
          source: Internet
          destination: '*'
  cluster:
    name: aks-cluster
    subnet: aks-subnet
    nodePool:
      name: nodepool1
      count: 2
    network:
      plugin: azure
"""


def variant(old: str, new: str, text: str = BASE) -> str:
    """BASE with `old` replaced by `new` exactly once (fails loudly if `old` is not there)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def load(text: str, filename: str = "spec.yaml") -> Spec:
    return load_spec_text(text, filename)


def errors_of(text: str | bytes, filename: str = "spec.yaml") -> list[Finding]:
    """The findings of a spec that must fail to load."""
    try:
        load_spec_text(text, filename)
    except SpecError as err:
        assert err.findings, "a SpecError must carry findings"
        return list(err.findings)
    raise AssertionError("the spec loaded but was expected to fail")


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f"{f.rule} {f.path}: {f.message}" for f in findings]
    return findings[0]


def ssh_public_key(seed: int = 1, comment: str = "user@host") -> str:
    """A well-formed `ssh-ed25519` public key line (type string + 32 key bytes, RFC 8709 section 4)."""
    import base64

    key_type = b"ssh-ed25519"
    blob = len(key_type).to_bytes(4, "big") + key_type + (32).to_bytes(4, "big") + bytes([seed % 256]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}".strip()
