"""Store: the database (SQLite by default, PostgreSQL for a team server)."""
