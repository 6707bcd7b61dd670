"""Query: what analysts ask of the store (dossier, timeline, network, search, since, stats)."""
