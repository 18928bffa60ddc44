"""A local Azure Resource Manager for the resource types aksnet manages.

A separate service that happens to ship in the aksnet wheel: it imports nothing of aksnet outside
`aksnet.emulator` (enforced by import-linter), so a wrong belief of the planner cannot pass its own test.
"""
