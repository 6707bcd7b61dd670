"""One root exception, so callers (the CLI, a batch loop) can catch everything we raise on purpose."""

from __future__ import annotations


class NewsIntelError(Exception):
    """Root of every error newsintel raises deliberately."""


class InputError(NewsIntelError):
    """An input (file, line, stdin) that cannot be turned into a document.

    `source` names the input ("path/to/file.jsonl:12") so the one-line message says where.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Pickled from ingest's worker processes: the default (the formatted message as the only
        # argument) fails to unpickle, which killed the pool's result thread and hung ingest --workers.
        return InputError, (self.source, self.reason)
