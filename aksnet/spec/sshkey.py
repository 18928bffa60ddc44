"""OpenSSH public keys: parse one line, and show it as a fingerprint instead of its data. Pure.

A key line is `<type> <base64 blob> [comment]`; the blob starts with the type again as an SSH string
(uint32 length + bytes, RFC 4253 section 6.6), which is how a pasted private key, a certificate or
random text is told apart from a key. The fingerprint is what `ssh-keygen -lf` prints:
`SHA256:` + base64 (no padding) of the SHA-256 of the blob (OpenSSH PROTOCOL, sshkey.c
`sshkey_fingerprint`; https://man.openbsd.org/ssh-keygen.1). Plans, drift and export show only it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

# The key types AKS accepts for linuxProfile.ssh (RSA, and ED25519 / ECDSA since 2024:
# https://learn.microsoft.com/en-us/azure/aks/node-access). Certificates and sk- keys are refused.
KEY_TYPES = frozenset({"ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                       "ecdsa-sha2-nistp521"})
_LINE = re.compile(r"^(\S+)\s+(\S+)(?:\s+.*)?$", re.DOTALL)


class NotAPublicKey(ValueError):
    """The text is not one OpenSSH public key line; the message says why (never echoes the text)."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    type: str
    blob: bytes

    @property
    def fingerprint(self) -> str:
        digest = base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")
        return f"SHA256:{digest}"

    @property
    def display(self) -> str:
        """How aksnet shows the key: type and fingerprint, never the data."""
        return f"{self.type} {self.fingerprint}"


def parse_public_key(text: str) -> PublicKey:
    """The key in `text` (one line, surrounding whitespace ignored). Raises NotAPublicKey."""
    stripped = text.strip()
    if not stripped:
        raise NotAPublicKey("it is empty")
    if "PRIVATE KEY" in stripped:
        raise NotAPublicKey("it is a PRIVATE key: give the .pub file")
    if "\n" in stripped or "\r" in stripped:
        raise NotAPublicKey("it has more than one line (one key line is expected)")
    found = _LINE.match(stripped)
    if found is None:
        raise NotAPublicKey("it is not `<type> <base64 data> [comment]`")
    key_type, data = found.group(1), found.group(2)
    if key_type not in KEY_TYPES:
        shown = key_type if len(key_type) <= 40 and key_type.isprintable() else "(unprintable)"
        raise NotAPublicKey(f"key type {shown!r} is not one of {', '.join(sorted(KEY_TYPES))}")
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise NotAPublicKey("its key data is not valid base64") from None
    if len(blob) < 4:
        raise NotAPublicKey("its key data is too short")
    length = int.from_bytes(blob[:4], "big")
    embedded = blob[4:4 + length]
    if length > len(blob) - 4 or embedded != key_type.encode():
        raise NotAPublicKey(f"its key data does not start with its type {key_type!r} (a damaged or edited key)")
    return PublicKey(key_type, blob)


def display_key(text: str) -> str:
    """`ssh-rsa SHA256:...` for a key line; for anything else a hash that still tells keys apart but
    shows none of the text (live Azure could hold a malformed value)."""
    try:
        return parse_public_key(text).display
    except NotAPublicKey:
        digest = base64.b64encode(hashlib.sha256(text.strip().encode()).digest()).decode().rstrip("=")
        return f"(not an OpenSSH key) SHA256:{digest}"
