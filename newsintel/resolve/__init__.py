"""Resolve: the same actor across articles and spellings, the same event across sources."""
