"""The cycle kinds' month and year arithmetic is dateutil's ``relativedelta``, exactly.

Cycles are laid out with plain integer arithmetic (cheap: every cycle of every holding);
these properties pin it to the ``relativedelta`` arithmetic the documentation describes,
over the whole calendar and month and year steps in both directions.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from cperules.cycles._dates import ONE_DAY, add_months, add_years, month_end, whole_months
from cperules.cycles.period import Period

dates = st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2400, 12, 31))
# Month ends and leap days are where clamping happens: drawn often.
days = dates | st.builds(
    lambda year, month, day: dt.date(year, month, min(day, month_end(dt.date(year, month, 1)).day)),
    st.integers(min_value=1600, max_value=2400),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([1, 28, 29, 30, 31]),
)


@given(days, st.integers(min_value=-1200, max_value=1200))
@example(dt.date(2024, 1, 31), 1)
@example(dt.date(2024, 2, 29), -12)
@example(dt.date(2000, 2, 29), 1200)
def test_add_months_is_relativedeltas(day: dt.date, months: int) -> None:
    assert add_months(day, months) == day + relativedelta(months=months)


@given(days, st.integers(min_value=-100, max_value=100))
@example(dt.date(2024, 2, 29), 1)
@example(dt.date(2024, 2, 29), 100)
@example(dt.date(2000, 2, 29), -100)
def test_add_years_is_relativedeltas(day: dt.date, years: int) -> None:
    assert add_years(day, years) == day + relativedelta(years=years)


@given(days)
def test_month_end_is_relativedeltas(day: dt.date) -> None:
    assert month_end(day) == day + relativedelta(day=31)


@given(days, st.integers(min_value=0, max_value=40 * 366))
@example(dt.date(2024, 1, 31), 28)
@example(dt.date(2024, 3, 15), 138)
@example(dt.date(2023, 2, 28), 365)
def test_whole_months_is_relativedeltas(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    delta = relativedelta(end + ONE_DAY, start)
    assert whole_months(start, end) == delta.years * 12 + delta.months


@given(days, st.integers(min_value=0, max_value=12 * 366))
@example(dt.date(2024, 2, 29), 1036)
def test_anniversary_years_are_relativedeltas(start: dt.date, length: int) -> None:
    period = Period(start=start, end=start + dt.timedelta(days=length))
    expected = []
    begin, years = start, 1
    while begin <= period.end:
        following = start + relativedelta(years=years)
        expected.append(Period(start=begin, end=min(period.end, following - ONE_DAY)))
        begin, years = following, years + 1
    assert period.anniversary_years() == tuple(expected)
