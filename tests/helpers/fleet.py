"""A fleet of specs built from the three sample specs: spec i lives in its own resource group
`fleet-rg-NNN` with its own cluster `aks-NNN`, cycling through kubenet, Azure CNI and Azure CNI
Overlay, so a fleet has every resource type aksnet manages in realistic proportions.

    paths = build_fleet(tmp_path / "fleet", 20)                  # 20 spec files, sorted
    paths = build_fleet(tmp_path / "fleet", 200, groups=10)      # 200 specs over 10 resource groups
"""

from __future__ import annotations

from pathlib import Path

from paths import REPO

SAMPLES = ("kubenet.yaml", "azure-cni.yaml", "azure-cni-overlay.yaml")


def spec_text(index: int, *, group: str | None = None) -> str:
    """The sample spec for fleet member `index`, renamed so it shares nothing with the others (when
    `group` is given, several members share that resource group and keep their own names)."""
    text = (REPO / "specs" / SAMPLES[index % len(SAMPLES)]).read_text()
    tag = f"{index:03d}"
    replacements = [
        ("resourceGroup: aks-rg", f"resourceGroup: {group or f'fleet-rg-{tag}'}"),
        ("name: aks-cluster", f"name: aks-{tag}"),
        ("name: vNet_aks_useast", f"name: vnet-{tag}"),
        ("networkSecurityGroup: aks-nsg", f"networkSecurityGroup: nsg-{tag}"),
        ("- name: aks-nsg", f"- name: nsg-{tag}"),
        ("routeTable: aks-route-table", f"routeTable: rt-{tag}"),
        ("- name: aks-route-table", f"- name: rt-{tag}"),
        ("subnet: aks-subnet", f"subnet: snet-{tag}"),
        ("- name: aks-subnet", f"- name: snet-{tag}"),
    ]
    for old, new in replacements:
        text = text.replace(old, new)
    lines = text.splitlines()
    at = lines.index("metadata:")
    lines[at + 1] = f"  name: fleet-{tag}"
    return "\n".join(line for line in lines if not line.startswith("#")) + "\n"


def build_fleet(directory: Path, count: int, *, groups: int | None = None) -> list[str]:
    """Write `count` specs into `directory` (fleet-000.yaml ...) and return their paths, sorted.
    `groups`: spread the members over that many shared resource groups instead of one each."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for index in range(count):
        group = f"fleet-shared-rg-{index % groups:03d}" if groups else None
        path = directory / f"fleet-{index:03d}.yaml"
        path.write_text(spec_text(index, group=group))
        out.append(str(path))
    return sorted(out)
