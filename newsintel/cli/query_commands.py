"""CLI commands that question the store: dossier, timeline, network, search, since, stats."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
