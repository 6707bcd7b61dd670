"""The web UI (`newsintel serve`): HTML pages and a JSON API over newsintel.query, read-only unless a token is set."""
