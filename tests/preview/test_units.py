"""Values in a panel's unit, as SigNoz's UI prints them; and unit conversions for comparisons."""

from __future__ import annotations

import math

import pytest

from signoz_dac.preview.units import convert, format_value, to_base


@pytest.mark.parametrize(("value", "unit", "decimals", "text"), [
    (0.85, "s", None, "850.00 ms"),
    (1.2, "s", None, "1.20 s"),
    (150, "s", "1", "2.5 min"),
    (0.000_25, "s", "0", "250 µs"),
    (207_219_766, "ns", None, "207.22 ms"),
    (850, "ms", "0", "850 ms"),
    (1500, "ms", None, "1.50 s"),
    (0.047619, "percentunit", None, "4.76%"),
    (4.7619, "percent", "1", "4.8%"),
    (1673, "none", "0", "1673"),
    (2.5, "none", None, "2.50"),
    (2.5, None, "full", "2.5"),
    (12_345, "short", None, "12.35 K"),
    (2048, "bytes", None, "2.00 KiB"),
    (3, "reqps", "0", "3 req/s"),
    (7, "widgets", "0", "7 widgets"),
    (0, "s", None, "0 s"),
    (None, "s", None, "No data"),
    (math.nan, "none", None, "No data"),
])
def test_format_value(value, unit, decimals, text) -> None:
    assert format_value(value, unit, decimals) == text


def test_base_units_and_conversion() -> None:
    assert to_base(850, "ms") == pytest.approx(0.85)
    assert to_base(5, "percent") == pytest.approx(0.05)
    assert to_base(0.05, "percentunit") == 0.05
    assert convert(1200, "ms", "s") == pytest.approx(1.2)
    assert convert(5, "percent", "percentunit") == pytest.approx(0.05)
    assert convert(3, "none", "s") == 3  # different quantities: left alone


def test_data_units_convert_within_their_quantity() -> None:
    """A rule's targetUnit in mbytes over a query in bytes is converted (the definition checks accept
    data units as one category, and SigNoz converts them): 1 MiB is 1048576 bytes, 1 MB 10^6."""
    assert convert(1, "mbytes", "bytes") == 1024**2
    assert convert(1, "decmbytes", "bytes") == 1e6
    assert convert(2048, "bytes", "kbytes") == 2
    assert convert(1, "bytes", "bits") == 8
    assert convert(1, "gbytes", "ms") == 1  # different quantities: left alone
