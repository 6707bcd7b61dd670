"""find_dates: absolute and relative dates, kinds, anchor edge cases, offsets, and non-dates."""

from __future__ import annotations

import datetime as dt

import pytest

from newsintel.extract.timex import find_dates, parse_date_text

A = dt.date(2020, 9, 3)  # a Thursday
B = dt.date(2021, 12, 9)  # a Thursday

# (text, anchor, surface, value, precision, kind)
CASES: list[tuple[str, dt.date | None, str, str, str, str]] = [
    # absolute
    ("It was signed on 3 September 2020.", None, "3 September 2020", "2020-09-03", "day", "point"),
    ("It was signed on September 3, 2020.", None, "September 3, 2020", "2020-09-03", "day", "point"),
    ("on the 3rd of September 2020", None, "3rd of September 2020", "2020-09-03", "day", "point"),
    ("Thursday 09/December/2021 - 04:37 PM", None, "09/December/2021", "2021-12-09", "day", "point"),
    ("published 2020-09-03 online", None, "2020-09-03", "2020-09-03", "day", "point"),
    ("on Sept. 3, 2020 it said", None, "Sept. 3, 2020", "2020-09-03", "day", "point"),
    ("in October 2019 the list grew", None, "October 2019", "2019-10", "month", "point"),
    ("in Oct. 2019", None, "Oct. 2019", "2019-10", "month", "point"),
    ("in March 2020", None, "March 2020", "2020-03", "month", "point"),
    ("since May 2018", None, "since May 2018", "2018-05", "month", "since"),
    ("in 2017 the plan", None, "2017", "2017", "year", "point"),
    ("in early 2019", A, "early 2019", "2019", "year", "point"),
    ("by late 2018", None, "by late 2018", "2018", "year", "deadline"),
    ("in mid-2019", None, "mid-2019", "2019", "year", "point"),
    ("in the first quarter of 2020", None, "the first quarter of 2020", "2020", "year", "point"),
    ("results for Q1 2020", None, "Q1 2020", "2020", "year", "point"),
    ("the year 2019 was busy", None, "the year 2019", "2019", "year", "point"),
    ("2019's biggest deal", None, "2019", "2019", "year", "point"),
    ("in mid-October 2019", None, "mid-October 2019", "2019-10", "month", "point"),
    # kinds
    ("by 2030", A, "by 2030", "2030", "year", "deadline"),
    ("by the end of 2025", A, "by the end of 2025", "2025", "year", "deadline"),
    ("before 2027", None, "before 2027", "2027", "year", "deadline"),
    ("since 2015", None, "since 2015", "2015", "year", "since"),
    ("to the end of 2024", None, "to the end of 2024", "2024", "year", "until"),
    ("through 2026", None, "through 2026", "2026", "year", "until"),
    ("until 2025", None, "until 2025", "2025", "year", "until"),
    ("by the end of the year", A, "by the end of the year", "2020", "year", "deadline"),
    ("by next year", A, "by next year", "2021", "year", "deadline"),
    ("by October", A, "by October", "2020-10", "month", "deadline"),
    # relative months and days
    ("October last year", A, "October last year", "2019-10", "month", "point"),
    ("in October of last year", A, "October of last year", "2019-10", "month", "point"),
    ("last October", A, "last October", "2019-10", "month", "point"),
    ("earlier this month", A, "earlier this month", "2020-09", "month", "point"),
    ("this month", A, "this month", "2020-09", "month", "point"),
    ("last month", A, "last month", "2020-08", "month", "point"),
    ("last month", dt.date(2021, 1, 15), "last month", "2020-12", "month", "point"),
    ("on 19 November", B, "19 November", "2021-11-19", "day", "point"),
    ("on 19 November", dt.date(2021, 3, 1), "19 November", "2020-11-19", "day", "point"),
    ("In February", B, "February", "2021-02", "month", "point"),
    ("in October", A, "October", "2019-10", "month", "point"),
    ("in September", A, "September", "2020-09", "month", "point"),
    ("in May", A, "May", "2020-05", "month", "point"),
    ("at the end of November", A, "the end of November", "2019-11", "month", "point"),
    ("on Sept. 3", A, "Sept. 3", "2020-09-03", "day", "point"),
    ("on Sept. 4", A, "Sept. 4", "2019-09-04", "day", "point"),
    # relative years
    ("this year", A, "this year", "2020", "year", "point"),
    ("earlier this year", A, "earlier this year", "2020", "year", "point"),
    ("last year", A, "last year", "2019", "year", "point"),
    ("next year", A, "next year", "2021", "year", "point"),
    ("two years ago", A, "two years ago", "2018", "year", "point"),
    ("3 years ago", A, "3 years ago", "2017", "year", "point"),
    ("six months ago", A, "six months ago", "2020-03", "month", "point"),
    # relative days
    ("last week", A, "last week", "2020-08-27", "day", "point"),
    ("this week", A, "this week", "2020-09-03", "day", "point"),
    ("yesterday", A, "yesterday", "2020-09-02", "day", "point"),
    ("today", A, "today", "2020-09-03", "day", "point"),
    ("on Monday", A, "Monday", "2020-08-31", "day", "point"),
    ("on Tuesday", A, "Tuesday", "2020-09-01", "day", "point"),
    ("on Thursday", A, "Thursday", "2020-09-03", "day", "point"),  # the article's own day
]


@pytest.mark.parametrize(("text", "anchor", "surface", "value", "precision", "kind"), CASES)
def test_finds_date(
    text: str, anchor: dt.date | None, surface: str, value: str, precision: str, kind: str
) -> None:
    matches = find_dates(text, anchor)
    assert len(matches) == 1, matches
    m = matches[0]
    assert text[m.start : m.end] == surface == m.value.text
    assert (m.value.value, m.value.precision, m.kind) == (value, precision, kind)


@pytest.mark.parametrize(
    "text",
    [
        "17 key areas",
        "2,000 staff",
        "a $2020 fee",
        "you may go now",
        "They March on the capital",
        "a speech by May",
        "confidence in May's plan",
        "growth of 2020%",
        "since the 1980s",
        "in the 1990s",
        "amid 2019 figures",
        "Black Friday sales",
        "the 2019 plan",
        "a 5G network",
        "3,000 yuan",
        "in 1850",
    ],
)
def test_not_a_date(text: str) -> None:
    assert find_dates(text, A) == []


@pytest.mark.parametrize(
    "text", ["October last year", "in October", "last month", "yesterday", "on Monday", "two years ago"]
)
def test_relative_needs_anchor(text: str) -> None:
    assert find_dates(text, None) == []


def test_weekday_before_a_full_date_is_not_a_second_date() -> None:
    matches = find_dates("Thursday, 3 September 2020", A)
    assert [m.value.value for m in matches] == ["2020-09-03"]


def test_several_dates_in_order_with_offsets() -> None:
    text = "Founded in 2015, it was listed in October last year and plans to expand by 2030."
    matches = find_dates(text, A)
    assert [(m.value.value, m.kind) for m in matches] == [
        ("2015", "point"), ("2019-10", "point"), ("2030", "deadline")
    ]
    for m in matches:
        assert text[m.start : m.end] == m.value.text


def test_parse_date_text() -> None:
    assert parse_date_text("Thursday 09/December/2021 - 04:37 PM") == dt.date(2021, 12, 9)
    assert parse_date_text("London, 3 September 2020 -") == dt.date(2020, 9, 3)
    assert parse_date_text("in 2019") is None
