"""Flags on an entity from imported reference data: the sanctions lists it is on (store/reference.py).

Read-only and safe on any store: one without reference tables has no flags.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from newsintel.store import reference


def sanction_flags(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """[{"list","authority","source_id","program","dataset","name","since"}], sorted by list."""
    return reference.sanction_flags(conn, entity_id)


def flag_text(flag: dict[str, Any]) -> str:
    """ "sanctioned: Entity List (U.S. Department of Commerce) — us_bis_entity" for the human dossier."""
    by = f" ({flag['authority']})" if flag.get("authority") else ""
    dataset = f" — {flag['dataset']}" if flag.get("dataset") and flag["dataset"] != flag["list"] else ""
    return f"sanctioned: {flag['list']}{by}{dataset}"
