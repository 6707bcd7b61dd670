"""A progress bar on standard error for long runs, silent for short ones and for pipes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

T = TypeVar("T")
SHOW_AFTER = 3  # a bar for one or two documents is noise


def progress_over(items: Iterable[T], label: str, quiet: bool = False, total: int | None = None) -> Iterator[T]:
    """Yield items unchanged while a bar (documents done, rate) runs on stderr once past a few."""
    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield from items
        return
    progress = Progress(SpinnerColumn(), TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn(),
                        console=console, transient=True)
    task = None
    try:
        for count, item in enumerate(items, 1):
            if count == SHOW_AFTER + 1:
                progress.start()
                task = progress.add_task(label, total=total, completed=count - 1, rate="-")
            if task is not None:
                elapsed = progress.tasks[0].elapsed or 0.0
                rate = f"{count / elapsed:.1f}" if elapsed > 0 else "-"
                progress.update(task, completed=count, rate=rate)
            yield item
    finally:
        progress.stop()
