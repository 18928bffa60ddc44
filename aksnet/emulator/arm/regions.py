"""The regions the emulator serves: every public Azure region with the display name and geography
`az account list-locations` shows ("Azure regions list": https://learn.microsoft.com/azure/reliability/regions-list;
Subscriptions - List Locations: https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations),
plus the government and China regions, which ARM knows but a public-cloud subscription does not list.
"""

from __future__ import annotations

# name -> (display name, geography group)
PUBLIC: dict[str, tuple[str, str]] = {
    "eastus": ("East US", "US"), "eastus2": ("East US 2", "US"), "centralus": ("Central US", "US"),
    "northcentralus": ("North Central US", "US"), "southcentralus": ("South Central US", "US"),
    "westcentralus": ("West Central US", "US"), "westus": ("West US", "US"), "westus2": ("West US 2", "US"),
    "westus3": ("West US 3", "US"),
    "canadacentral": ("Canada Central", "Canada"), "canadaeast": ("Canada East", "Canada"),
    "brazilsouth": ("Brazil South", "South America"), "brazilsoutheast": ("Brazil Southeast", "South America"),
    "chilecentral": ("Chile Central", "South America"), "mexicocentral": ("Mexico Central", "Mexico"),
    "northeurope": ("North Europe", "Europe"), "westeurope": ("West Europe", "Europe"),
    "uksouth": ("UK South", "Europe"), "ukwest": ("UK West", "Europe"),
    "francecentral": ("France Central", "Europe"), "francesouth": ("France South", "Europe"),
    "germanywestcentral": ("Germany West Central", "Europe"), "germanynorth": ("Germany North", "Europe"),
    "switzerlandnorth": ("Switzerland North", "Europe"), "switzerlandwest": ("Switzerland West", "Europe"),
    "norwayeast": ("Norway East", "Europe"), "norwaywest": ("Norway West", "Europe"),
    "swedencentral": ("Sweden Central", "Europe"), "swedensouth": ("Sweden South", "Europe"),
    "polandcentral": ("Poland Central", "Europe"), "italynorth": ("Italy North", "Europe"),
    "spaincentral": ("Spain Central", "Europe"), "austriaeast": ("Austria East", "Europe"),
    "belgiumcentral": ("Belgium Central", "Europe"), "denmarkeast": ("Denmark East", "Europe"),
    "eastasia": ("East Asia", "Asia Pacific"), "southeastasia": ("Southeast Asia", "Asia Pacific"),
    "japaneast": ("Japan East", "Asia Pacific"), "japanwest": ("Japan West", "Asia Pacific"),
    "koreacentral": ("Korea Central", "Asia Pacific"), "koreasouth": ("Korea South", "Asia Pacific"),
    "centralindia": ("Central India", "Asia Pacific"), "southindia": ("South India", "Asia Pacific"),
    "westindia": ("West India", "Asia Pacific"), "jioindiacentral": ("Jio India Central", "Asia Pacific"),
    "jioindiawest": ("Jio India West", "Asia Pacific"), "australiaeast": ("Australia East", "Asia Pacific"),
    "australiasoutheast": ("Australia Southeast", "Asia Pacific"),
    "australiacentral": ("Australia Central", "Asia Pacific"),
    "australiacentral2": ("Australia Central 2", "Asia Pacific"),
    "newzealandnorth": ("New Zealand North", "Asia Pacific"),
    "indonesiacentral": ("Indonesia Central", "Asia Pacific"), "malaysiawest": ("Malaysia West", "Asia Pacific"),
    "taiwannorth": ("Taiwan North", "Asia Pacific"), "taiwannorthwest": ("Taiwan Northwest", "Asia Pacific"),
    "uaenorth": ("UAE North", "Middle East"), "uaecentral": ("UAE Central", "Middle East"),
    "qatarcentral": ("Qatar Central", "Middle East"), "israelcentral": ("Israel Central", "Middle East"),
    "southafricanorth": ("South Africa North", "Africa"), "southafricawest": ("South Africa West", "Africa"),
    "eastus2euap": ("East US 2 EUAP", "US"), "centraluseuap": ("Central US EUAP", "US"),
}
SOVEREIGN = frozenset({
    "usgovvirginia", "usgovarizona", "usgovtexas", "usdodcentral", "usdodeast",
    "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3",
})
KNOWN_LOCATIONS = frozenset(PUBLIC) | SOVEREIGN


def location_bodies(subscription: str) -> list[dict[str, object]]:
    """Subscriptions - List Locations: the public regions, as a public-cloud subscription sees them."""
    return [{"id": f"/subscriptions/{subscription}/locations/{name}", "name": name, "type": "Region",
             "displayName": display, "regionalDisplayName": f"({geography}) {display}",
             "metadata": {"regionType": "Physical", "regionCategory": "Recommended", "geographyGroup": geography}}
            for name, (display, geography) in PUBLIC.items()]


def display_names() -> list[str]:
    """What a provider's resourceTypes[].locations lists (display names, as ARM returns them)."""
    return [display for display, _ in PUBLIC.values()]
