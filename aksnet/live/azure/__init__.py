"""The only package that imports the Azure SDK (`azure.*`), always lazily inside functions: targets and
client construction (`clients`), per-kind REST adapters (`resources`), exception translation (`errors`)."""
