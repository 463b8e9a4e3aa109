"""Times as officials type them and as boards show them: parsed to milliseconds, shown truncated."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timing.rules import RuleError
from timing.rules.times import MAX_TIME_MS, check_time_ms, format_diff, format_exact, format_time, parse_time


@pytest.mark.parametrize(
    "text, ms",
    [
        ("34.25", 34250),
        ("1:12.31", 72310),
        ("1:12.310", 72310),
        ("72.31", 72310),
        ("12:54.69", 774690),
        ("34.258", 34258),
        ("34.2", 34200),
        ("34", 34000),
        ("1:45.006", 105006),
        ("0:34.25", 34250),
        ("30:00.00", MAX_TIME_MS),
        ("1800.000", MAX_TIME_MS),
        ("0.001", 1),
    ],
)
def test_it_parses_the_formats_people_type(text, ms):
    assert parse_time(text) == ms


@pytest.mark.parametrize("text, ms", [("34,25", 34250), ("1:12,31", 72310), ("12:54,690", 774690)])
def test_it_accepts_a_decimal_comma(text, ms):
    assert parse_time(text) == ms


def test_it_ignores_surrounding_whitespace():
    assert parse_time("  1:12.31\n") == 72310


def refusal(text):
    with pytest.raises(RuleError) as caught:
        parse_time(text)
    assert caught.value.field == "time"
    return caught.value.message


@pytest.mark.parametrize("text", ["abc", "1:12:31", "34.", ".25", "1,12.31", "1 12.31", "1:12.31s", "١٢.٣٤"])
def test_it_refuses_garbage_and_shows_the_expected_form(text):
    message = refusal(text)
    assert "is not a time" in message and "1:12.31" in message and "34.25" in message


def test_it_quotes_only_the_start_of_a_long_garbage_input():
    message = refusal("x" * 10_000)
    assert len(message) < 200


@pytest.mark.parametrize("text", ["", "   "])
def test_it_refuses_an_empty_time(text):
    assert refusal(text) == "The time is empty: type it as 1:12.31 or 34.25."


@pytest.mark.parametrize("text", ["-1.00", "-0:34.25", "-34"])
def test_it_refuses_a_negative_time(text):
    assert "is negative" in refusal(text) and "never negative" in refusal(text)


@pytest.mark.parametrize("text", ["0", "0.00", "0:00.000"])
def test_it_refuses_zero(text):
    assert refusal(text) == f"'{text}' is zero: a passing comes after the start."


@pytest.mark.parametrize("text", ["30:00.01", "31:00.00", "1800.001", "99:59.99"])
def test_it_refuses_a_time_longer_than_any_race(text):
    assert refusal(text) == f"'{text}' is longer than 30:00.00; no long-track race takes that long."


@pytest.mark.parametrize("text, seconds", [("1:75.00", "75"), ("1:60.00", "60"), ("1:2.31", "2"), ("1:123.00", "123")])
def test_it_refuses_seconds_after_a_colon_that_are_not_two_digits_below_60(text, seconds):
    assert refusal(text) == (
        f"'{text}' has {seconds} seconds after the colon: use two digits below 60, as in 1:12.31."
    )


@pytest.mark.parametrize("text", ["1:12.3101", "34.2581", "72,31000"])
def test_it_refuses_more_than_three_decimals_and_says_why(text):
    assert refusal(text) == f"'{text}' has more than three decimals: timing stops at thousandths (1:12.310)."


@pytest.mark.parametrize("value", [None, 34.25, 34250, b"34.25"])
def test_it_refuses_what_is_not_text(value):
    assert refusal(value) == "A time must be text such as 1:12.31 or 34.25."


@pytest.mark.parametrize("value", [72310.0, "72310", True, None])
def test_it_refuses_milliseconds_that_are_not_a_whole_number(value):
    with pytest.raises(RuleError) as caught:
        check_time_ms(value)
    assert caught.value.field == "time_ms" and "whole number of milliseconds" in caught.value.message


@pytest.mark.parametrize("ms, words", [(-1, "negative"), (0, "zero"), (MAX_TIME_MS + 1, "longer than 30:00.00")])
def test_it_refuses_impossible_milliseconds_naming_them(ms, words):
    with pytest.raises(RuleError) as caught:
        check_time_ms(ms)
    assert caught.value.message.startswith(f"{ms} ms is ") and words in caught.value.message


def test_it_accepts_the_longest_possible_time():
    assert check_time_ms(MAX_TIME_MS) == MAX_TIME_MS


@pytest.mark.parametrize(
    "ms, shown",
    [
        (72319, "1:12.31"),  # truncated, not rounded to 1:12.32
        (72310, "1:12.31"),
        (105006, "1:45.00"),
        (105009, "1:45.00"),
        (34258, "34.25"),
        (34259, "34.25"),
        (774690, "12:54.69"),
        (60000, "1:00.00"),
        (59999, "59.99"),
        (9999, "9.99"),
        (1, "0.00"),
        (601000, "10:01.00"),
        (MAX_TIME_MS, "30:00.00"),
    ],
)
def test_it_shows_hundredths_truncated(ms, shown):
    assert format_time(ms) == shown


def test_it_shows_nothing_for_no_time():
    assert format_time(None) is None and format_diff(None) is None


@pytest.mark.parametrize(
    "ms, shown",
    [
        (280, "+0.28"),
        (-150, "-0.15"),
        (-3, "-0.003"),  # Brodka v Verweij: a real gap below a hundredth keeps its sign visible
        (3, "+0.003"),
        (9, "+0.009"),
        (10, "+0.01"),
        (289, "+0.28"),  # truncated toward zero on both sides
        (-289, "-0.28"),
        (3520, "+3.52"),
        (61230, "+1:01.23"),
        (0, "0.00"),
    ],
)
def test_it_shows_differences_signed_and_truncated(ms, shown):
    assert format_diff(ms) == shown


def test_brodka_and_verweij_read_the_same_but_are_not_equal():
    brodka, verweij = parse_time("1:45.006"), parse_time("1:45.009")
    assert format_time(brodka) == format_time(verweij) == "1:45.00"
    assert brodka < verweij
    assert format_diff(brodka - verweij) == "-0.003"


@given(st.integers(min_value=10, max_value=MAX_TIME_MS))
def test_a_shown_time_reads_back_as_the_time_truncated_to_hundredths(ms):
    assert parse_time(format_time(ms)) == ms - ms % 10


@given(st.integers(min_value=1, max_value=MAX_TIME_MS), st.integers(min_value=1, max_value=MAX_TIME_MS))
def test_showing_never_reorders_two_times(a, b):
    """Truncation may make two times read alike; it never makes the faster one read slower."""
    if a <= b:
        assert (len(format_time(a)), format_time(a)) <= (len(format_time(b)), format_time(b))


@pytest.mark.parametrize("ms,text", [
    (72310, "1:12.310"), (34258, "34.258"), (1, "0.001"), (60000, "1:00.000"), (774690, "12:54.690"),
])
def test_format_exact_keeps_the_thousandths(ms, text):
    assert format_exact(ms) == text


def test_format_exact_of_nothing_is_nothing():
    assert format_exact(None) is None
