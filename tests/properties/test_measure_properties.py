from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cperules import Measure

steps = st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.25"), Decimal("0.2")])
measures = st.builds(
    Measure,
    minutes_per_credit=st.sampled_from([50, 60]),
    minimum=st.none() | st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal(1)]),
    step=steps,
    rounding=st.sampled_from(["down", "nearest"]),
)
minutes = st.integers(min_value=0, max_value=10_000)


@given(measures, minutes, minutes)
def test_conversion_is_monotone_in_minutes(measure: Measure, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert measure.convert_minutes(low).credits <= measure.convert_minutes(high).credits


@given(measures.filter(lambda m: m.rounding == "down"), minutes)
def test_rounding_down_never_exceeds_raw_credit(measure: Measure, amount: int) -> None:
    converted = measure.convert_minutes(amount)
    assert converted.credits <= Decimal(amount) / measure.minutes_per_credit


@given(measures.filter(lambda m: m.rounding == "nearest"), minutes)
def test_rounding_nearest_is_within_half_a_step(measure: Measure, amount: int) -> None:
    converted = measure.convert_minutes(amount)
    raw = Decimal(amount) / measure.minutes_per_credit
    if not converted.below_minimum and converted.credits:
        assert abs(converted.credits - raw) <= measure.step / 2


@given(measures, minutes)
def test_conversions_land_on_the_grid(measure: Measure, amount: int) -> None:
    credits = measure.convert_minutes(amount).credits
    assert credits == 0 or (credits - measure.smallest) % measure.step == 0
    assert credits == 0 or credits >= measure.smallest
