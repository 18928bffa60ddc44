"""Which YAML in a spec directory is meant as an aksnet spec: near-misses count, so a broken spec is
reported instead of skipped; other tools' YAML does not."""

from __future__ import annotations

import pytest

from aksnet.spec.detect import looks_like_aksnet_spec


@pytest.mark.parametrize("text", [
    "apiVersion: aksnet/v1\nkind: ClusterNetwork\n",
    "\ufeffapiVersion: aksnet/v1\n",
    "ApiVersion: aksnet/v1\n",
    "apiVersoin: aksnet/v1\n",
    "apiVersion: aksent/v1\n",
    "apiVersion: 'aksnet/v1'  # comment\n",
    "apiVersion: v1\nkind: ClusterNetwrok\n",
    "KIND: clusternetwork\n",
])
def test_meant_as_a_spec(text: str) -> None:
    assert looks_like_aksnet_spec(text)


@pytest.mark.parametrize("text", [
    "on: push\njobs: {}\n",
    "apiVersion: apps/v1\nkind: Deployment\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
    "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ClusterNetworkPolicy\n",
    "spec:\n  apiVersion: aksnet/v1\n",  # not at the top level
])
def test_other_yaml(text: str) -> None:
    assert not looks_like_aksnet_spec(text)
