#!/usr/bin/env bash
# `make demo`: apply specs/kubenet.yaml to the embedded emulator, show that a second plan finds no
# changes, then plan specs/azure-cni-overlay.yaml against the same state and show how aksnet
# classifies it. Each `--local` command starts its own in-process emulator on the same SQLite
# database ($AKSNET_HOME/emulator.db), so state persists between commands.
set -euo pipefail
cd "$(dirname "$0")/.."

export AKSNET_HOME="${AKSNET_HOME:-./.aksnet/demo}"
rm -rf "$AKSNET_HOME"
# Realistic but short long-running operations: AKS create takes minutes in Azure, 8 s here.
export AKSNET_EMULATOR_AKS_SECONDS="${AKSNET_EMULATOR_AKS_SECONDS:-8}"
export AKSNET_EMULATOR_NETWORK_SECONDS="${AKSNET_EMULATOR_NETWORK_SECONDS:-1}"
export AKSNET_PROGRESS_INTERVAL="${AKSNET_PROGRESS_INTERVAL:-3}"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n\n' "$1" "$2"; }

step "1. Create the kubenet cluster network of the walkthrough" \
     "aksnet apply --local --auto-approve specs/kubenet.yaml"
aksnet apply --local --auto-approve specs/kubenet.yaml

step "2. Plan again: Azure matches the spec (AKS defaults and kubenet routes are not drift)" \
     "aksnet plan --local --detailed-exitcode specs/kubenet.yaml"
aksnet plan --local --detailed-exitcode specs/kubenet.yaml

step "3. Plan the walkthrough's Azure CNI Overlay cluster against the same state" \
     "aksnet plan --local specs/azure-cni-overlay.yaml"
set +e
aksnet plan --local --detailed-exitcode specs/azure-cni-overlay.yaml
code=$?
set -e
if [ "$code" -ne 2 ]; then
  echo "expected changes (exit 2) from the overlay plan, got $code" >&2
  exit 1
fi
cat <<'TEXT'

The walkthrough's overlay cluster also moves the pod CIDR (10.244.0.0/16 -> 172.17.0.0/16). AKS's
in-place kubenet -> Azure CNI Overlay migration keeps the pod CIDR or grows it to a superset (R58),
so aksnet classifies this change as unsupported ("!"), says why above, and `aksnet apply` refuses it.
The spec's own route table cannot replace AKS's on the subnet of a running kubenet cluster either
(R54). The supported path: migrate with the same pod CIDR first (a `migrate`, one-way, needing
--allow-migrate and its prerequisites), then attach aks-route-table; or recreate the cluster.
TEXT
