"""aksnet: AKS networking as code. Importing this package must stay cheap (no Azure SDK)."""

__version__ = "0.1.0"
