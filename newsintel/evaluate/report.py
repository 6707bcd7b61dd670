"""A readable, stable plain-text report of an EvaluationResult.

Unlike score.py, which prints only F1 per event type, the report gives precision, recall and F1
for every type, so one can see whether a type fails by missing events or by inventing them.
"""

from __future__ import annotations

from newsintel.evaluate.scorer import Counts, EvaluationResult, Ratio

_COUNT_HEAD = f"{'gold':>6} {'system':>7} {'matched':>8} {'P':>7} {'R':>7} {'F1':>7}"
_LABEL_WIDTH = 22


def _count_row(label: str, counts: Counts) -> str:
    """One table row: label, the three counts, then P/R/F1 to three decimals."""
    return (f"  {label:<{_LABEL_WIDTH}}{counts.gold:>6} {counts.system:>7} {counts.matched:>8}"
            f" {counts.precision:>7.3f} {counts.recall:>7.3f} {counts.f1:>7.3f}")


def _ratio_row(label: str, ratio: Ratio) -> str:
    """One accuracy row: the value (or "n/a" when nothing was judged) and hits/total."""
    shown = "n/a" if ratio.value is None else f"{ratio.value:.3f}"
    return f"  {label:<{_LABEL_WIDTH}}{shown:>6}  ({ratio.hits}/{ratio.total})"


def format_report(result: EvaluationResult) -> str:
    """Render every score of `result` as aligned text (no colour, no terminal-width dependence)."""
    lines = [
        f"documents answered: {result.documents_answered}/{result.documents}",
        "",
        f"{'event tuples':<{_LABEL_WIDTH + 2}}{_COUNT_HEAD}",
    ]
    lines += [_count_row(kind, counts) for kind, counts in sorted(result.by_type.items())]
    if not result.by_type:
        lines.append("  (no event tuples on either side)")
    lines += [
        "  " + "-" * (_LABEL_WIDTH + len(_COUNT_HEAD)),
        _count_row("all events", result.events),
        _count_row("without position", result.events_without_position),
        "",
        f"{'entities':<{_LABEL_WIDTH + 2}}{_COUNT_HEAD}",
        _count_row("typed", result.entities_typed),
        _count_row("untyped", result.entities_untyped),
        "",
        "accuracy",
        _ratio_row("event dates", result.date_accuracy),
        _ratio_row("event amounts", result.amount_accuracy),
        _ratio_row("document dates", result.document_date_accuracy),
    ]
    return "\n".join(lines) + "\n"
