"""find_money: currencies, scales, qualifiers, ranges, offsets, and the things that are not money."""

from __future__ import annotations

import pytest

from newsintel.extract.money import find_money, load_currencies

# (text, surface, value, currency, qualifier, upper)
CASES: list[tuple[str, str, float, str, str | None, float | None]] = [
    ("bought it for C$66 million in cash", "C$66 million", 66e6, "CAD", None, None),
    ("a deal worth CA$12 million", "CA$12 million", 12e6, "CAD", None, None),
    ("an order of Rs 10,372 crore", "Rs 10,372 crore", 103_720_000_000, "INR", None, None),
    ("worth Rs.500 crore", "Rs.500 crore", 5e9, "INR", None, None),
    ("a fund of ₹5,000 crore", "₹5,000 crore", 5e10, "INR", None, None),
    ("1.2 lakh crore rupees of spending", "1.2 lakh crore rupees", 1.2e12, "INR", None, None),
    ("an industry of RMB 150 billion", "RMB 150 billion", 1.5e11, "CNY", None, None),
    ("it set aside RMB1,000 billion", "RMB1,000 billion", 1e12, "CNY", None, None),
    ("reach 1000 billion yuan", "1000 billion yuan", 1e12, "CNY", None, None),
    ("a 150 billion renminbi plan", "150 billion renminbi", 1.5e11, "CNY", None, None),
    ("at least $1 billion from investors", "$1 billion", 1e9, "USD", "at least", None),
    ("raised US$1.5 billion", "US$1.5 billion", 1.5e9, "USD", None, None),
    ("a €5bn programme", "€5bn", 5e9, "EUR", None, None),
    ("a £3.5m grant", "£3.5m", 3.5e6, "GBP", None, None),
    ("2 trillion won in chips", "2 trillion won", 2e12, "KRW", None, None),
    ("KRW 2 trillion in chips", "KRW 2 trillion", 2e12, "KRW", None, None),
    ("paid ₩500 billion", "₩500 billion", 5e11, "KRW", None, None),
    ("two billion dollars of aid", "two billion dollars", 2e9, "USD", None, None),
    ("half a billion dollars", "half a billion dollars", 5e8, "USD", None, None),
    ("twenty-five million euros", "twenty-five million euros", 25e6, "EUR", None, None),
    ("one and a half billion dollars", "one and a half billion dollars", 1.5e9, "USD", None, None),
    ("a billion dollars", "a billion dollars", 1e9, "USD", None, None),
    ("$1-2 billion in losses", "$1-2 billion", 1e9, "USD", "between", 2e9),
    ("$1bn to $2bn a year", "$1bn to $2bn", 1e9, "USD", "between", 2e9),
    ("between 10 and 15 billion yuan", "between 10 and 15 billion yuan", 1e10, "CNY", "between", 1.5e10),
    ("between $10bn and $15bn", "between $10bn and $15bn", 1e10, "USD", "between", 1.5e10),
    ("a €5-6bn bid", "€5-6bn", 5e9, "EUR", "between", 6e9),
    ("$100-200 million", "$100-200 million", 1e8, "USD", "between", 2e8),
    ("up to $1-2 billion", "$1-2 billion", 1e9, "USD", "up to", 2e9),
    ("more than 1,000 billion yuan", "1,000 billion yuan", 1e12, "CNY", "more than", None),
    ("over $300m", "$300m", 3e8, "USD", "over", None),
    ("up to €2 billion", "€2 billion", 2e9, "EUR", "up to", None),
    ("about £40 million", "£40 million", 4e7, "GBP", "about", None),
    ("nearly $9bn", "$9bn", 9e9, "USD", "nearly", None),
    ("almost 7 billion dollars", "7 billion dollars", 7e9, "USD", "almost", None),
    ("some $5.5 billion", "$5.5 billion", 5.5e9, "USD", "some", None),
    ("HK$3bn of shares", "HK$3bn", 3e9, "HKD", None, None),
    ("A$1.2 billion", "A$1.2 billion", 1.2e9, "AUD", None, None),
    ("AU$40 million", "AU$40 million", 4e7, "AUD", None, None),
    ("S$500m", "S$500m", 5e8, "SGD", None, None),
    ("NT$2 trillion", "NT$2 trillion", 2e12, "TWD", None, None),
    ("NZ$30 million", "NZ$30 million", 3e7, "NZD", None, None),
    ("¥500 billion in bonds", "¥500 billion", 5e11, "JPY", None, None),
    ("JPY 3 trillion", "JPY 3 trillion", 3e12, "JPY", None, None),
    ("AED 1bn", "AED 1bn", 1e9, "AED", None, None),
    ("SAR 20 billion", "SAR 20 billion", 2e10, "SAR", None, None),
    ("USD 5 million", "USD 5 million", 5e6, "USD", None, None),
    ("5 million USD", "5 million USD", 5e6, "USD", None, None),
    ("EUR 2 billion", "EUR 2 billion", 2e9, "EUR", None, None),
    ("GBP 40m", "GBP 40m", 4e7, "GBP", None, None),
    ("10 billion US dollars", "10 billion US dollars", 1e10, "USD", None, None),
    ("5 million Canadian dollars", "5 million Canadian dollars", 5e6, "CAD", None, None),
    ("5 billion Hong Kong dollars", "5 billion Hong Kong dollars", 5e9, "HKD", None, None),
    ("5 billion euros", "5 billion euros", 5e9, "EUR", None, None),
    ("100 million pounds sterling", "100 million pounds sterling", 1e8, "GBP", None, None),
    ("300 billion roubles", "300 billion roubles", 3e11, "RUB", None, None),
    ("300 billion rubles", "300 billion rubles", 3e11, "RUB", None, None),
    ("4 billion yen", "4 billion yen", 4e9, "JPY", None, None),
    ("2 billion dirhams", "2 billion dirhams", 2e9, "AED", None, None),
    ("10 billion riyals", "10 billion riyals", 1e10, "SAR", None, None),
    ("7.5 million Swiss francs", "7.5 million Swiss francs", 7.5e6, "CHF", None, None),
    ("40 million francs", "40 million francs", 4e7, "CHF", None, None),
    ("3 billion shekels", "3 billion shekels", 3e9, "ILS", None, None),
    ("500 million Egyptian pounds", "500 million Egyptian pounds", 5e8, "EGP", None, None),
    ("20 billion Pakistani rupees", "20 billion Pakistani rupees", 2e10, "PKR", None, None),
    ("$50k seed", "$50k", 5e4, "USD", None, None),
    ("5 mn dollars", "5 mn dollars", 5e6, "USD", None, None),
    ("$2 mln", "$2 mln", 2e6, "USD", None, None),
    ("a $5-billion deal", "$5-billion", 5e9, "USD", None, None),
    ("€1,000,000 prize", "€1,000,000", 1e6, "EUR", None, None),
    ("5,000 yen", "5,000 yen", 5e3, "JPY", None, None),
    ("Rs 500 cr", "Rs 500 cr", 5e9, "INR", None, None),
]


