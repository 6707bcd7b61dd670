"""find_targets: money amounts paired with a deadline in the same sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from newsintel.extract.targets import find_targets

A = dt.date(2020, 9, 3)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The plan aims to develop an industry worth at least RMB 150 billion by 2020.",
            [(1.5e11, "CNY", "2020", "RMB 150 billion")],
        ),
        (
            "The ministry wants exports to reach $50bn by the end of 2025.",
            [(5e10, "USD", "2025", "$50bn")],
        ),
        (
            "For the final step, to be achieved by 2030, the core industry should pass RMB 1000 billion.",
            [(1e12, "CNY", "2030", "RMB 1000 billion")],
        ),
        (
            "Output should hit 100 billion yuan by 2020; by 2025 it should reach 400 billion yuan.",
            [(1e11, "CNY", "2020", "100 billion yuan"), (4e11, "CNY", "2025", "400 billion yuan")],
        ),
        (
            "The state will spend €3bn before 2027 on chips.",
            [(3e9, "EUR", "2027", "€3bn")],
        ),
        (
            "It aims for a market of 2 trillion won by the end of next year.",
            [(2e12, "KRW", "2021", "2 trillion won")],
        ),
    ],
)
def test_amount_with_deadline_is_target(
    sentence: str, expected: list[tuple[float, str, str, str]]
) -> None:
    got = find_targets(sentence, A)
    assert [(t["value"], t["currency"], t["deadline"], t["text"]) for t in got] == [
        (pytest.approx(v), c, d, s) for v, c, d, s in expected
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The firm raised $5 million in 2019.",
        "It invested RMB 150 billion since 2015.",
        "By 2030 the country wants to lead in AI.",
        "The company has 8 offices and plans to grow by 2025.",
        "Revenue reached 100 billion yuan last year.",
    ],
)
def test_no_deadline_or_no_amount_is_no_target(sentence: str) -> None:
    assert find_targets(sentence, A) == []
