"""Amounts are read as Decimal pounds to the penny: the forms finance writes are accepted, ambiguous ones refused."""

from decimal import Decimal

import pytest

from core.money import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", "1234.00"),
        ("1,234", "1234.00"),
        ("1,234,567", "1234567.00"),
        ("1234.5", "1234.50"),
        ("1,234.56", "1234.56"),
        ("£1,234", "1234.00"),
        ("£1,234.56", "1234.56"),
        ("(1,234)", "-1234.00"),
        ("(£1,234)", "-1234.00"),
        ("£(1,234)", "-1234.00"),
        ("-1,234", "-1234.00"),
        ("-£1,234", "-1234.00"),
        ("£-1,234", "-1234.00"),
        ("  £1,234  ", "1234.00"),
        ("0", "0.00"),
        ("0.05", "0.05"),
        (1234, "1234.00"),
        (-1234, "-1234.00"),
        (Decimal("1234.5"), "1234.50"),
        (1234.56, "1234.56"),
        (60671000.0, "60671000.00"),
    ],
)
def test_accepted_amounts(text, expected):
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected) and str(amount) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.234", "more than two decimal places or a dot as thousands separator"),
        ("1234.567", "more than two decimal places"),
        ("1,23", "comma that does not separate thousands"),
        ("12,34", "comma that does not separate thousands"),
        ("1,2345", "comma that does not separate thousands"),
        ("1,234,56", "comma that does not separate thousands"),
        (",123", "comma that does not separate thousands"),
        ("1.234,56", "comma that does not separate thousands"),
        ("1 234", "contains a space"),
        ("£ 1,234", "contains a space"),
        ("-(1,234)", "negative twice"),
        ("(-1,234)", "sign in the wrong place"),
        ("--1", "two minus signs"),
        ("(1,234", "unmatched bracket"),
        ("1,234)", "unmatched bracket"),
        ("1,234-", "sign in the wrong place"),
        ("+1,234", "sign in the wrong place"),
        ("1e3", "not an amount"),
        ("1.5m", "multiplier"),
        ("£8.692m", "multiplier"),
        ("20k", "multiplier"),
        ("$1,234", "not in pounds"),
        ("€1,234", "not in pounds"),
        ("NaN", "not an amount"),
        ("Infinity", "not an amount"),
        ("twelve", "not an amount"),
        ("£", "no digits"),
        ("()", "no digits"),
        (True, "not an amount"),
        (0.1 + 0.2, "more than two decimal places"),
        (float("nan"), "not an amount"),
        (Decimal("1.234"), "more than two decimal places"),
        ("1,000,000,000,000", "too large"),
    ],
)
def test_refused_amounts_say_why(text, reason):
    with pytest.raises(AmountError, match=reason):
        parse_amount(text)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_is_refused_unless_allowed(blank):
    with pytest.raises(AmountError, match="blank"):
        parse_amount(blank)
    assert parse_amount(blank, blank_ok=True) is None
