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
    CperulesError,
    Holding,
    Ledger,
    LedgerError,
    PolicyFormatError,
    catalog,
    evaluate,
    evaluate_portfolio,
    load_certification,
)
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
        "a fixed cycle anchored on the 31st",
        lambda: load_certification(
            policy('cycle = { kind = "fixed", anchor = 2021-01-31, years = 1 }')
        ),
        PolicyFormatError,
        "invalid-policy",
        "versions[0].cycle.anchor",
    ),
    (
        "a selector 2,000 deep built in Python",
        lambda: _nest_not(2000),
        ValidationError,
        None,
        f"selectors nest at most {MAX_SELECTOR_DEPTH} deep",
    ),
]


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
