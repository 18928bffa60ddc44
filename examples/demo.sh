#!/usr/bin/env bash
# `make demo`: the kubenet retirement on the embedded emulator, in about a minute.
#  1. apply the walkthrough's kubenet cluster WITH its route table, through a user-assigned identity
#     (specs/kubenet-route-table.yaml), and show a second plan finds no changes;
#  2. plan its move to Azure CNI Overlay (specs/kubenet-route-table-overlay.yaml): staged, with every
#     prerequisite and its live value; apply it stage by stage with --allow-migrate, verified;
#  3. drift is clean afterwards;
#  4. a second cluster (examples/specs/kubenet-blocked.yaml) is reported as blocked, and why.
# Each `--local` command starts its own in-process emulator on the same SQLite database
# ($AKSNET_HOME/emulator.db), so state persists between commands.
set -euo pipefail
cd "$(dirname "$0")/.."

export AKSNET_HOME="${AKSNET_HOME:-./.aksnet/demo}"
rm -rf "$AKSNET_HOME"
# Realistic but short long-running operations: AKS operations take minutes in Azure, 6 s here.
export AKSNET_EMULATOR_AKS_SECONDS="${AKSNET_EMULATOR_AKS_SECONDS:-6}"
export AKSNET_EMULATOR_NETWORK_SECONDS="${AKSNET_EMULATOR_NETWORK_SECONDS:-1}"
export AKSNET_PROGRESS_INTERVAL="${AKSNET_PROGRESS_INTERVAL:-3}"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n\n' "$1" "$2"; }
expect_changes() {  # run a plan that must report changes (exit 2)
  set +e; "$@"; local code=$?; set -e
  if [ "$code" -ne 2 ]; then echo "expected changes (exit 2), got $code" >&2; exit 1; fi
}

step "1. Kubenet with its own route table and a user-assigned identity (identity and grants first)" \
     "aksnet apply --local --auto-approve specs/kubenet-route-table.yaml"
aksnet apply --local --auto-approve specs/kubenet-route-table.yaml

step "2. Plan again: Azure matches the spec (AKS's routes in aks-route-table are AKS's, not drift)" \
     "aksnet plan --local --detailed-exitcode specs/kubenet-route-table.yaml"
aksnet plan --local --detailed-exitcode specs/kubenet-route-table.yaml

step "3. Plan the move to Azure CNI Overlay: stages, prerequisites and their live values" \
     "aksnet plan --local specs/kubenet-route-table-overlay.yaml"
expect_changes aksnet plan --local --detailed-exitcode specs/kubenet-route-table-overlay.yaml

step "4. Apply it: one operation per stage, each awaited, then verified" \
     "aksnet apply --local --auto-approve --allow-migrate specs/kubenet-route-table-overlay.yaml"
aksnet apply --local --auto-approve --allow-migrate specs/kubenet-route-table-overlay.yaml

step "5. Drift: clean (the spec's to-firewall route stayed; AKS's kubenet routes are gone)" \
     "aksnet drift --local specs/kubenet-route-table-overlay.yaml"
aksnet drift --local specs/kubenet-route-table-overlay.yaml

step "6. Another kubenet cluster: Calico, and a pod CIDR inside its VNet" \
     "aksnet apply --local --auto-approve examples/specs/kubenet-blocked.yaml"
aksnet apply --local --auto-approve examples/specs/kubenet-blocked.yaml

step "7. Readiness of the fleet: which kubenet clusters can move now, and what blocks the others" \
     "aksnet plan --local specs/kubenet-route-table-overlay.yaml examples/specs/kubenet-blocked.yaml"
aksnet plan --local specs/kubenet-route-table-overlay.yaml examples/specs/kubenet-blocked.yaml
