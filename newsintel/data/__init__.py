"""Reference data files (JSON), loaded by small typed loaders elsewhere."""
