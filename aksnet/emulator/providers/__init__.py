"""One package per ARM namespace (resources, authorization, network, containerservice), one module per
resource type; each package exposes `KINDS` (and may export `ROUTES`) and is discovered by
`aksnet.emulator.arm.registry`, which imports this package: keep it free of imports."""
