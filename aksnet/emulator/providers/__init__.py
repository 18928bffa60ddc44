"""Resource kinds, one module per ARM type family; listed in `aksnet.emulator.registry`."""
