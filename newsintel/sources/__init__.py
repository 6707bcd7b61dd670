"""Live sources: follow feeds, sitemaps and pages of links; fetch safely; alert on what is new.

fetcher (safe HTTP) and robots -> discover (what a source lists) -> fetch (the cycle, storing via
store.writer) -> alerts (watchlist digest); registry and tables hold the state.
"""
