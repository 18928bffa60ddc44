"""One package per ARM namespace (resources, authorization, network, containerservice), one module per
resource type; each package exposes `KINDS` and is discovered by `aksnet.emulator.arm.registry`."""
