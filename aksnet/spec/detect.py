"""Is this YAML text meant to be an aksnet spec? Pure: text in, verdict out.

A spec directory also holds other YAML (workflows, kustomizations, Kubernetes manifests), which a
command walking the directory skips. A file that was *meant* to be a spec but is broken must not be
skipped, or a nightly drift run would go green while a cluster goes unchecked. So the test is loose
on purpose: a UTF-8 byte order mark is ignored, keys compare without case, and near-misses count,
both in the key and in the value:

    apiVersion: aksnet/v1        ApiVersion: aksnet/v1       apiVersoin: aksnet/v1
    apiVersion: aksent/v1        kind: ClusterNetwork        kind: clusternetwrok

Anything so matched is handed to the loader, which reports what is wrong with it, located.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOP_LEVEL_PAIR = re.compile(r"^([A-Za-z_][\w.-]*)\s*:\s*(.*?)\s*(?:#.*)?$")
# How alike two words must be (difflib's ratio, 0..1) to count as a typo of each other: one
# swapped, missing or doubled letter in "aksnet", "apiversion" or "clusternetwork" stays above it,
# "apps", "batch" or "kustomize.config.k8s.io" stays well below. A word more than two letters
# longer or shorter is another word (Kubernetes' `ClusterNetworkPolicy` is not a typo).
_ALIKE = 0.8
_MAX_LENGTH_GAP = 2


def _alike(word: str, target: str) -> bool:
    if word == target:
        return True
    return abs(len(word) - len(target)) <= _MAX_LENGTH_GAP and SequenceMatcher(None, word, target).ratio() >= _ALIKE


def _unquoted(value: str) -> str:
    return value.strip().strip("'\"").strip().lower()


def looks_like_aksnet_spec(text: str) -> bool:
    """True when a top-level `apiVersion`-like key names an `aksnet/...`-like group, or a top-level
    `kind`-like key names `ClusterNetwork` (each compared without case, typos allowed)."""
    for line in text.removeprefix("\ufeff").splitlines():
        found = _TOP_LEVEL_PAIR.match(line.removeprefix("\ufeff"))
        if found is None:
            continue
        key, value = found.group(1).lower(), _unquoted(found.group(2))
        if not value:
            continue
        group, slash, _ = value.partition("/")
        if slash and _alike(group, "aksnet") and (_alike(key, "apiversion") or group == "aksnet"):
            return True
        if _alike(key, "kind") and _alike(value, "clusternetwork"):
            return True
    return False
