"""Interfaces: what people see (terminal progress, summaries; later the web UI)."""
