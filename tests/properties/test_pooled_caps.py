"""A binding cap over kinds of credit that serve the same minimums, counted directly.

PMP's Giving Back cap covers volunteering, content, presentations and working as a
practitioner (itself capped inside it); all of them serve only the total. When it binds,
the direct path (:func:`cperules._engine.allocation.admit`) counts its bound of them
together, earlier credit first within every cap, instead of running the flow, and the
verdict kernel pools them alike. Every evaluation here runs with that and with it
switched off, and the results must be equal in every field and in their data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from cperules import Activity, Holding, Ledger, evaluate, verdict
from cperules._engine import allocation, allocation_flow, cycle

PMP_CODES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "volunteer",
    "create-content",
    "give-presentation",
    "working-as-a-practitioner",
)


@given(
    earned=st.dates(dt.date(2016, 1, 1), dt.date(2024, 12, 31)),
    credits=st.lists(
        st.tuples(st.sampled_from(PMP_CODES), st.integers(1, 48), st.integers(0, 2000)),
        max_size=30,
    ),
    later=st.integers(0, 2500),
)
def test_pmp_giving_back_is_counted_as_the_flow_and_the_full_verdict_count_it(
    earned: dt.date, credits: list[tuple[str, int, int]], later: int
) -> None:
    ledger = Ledger(
        [
            Activity(
                id=f"p{n:02d}",
                title="PDU",
                completed=earned + dt.timedelta(days=day),
                credits=Decimal(amount) / 2,
                category=code,
            )
            for n, (code, amount, day) in enumerate(credits)
        ]
    )
    holding = Holding(certification="pmi/pmp", earned=earned)
    as_of = earned + dt.timedelta(days=later)
    direct = evaluate(holding, ledger, as_of=as_of)
    with mock.patch.object(allocation, "admit", return_value=None):
        solved = evaluate(holding, ledger, as_of=as_of)
    assert direct.to_dict() == solved.to_dict()
    assert direct == solved
    # The verdict kernel pools the same caps: its verdict is the full path's.
    quick = verdict(holding, ledger, as_of=as_of)
    with mock.patch.object(cycle, "kernel_ready", return_value=False):
        full = verdict(holding, ledger, as_of=as_of)
    assert quick.to_dict() == full.to_dict()


def test_a_binding_giving_back_cap_is_counted_directly() -> None:
    """Both kinds under the cap count, earliest first, without the flow."""
    day = dt.date(2024, 1, 10)
    ledger = Ledger(
        [
            Activity(id="v1", title="V", completed=day, credits=Decimal(20), category="volunteer"),
            Activity(
                id="w1",
                title="W",
                completed=day + dt.timedelta(days=5),
                credits=Decimal(6),
                category="working-as-a-practitioner",
            ),
            Activity(
                id="v2",
                title="V",
                completed=day + dt.timedelta(days=9),
                credits=Decimal(9),
                category="create-content",
            ),
        ]
    )
    holding = Holding(certification="pmi/pmp", earned=dt.date(2023, 3, 1))
    with mock.patch.object(
        allocation_flow, "allocate_by_flow", side_effect=AssertionError("flow used")
    ):
        result = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1))
    counted = {
        outcome.activity_id: sum(
            (p.credits for p in outcome.parts if p.reason == "counted"), Decimal(0)
        )
        for outcome in result.cycles[0].activities
    }
    assert counted == {"v1": Decimal(20), "w1": Decimal(5), "v2": Decimal(0)}
