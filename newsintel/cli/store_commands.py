"""CLI commands that fill and correct the store: ingest, failures, merge, split, rename."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
