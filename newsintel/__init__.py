"""newsintel: turn technology-geopolitics news into a sourced knowledge graph."""

__version__ = "0.1.0"
