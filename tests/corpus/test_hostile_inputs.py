"""Malformed and hostile input: every case gives a library error naming where, quickly.

Each case is run under a hang guard (an alarm far above what any case needs), so a case
that makes the library run away fails instead of stalling the suite. Performance itself
is measured under benchmarks/, never here.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from cperules import (
    Activity,
    ArgumentError,
    Certification,
    CperulesError,
    Holding,
    Ledger,
    LedgerError,
    PolicyFormatError,
    catalog,
    evaluate,
    evaluate_portfolio,
    load_certification,
    verdict,
)
from cperules.cycles import AnniversaryCycle, Grace, RollingCycle
from cperules.days import (
    MAX_CYCLE_MONTHS,
    MAX_CYCLE_YEARS,
    MAX_CYCLES,
    MAX_GRACE_DAYS,
    MAX_GRACE_MONTHS,
)
from cperules.ledger import MAX_ACTIVITY_CATEGORIES, MAX_LEDGER_SIZE, ledger_size
from cperules.policy import MAX_CATEGORIES, MAX_RULES
from cperules.selectors import MAX_SELECTOR_DEPTH, Not, everything

HANG_GUARD_SECONDS = 20


@contextmanager
def hang_guard() -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {HANG_GUARD_SECONDS} s: a runaway input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


POLICY_HEAD = """
id = "test/hostile"
name = "Hostile"
body = "Test"
unit = "CPE"
[[versions]]
effective_from = 2020-01-01
"""


def policy(cycle: str = 'cycle = { kind = "anniversary", years = 1 }', rest: str = "") -> str:
    return POLICY_HEAD + cycle + "\n" + rest


def record(**fields: object) -> dict[str, object]:
    return {"id": "a1", "title": "Course", "completed": "2024-03-01", "credits": "1", **fields}


def cissp(earned: dt.date = dt.date(2023, 3, 1)) -> Holding:
    return Holding(certification="isc2/cissp", earned=earned)


EMPTY = Ledger()
TODAY = dt.date(2024, 6, 1)

# (name, call, error class, code, text the message must contain)
CASES: list[tuple[str, Callable[[], object], type[Exception], str | None, str]] = [
    # --- records --------------------------------------------------------------------
    (
        "credits of a million digits",
        lambda: Ledger.from_records([record(credits="1e999999")]),
        LedgerError,
        "invalid-record",
        "field 'credits'",
    ),
    (
        "minutes beyond any activity",
        lambda: Ledger.from_records([record(credits=None, minutes=10**4000)]),
        LedgerError,
        "invalid-record",
        "field 'minutes'",
    ),
    (
        "a float credit amount",
        lambda: Activity(id="a", title="T", completed=dt.date(2024, 1, 1), credits=0.1 + 0.2),  # type: ignore[arg-type]
        ValidationError,
        None,
        "an exact amount",
    ),
    (
        "NaN credits in a record",
        lambda: Ledger.from_records([record(credits=float("nan"))]),
        LedgerError,
        "invalid-record",
        "got nan",
    ),
    (
        "a completion date with a time of day",
        lambda: Ledger.from_records([record(completed=dt.datetime(2024, 3, 1, 12))]),
        LedgerError,
        "invalid-record",
        "a date, not a datetime",
    ),
    (
        "a completion date at the end of the calendar",
        lambda: Ledger.from_records([record(completed="9999-12-31")]),
        LedgerError,
        "invalid-record",
        "a date from 1900-01-01 to 2999-12-31",
    ),
    (
        "records that are not mappings",
        lambda: Ledger.from_records(["a1,Course,2024-03-01,1"]),  # type: ignore[list-item]
        LedgerError,
        "invalid-record",
        "record 0",
    ),
    (
        "an activity looked up by position",
        lambda: Ledger.from_records([record()])[0],  # type: ignore[index]
        ArgumentError,
        "invalid-argument",
        "ledger.activities[0]",
    ),
    # --- holdings and arguments -------------------------------------------------------
    (
        "earned at the end of the calendar",
        lambda: Holding(certification="isc2/cissp", earned=dt.date(9999, 12, 31)),
        ValidationError,
        None,
        "a date from 1900-01-01 to 2999-12-31",
    ),
    (
        "as_of given as a string",
        lambda: evaluate(cissp(), EMPTY, as_of="2025-01-01"),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "as_of: expected a datetime.date",
    ),
    (
        "as_of given as a datetime",
        lambda: evaluate(cissp(), EMPTY, as_of=dt.datetime(2025, 1, 1, 9)),
        ArgumentError,
        "invalid-argument",
        "as_of: expected a datetime.date, got the datetime",
    ),
    (
        "as_of given as None",
        lambda: evaluate(cissp(), EMPTY, as_of=None),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "got the NoneType None",
    ),
    (
        "as_of at the end of the calendar",
        lambda: evaluate(cissp(), EMPTY, as_of=dt.date(9999, 12, 31)),
        ArgumentError,
        "day-out-of-range",
        "as_of: expected a date from 1900-01-01",
    ),
    (
        "a list of dicts as the ledger",
        lambda: evaluate(cissp(), [record()], as_of=TODAY),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "Ledger.from_records(records)",
    ),
    (
        "a dict as the holding",
        lambda: evaluate({"certification": "isc2/cissp"}, EMPTY, as_of=TODAY),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "holding: expected a Holding",
    ),
    (
        "one holding where a portfolio wants several",
        lambda: evaluate_portfolio(cissp(), EMPTY, as_of=TODAY),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "a sequence of Holding values",
    ),
    (
        "a catalog lookup of None",
        lambda: catalog.get(None),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "id_or_alias",
    ),
    (
        "a catalog search for None",
        lambda: catalog.search(None),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "text:",
    ),
    # --- policy files ----------------------------------------------------------------
    (
        "a policy given as bytes",
        lambda: load_certification(POLICY_HEAD.encode()),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "decode it first",
    ),
    (
        "a policy given as None",
        lambda: load_certification(None),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "got the NoneType",
    ),
    (
        "a base that comes back as a number",
        lambda: load_certification('extends = "x/family"\nid = "x/y"', bases=lambda name: 3),  # type: ignore[arg-type]
        ArgumentError,
        "invalid-argument",
        "the base 'x/family' came back as the int 3",
    ),
    (
        "a credit step of 1e-300",
        lambda: load_certification(policy(rest="measure = { step = 1e-300 }")),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].measure.step",
    ),
    (
        "a rule of a million-digit credit amount",
        lambda: load_certification(
            policy(rest='[[versions.rules]]\nkind = "minimum"\nid = "t"\ncredits = 1e999999')
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].rules[0].credits",
    ),
    (
        "a selector nested 400 deep",
        lambda: load_certification(
            policy(
                rest='[[versions.rules]]\nkind = "minimum"\nid = "t"\ncredits = 1\nselector = '
                + '{ kind = "not", selector = ' * 400
                + '{ kind = "everything" }'
                + " }" * 400
            )
        ),
        PolicyFormatError,
        "policy-syntax",
        "nested at most 48 deep",
    ),
    (
        "a category tree 60 deep",
        lambda: load_certification(
            policy(rest="categories = [" + '{ code = "c", children = [' * 60 + "]}" * 60 + "]")
        ),
        PolicyFormatError,
        "invalid-policy",
        "nested at most 48 deep",
    ),
    (
        "an extends chain of 2,000 bases",
        lambda: load_certification(
            'extends = "b/0"\nid = "x/y"',
            bases={f"b/{i}": f'extends = "b/{i + 1}"' for i in range(2000)},
        ),
        PolicyFormatError,
        "invalid-extends",
        "a chain of at most 16 bases",
    ),
    (
        "a cycle length written as text in a policy file",
        lambda: load_certification(policy('cycle = { kind = "anniversary", years = "3" }')),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.years: got '3'; expected a TOML date or number",
    ),
    (
        "an effective date written as text in a policy file",
        lambda: load_certification(
            POLICY_HEAD.replace("effective_from = 2020-01-01", 'effective_from = "2020-01-01"')
            + 'cycle = { kind = "anniversary", years = 1 }\n'
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].effective_from: got '2020-01-01'; expected a TOML date or number",
    ),
    (
        "a fixed cycle anchored on the 31st",
        lambda: load_certification(
            policy('cycle = { kind = "fixed", anchor = 2021-01-31, years = 1 }')
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.anchor",
    ),
    (
        "a grace of a billion days",
        lambda: load_certification(
            policy('cycle = { kind = "anniversary", years = 1, grace = { days = 1000000000 } }')
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.grace.days: got 1000000000; expected a whole number of days from 1 to 3660",
    ),
    (
        "a grace of a billion months",
        lambda: load_certification(
            policy('cycle = { kind = "anniversary", years = 1, grace = { months = 1000000000 } }')
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.grace.months: got 1000000000; expected a whole number of months from 1 to 120",
    ),
    (
        "a cycle of 8,000 years",
        lambda: load_certification(policy('cycle = { kind = "anniversary", years = 8000 }')),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.years: got 8000; expected a whole number of years from 1 to 100",
    ),
    (
        "a calendar cycle of 8,000 years",
        lambda: load_certification(policy('cycle = { kind = "calendar", years = 8000 }')),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.years: got 8000",
    ),
    (
        "a birth-month cycle of 8,000 years",
        lambda: load_certification(policy('cycle = { kind = "birth-month", years = 8000 }')),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.years: got 8000",
    ),
    (
        "a rolling window of a hundred million months",
        lambda: load_certification(
            policy(
                'cycle = { kind = "rolling", every_months = 12, window_months = 100000000, checkpoint_month = 12 }'
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.window_months: got 100000000; expected a whole number of months from 1 to 1200",
    ),
    (
        "a rolling step of a hundred million months",
        lambda: load_certification(
            policy(
                'cycle = { kind = "rolling", every_months = 100000000, window_months = 12, checkpoint_month = 12 }'
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.every_months: got 100000000",
    ),
    (
        "a schedule repeating every 100,000 years",
        lambda: load_certification(
            policy(
                '[versions.cycle]\nkind = "scheduled"\nrepeat_years = 100000\n[[versions.cycle.groups]]\n'
                'name = "a"\nletters = "A-Z"\nperiods = [{ start = 2020-01-01, end = 2020-12-31 }]'
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.repeat_years: got 100000",
    ),
    (
        "a schedule period at the end of the calendar",
        lambda: load_certification(
            policy(
                '[versions.cycle]\nkind = "scheduled"\n[[versions.cycle.groups]]\nname = "a"\n'
                'letters = "A-Z"\nperiods = [{ start = 2020-01-01, end = 9999-12-31 }]'
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.groups[0]: got {'name': 'a', 'letters': 'A-Z', 'periods': [{'start': datetime.date(2020, 1, ...; expected periods within 1900-01-01 to 2999-12-31, not 2020-01-01..9999-12-31",
    ),
    (
        "a carryover window of a billion months",
        lambda: load_certification(policy(rest="carryover = { window_months = 1000000000 }")),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].carryover.window_months: got 1000000000; expected a number <= 1200",
    ),
    (
        "a grace of a billion days built in Python",
        lambda: Grace(days=1_000_000_000),
        ValidationError,
        None,
        "days must be at most 3660 days, got 1000000000",
    ),
    (
        "a cycle of 8,000 years built in Python",
        lambda: AnniversaryCycle(years=8000),
        ValidationError,
        None,
        "years must be at most 100 years, got 8000",
    ),
    (
        "an activity eligible for 17 categories",
        lambda: Ledger.from_records([record(eligible=",".join(f"c{i}" for i in range(17)))]),
        LedgerError,
        "invalid-record",
        "at most 16 categories, not 17",
    ),
    (
        "a policy version of 101 rules",
        lambda: load_certification(
            policy(
                rest="".join(
                    f'[[versions.rules]]\nkind = "minimum"\nid = "r{i}"\ncredits = 1\n'
                    for i in range(101)
                )
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "a policy version has at most 100 rules, got 101",
    ),
    (
        "a policy version of 201 categories",
        lambda: load_certification(
            policy(
                rest="categories = [" + ", ".join(f'{{ code = "c{i}" }}' for i in range(201)) + "]"
            )
        ),
        PolicyFormatError,
        "invalid-policy",
        "category tree has at most 200 categories, got 201",
    ),
    (
        "an as_of 979 years after a one-month rolling cycle was earned",
        lambda: evaluate(
            Holding(
                certification=load_certification(
                    policy(
                        'cycle = { kind = "rolling", every_months = 1, window_months = 12, checkpoint_month = 12 }'
                    )
                ),
                earned=dt.date(2020, 1, 1),
            ),
            EMPTY,
            as_of=dt.date(2999, 1, 1),
        ),
        ArgumentError,
        "beyond-limits",
        "cperules evaluates at most 1000 cycles of a holding",
    ),
    (
        "a ledger of 20,000 activities eligible for three categories",
        lambda: evaluate(cissp(), _eligible_ledger(20_000, 3), as_of=TODAY),
        ArgumentError,
        "beyond-limits",
        "ledger: a ledger of size 60000 is beyond the 2000 cperules evaluates",
    ),
    (
        "a selector 2,000 deep built in Python",
        lambda: _nest_not(2000),
        ValidationError,
        None,
        f"selectors nest at most {MAX_SELECTOR_DEPTH} deep",
    ),
]


def _eligible_ledger(
    count: int, categories: int, *, start: dt.date = dt.date(2023, 3, 1)
) -> Ledger:
    return Ledger(
        Activity(
            id=f"a{i}",
            title="Course",
            completed=start + dt.timedelta(days=i % 300),
            credits=Decimal(1),
            eligible=tuple(f"c{j}" for j in range(categories)) if categories > 1 else (),
            category="c0" if categories == 1 else None,
        )
        for i in range(count)
    )


def _nest_not(depth: int) -> object:
    selector: Any = everything()
    for _ in range(depth):
        selector = Not(selector=selector)
    return selector


@pytest.mark.parametrize(
    ("call", "error", "code", "text"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_hostile_input_gives_a_located_library_error(
    call: Callable[[], object], error: type[Exception], code: str | None, text: str
) -> None:
    with hang_guard(), pytest.raises(error) as raised:
        call()
    assert text in str(raised.value)
    if code is not None:
        assert isinstance(raised.value, CperulesError)
        assert raised.value.code == code


def test_argument_errors_are_type_errors_and_library_errors() -> None:
    with pytest.raises(TypeError), hang_guard():
        evaluate(cissp(), EMPTY, as_of="2025-01-01")  # type: ignore[arg-type]
    assert issubclass(ArgumentError, CperulesError)


def test_amounts_at_the_bounds_are_accepted() -> None:
    (activity,) = Ledger.from_records([record(credits="1000000", minutes=None)])
    assert activity.credits == Decimal(1_000_000)
    (timed,) = Ledger.from_records([record(credits=None, minutes=10_000_000)])
    assert timed.minutes == 10_000_000
    assert Holding(certification="isc2/cissp", earned=dt.date(2999, 12, 31)).earned.year == 2999


def test_spans_at_the_bounds_are_accepted_and_one_past_refused() -> None:
    assert Grace(days=MAX_GRACE_DAYS).days == 3660
    assert Grace(months=MAX_GRACE_MONTHS).months == 120
    assert AnniversaryCycle(years=MAX_CYCLE_YEARS).years == 100
    holding = Holding(certification="isc2/cissp", earned=dt.date(2999, 12, 31))
    # The longest cycle with the longest grace, from the last day: still in the calendar.
    far = AnniversaryCycle(years=MAX_CYCLE_YEARS, grace=Grace(days=MAX_GRACE_DAYS))
    last = far.cycle_on(holding, holding.earned)
    assert (str(last.period), str(last.grace)) == (
        "2999-12-31..3099-12-30",
        "3099-12-31..3110-01-07",
    )
    with pytest.raises(ValidationError, match="days must be at most 3660 days, got 3661"):
        Grace(days=MAX_GRACE_DAYS + 1)
    with pytest.raises(ValidationError, match="months must be at most 120 months, got 121"):
        Grace(months=MAX_GRACE_MONTHS + 1)
    with pytest.raises(ValidationError, match="years must be at most 100 years, got 101"):
        AnniversaryCycle(years=MAX_CYCLE_YEARS + 1)
    with pytest.raises(ValidationError, match="window_months must be at most 1200 months"):
        RollingCycle(every_months=12, window_months=MAX_CYCLE_MONTHS + 1, checkpoint_month=12)
    assert RollingCycle(every_months=12, window_months=MAX_CYCLE_MONTHS, checkpoint_month=12)


def _annual(**version: Any) -> Certification:
    return load_certification(policy(**version))


def test_cycles_at_the_bound_are_laid_out_and_one_more_refused() -> None:
    spec = RollingCycle(every_months=1, window_months=12, checkpoint_month=12)
    holding = Holding(certification=_annual(), earned=dt.date(2000, 1, 1))
    # Checkpoints every month from 2000-12-31: the 1,000th is 2084-03-31.
    with hang_guard():
        cycles = spec.cycles(holding, as_of=dt.date(2084, 3, 31))
    assert (len(cycles), cycles[-1].due) == (MAX_CYCLES, dt.date(2084, 3, 31))
    with hang_guard(), pytest.raises(ArgumentError) as raised:
        spec.cycles(holding, as_of=dt.date(2084, 4, 1))
    assert raised.value.code == "beyond-limits"
    assert "cycle 1001 would start 2083-05-01" in str(raised.value)


def test_a_ledger_at_the_bound_is_evaluated_and_one_more_refused() -> None:
    at_bound = _eligible_ledger(MAX_LEDGER_SIZE, 1)
    categories = ", ".join(f'{{ code = "c{i}" }}' for i in range(MAX_ACTIVITY_CATEGORIES))
    certification = load_certification(
        policy(
            rest=f'categories = [{categories}]\n[[versions.rules]]\nkind = "minimum"\nid = "total"\ncredits = 120'
        )
    )
    holding = Holding(certification=certification, earned=dt.date(2023, 3, 1))
    with hang_guard():
        result = evaluate(holding, at_bound, as_of=TODAY)
    assert (result.cycles[0].counted, result.cycles[0].status) == (Decimal(2000), "compliant")
    assert ledger_size(_eligible_ledger(MAX_LEDGER_SIZE // 2, 2)) == MAX_LEDGER_SIZE
    with hang_guard(), pytest.raises(ArgumentError) as raised:
        evaluate(holding, _eligible_ledger(MAX_LEDGER_SIZE + 1, 1), as_of=TODAY)
    assert raised.value.code == "beyond-limits"
    assert "a ledger of size 2001 is beyond the 2000" in str(raised.value)
    # The same limit guards what_if: planned activities count too.
    with hang_guard(), pytest.raises(ArgumentError, match="size 2001"):
        result.what_if([Activity(id="planned", title="P", completed=TODAY, credits=Decimal(1))])
    eligible = Activity(
        id="e",
        title="T",
        completed=TODAY,
        credits=Decimal(1),
        eligible=tuple(f"c{i}" for i in range(MAX_ACTIVITY_CATEGORIES)),
    )
    assert len(eligible.categories) == 16


def test_activities_over_overlapping_cycles_at_the_bound_and_past() -> None:
    # Rolling four-year windows checked every year: an activity of 2021 falls in the
    # windows ending 2021, 2022, 2023 and 2024, so 1,500 of them fall 6,000 times.
    rolling = _annual(
        cycle='cycle = { kind = "rolling", every_months = 12, window_months = 48, checkpoint_month = 12 }'
    )
    holding = Holding(certification=rolling, earned=dt.date(2020, 1, 1))
    ledger = _eligible_ledger(1500, 1, start=dt.date(2021, 1, 1))
    with hang_guard():
        result = evaluate(holding, ledger, as_of=dt.date(2024, 12, 31))
    assert [str(c.period) for c in result.cycles][-1] == "2021-01-01..2024-12-31"
    wider = Ledger(
        [
            *ledger,
            Activity(
                id="two",
                title="T",
                completed=dt.date(2021, 6, 1),
                credits=Decimal(1),
                eligible=("c0", "c1"),
            ),
        ]
    )
    with hang_guard(), pytest.raises(ArgumentError) as raised:
        evaluate(holding, wider, as_of=dt.date(2024, 12, 31))
    assert raised.value.code == "beyond-limits"
    assert "its activities fall 6008 times in the 5 cycles up to as_of, beyond the 6000" in str(
        raised.value
    )


def test_verdicts_over_overlapping_cycles_at_the_bound_and_past() -> None:
    # The verdict path counts the same activities over the same cycles (kept per plan).
    rolling = _annual(
        cycle='cycle = { kind = "rolling", every_months = 12, window_months = 48, checkpoint_month = 12 }'
    )
    holding = Holding(certification=rolling, earned=dt.date(2020, 1, 1))
    ledger = _eligible_ledger(1500, 1, start=dt.date(2021, 1, 1))
    as_of = dt.date(2024, 12, 31)
    with hang_guard():
        judged = verdict(holding, ledger, as_of=as_of)
    assert judged.status == evaluate(holding, ledger, as_of=as_of).status
    one_more = Activity(
        id="one", title="T", completed=dt.date(2021, 6, 1), credits=Decimal(1), category="c0"
    )
    with hang_guard(), pytest.raises(ArgumentError) as raised:
        verdict(holding, Ledger([*ledger, one_more]), as_of=as_of)
    assert raised.value.code == "beyond-limits"
    assert "its activities fall 6004 times in the 5 cycles up to as_of, beyond the 6000" in str(
        raised.value
    )


def test_policies_at_the_bounds_load_and_one_past_is_refused() -> None:
    rules = "".join(
        f'[[versions.rules]]\nkind = "minimum"\nid = "r{i}"\ncredits = 1\n'
        for i in range(MAX_RULES)
    )
    assert len(load_certification(policy(rest=rules)).versions[0].rules) == 100
    tree = "categories = [" + ", ".join(f'{{ code = "c{i}" }}' for i in range(MAX_CATEGORIES)) + "]"
    assert len(load_certification(policy(rest=tree)).versions[0].categories) == 200
