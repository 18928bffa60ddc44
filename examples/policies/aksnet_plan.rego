# A conftest / OPA policy over `aksnet plan -o json`, written exactly as for `terraform show -json`:
# it walks input.resource_changes and reads mode, type, change.actions, change.after and
# change.after_unknown. The difference from an azurerm policy is `type`: aksnet gives the ARM type
# (Microsoft.Network/networkSecurityGroups), not the azurerm type (azurerm_network_security_group), and
# `change.after` is the ARM request body (properties.securityRules[].properties...), not azurerm's
# flattened attributes.
#
#   aksnet plan -o json specs/prod.yaml > plan.json
#   conftest test --policy examples/policies plan.json        # or: opa eval -d ... -i plan.json data.main
package main

import rego.v1

managed contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
}

# Deletes and replacements need a reviewed, manual run (the usual "no destroy in CI" policy).
deny contains msg if {
	some rc in managed
	"delete" in rc.change.actions
	msg := sprintf("%s (%s): plan deletes it; run this change by hand", [rc.address, rc.type])
}

# No inbound SSH or RDP from the Internet through an NSG the plan creates or updates.
deny contains msg if {
	some rc in managed
	rc.type == "Microsoft.Network/networkSecurityGroups"
	some action in rc.change.actions
	action in {"create", "update"}
	some rule in rc.change.after.properties.securityRules
	rule.properties.direction == "Inbound"
	rule.properties.access == "Allow"
	rule.properties.sourceAddressPrefix in {"*", "Internet", "0.0.0.0/0"}
	rule.properties.destinationPortRange in {"22", "3389", "*"}
	msg := sprintf("%s: rule %s allows port %s from %s", [
		rc.address, rule.name, rule.properties.destinationPortRange, rule.properties.sourceAddressPrefix,
	])
}

# New clusters use Azure CNI (Overlay): kubenet is retired on 2028-03-31
# (https://learn.microsoft.com/azure/aks/configure-kubenet).
deny contains msg if {
	some rc in managed
	rc.type == "Microsoft.ContainerService/managedClusters"
	"create" in rc.change.actions
	rc.change.after.properties.networkProfile.networkPlugin == "kubenet"
	msg := sprintf("%s: new clusters must not use kubenet", [rc.address])
}

# Values only Azure knows until the apply (after_unknown), e.g. a role assignment's principal.
warn contains msg if {
	some rc in managed
	walk(rc.change.after_unknown, [path, true])
	msg := concat("", [rc.address, ": ", concat(".", [segment(p) | some p in path]), " is known only after apply"])
}

segment(p) := p if is_string(p)

segment(p) := format_int(p, 10) if is_number(p)