@pytest.mark.parametrize(("text", "surface", "value", "currency", "qualifier", "upper"), CASES)
def test_finds_amount(
    text: str, surface: str, value: float, currency: str, qualifier: str | None, upper: float | None
) -> None:
    matches = find_money(text)
    assert len(matches) == 1, matches
    m = matches[0]
    assert text[m.start : m.end] == surface == m.money.text
    assert m.money.value == pytest.approx(value)
    assert m.money.currency == currency
    assert m.money.qualifier == qualifier
    if upper is None:
        assert m.money.upper is None
    else:
        assert m.money.upper == pytest.approx(upper)


@pytest.mark.parametrize(
    "text",
    [
        "in 2020 the firm grew",
        "8 companies were listed",
        "revenue rose 5% last year",
        "a 20 per cent stake",
        "call 1-800-555-1234 today",
        "call $1 800 555 1234",
        "in 2019 won the contract",
        "17 key areas",
        "2,000 staff",
        "8 million people",
        "QR codes at the door",
        "between 2019 and 2020",
        "I am here",
        "version 1.2.3 is out",
        "a million users",
        "tens of billions of dollars",
    ],
)
def test_not_money(text: str) -> None:
    assert find_money(text) == []


def test_yen_sign_is_yuan_near_chinese_currency_words() -> None:
    (m,) = find_money("a ¥500 billion fund (about 70 billion yuan in total)")[:1]
    assert m.money.currency == "CNY"


def test_bare_dollar_uses_default() -> None:
    assert find_money("$5 million", default_dollar="CAD")[0].money.currency == "CAD"
    assert find_money("5 million dollars", default_dollar="AUD")[0].money.currency == "AUD"
    assert find_money("US$5 million", default_dollar="CAD")[0].money.currency == "USD"


def test_from_to_is_two_amounts_not_a_range() -> None:
    matches = find_money("sales rose from $5bn to $10bn")
    assert [m.money.value for m in matches] == [5e9, 1e10]
    assert all(m.money.upper is None for m in matches)


def test_symbol_does_not_take_a_foreign_word_after() -> None:
    (m,) = find_money("the $5 million won approval")
    assert (m.money.text, m.money.currency) == ("$5 million", "USD")


def test_several_amounts_with_offsets() -> None:
    text = "Rs 10,372 crore ($1.4 billion) and 100 million yuan ($14 million)"
    matches = find_money(text)
    assert [m.money.currency for m in matches] == ["INR", "USD", "CNY", "USD"]
    for m in matches:
        assert text[m.start : m.end] == m.money.text


def test_reference_data_covers_common_news_currencies() -> None:
    codes = {c.code for c in load_currencies()}
    wanted = {
        "USD", "EUR", "GBP", "CNY", "JPY", "KRW", "INR", "CAD", "AUD", "HKD", "SGD", "TWD", "NZD", "CHF",
        "RUB", "AED", "SAR", "QAR", "ILS", "BRL", "ZAR", "TRY", "SEK", "NOK", "DKK", "PLN", "MXN", "IDR",
        "MYR", "THB", "VND", "PHP", "NGN", "KES", "EGP", "PKR",
    }
    assert wanted <= codes
    assert len(codes) == len(load_currencies())  # no duplicate entries
