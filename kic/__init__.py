"""kic — Kwaliteit in Controle: audit sampling and quality control for Dutch municipal social services."""

__version__ = "0.1.0"
