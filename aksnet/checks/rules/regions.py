"""The Azure regions a resource can be created in, offline. Pure data.

Names as `az account list-locations --query "[?metadata.regionType=='Physical'].name"` prints them
(https://learn.microsoft.com/azure/reliability/regions-list), plus the sovereign clouds (Azure
Government: https://learn.microsoft.com/azure/azure-government/documentation-government-overview-dod,
Azure operated by 21Vianet: https://learn.microsoft.com/azure/china/resources-developer-guide) and the
two canary regions. ARM accepts the display name too ("East US"): compared without case and spaces.
The emulator keeps its own copy (it is sealed); a unit test keeps the two equal.
"""

from __future__ import annotations

KNOWN_LOCATIONS = frozenset({
    # Americas
    "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus", "westus", "westus2",
    "westus3", "canadacentral", "canadaeast", "brazilsouth", "brazilsoutheast", "mexicocentral", "chilecentral",
    # Europe
    "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "francesouth", "germanywestcentral",
    "germanynorth", "switzerlandnorth", "switzerlandwest", "norwayeast", "norwaywest", "swedencentral",
    "swedensouth", "polandcentral", "italynorth", "spaincentral", "austriaeast", "belgiumcentral",
    "denmarkeast",
    # Asia Pacific
    "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral", "koreasouth", "centralindia",
    "southindia", "westindia", "jioindiacentral", "jioindiawest", "australiaeast", "australiasoutheast",
    "australiacentral", "australiacentral2", "newzealandnorth", "indonesiacentral", "malaysiawest",
    "taiwannorth", "taiwannorthwest",
    # Middle East and Africa
    "uaenorth", "uaecentral", "qatarcentral", "israelcentral", "southafricanorth", "southafricawest",
    # Canary
    "eastus2euap", "centraluseuap",
    # Azure Government
    "usgovvirginia", "usgovarizona", "usgovtexas", "usdodcentral", "usdodeast",
    # Azure operated by 21Vianet
    "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3",
})


def normalize_location(location: str) -> str:
    """"East US" / "EastUS" / "eastus" -> "eastus" (how ARM compares them)."""
    return location.replace(" ", "").lower()
