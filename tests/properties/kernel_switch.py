"""Running an evaluation with the verdict kernel and with it switched off, to compare.

The kernel (:mod:`cperules._engine.kernel`) answers cycles of its shape, for verdicts and
for explanations; the properties that check it equal to the full evaluation run each
case twice through :func:`with_and_without` and compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from hypothesis import strategies as st

from cperules import Activity, Holding, Ledger, catalog
from cperules._engine import cycle as cycle_module
from cperules._engine import kernel
from cperules.errors import CperulesError


@contextmanager
def kernel_off() -> Iterator[None]:
    """Every cycle evaluated in full while inside: the kernel serves no version."""
    with mock.patch.object(cycle_module, "kernel_ready", return_value=False):
        yield


def with_and_without(
    run: Callable[..., object], holding: Holding, ledger: Ledger, as_of: dt.date
) -> tuple[object, object]:
    """``run(holding, ledger, as_of=as_of)`` (or its error code) with the kernel, then without."""

    def once() -> object:
        try:
            return run(holding, ledger, as_of=as_of)
        except CperulesError as error:
            return error.code

    with_kernel = once()
    with kernel_off():
        without = once()
    return with_kernel, without


SERVED = tuple(
    entry
    for entry in catalog.ids()
    if any(kernel.kernel_ready(version) for version in catalog.get(entry).versions)
)
"""Bundled entries with a version the kernel serves."""


EARNED = dt.date(2023, 3, 1)
"""The day the CISSP holdings of :func:`cissp_ledgers` were earned."""
DUE = dt.date(2026, 2, 28)
"""Their first cycle's last day."""


@st.composite
def cissp_ledgers(
    draw: st.DrawFn,
    *,
    size: int,
    quarters: tuple[int, int],
    places: Sequence[str] = ("cycle", "grace"),
) -> Ledger:
    """Up to ``size`` CISSP activities around the first cycle's end.

    Each falls in a place drawn from ``places``: anywhere in the ``"cycle"``, in its last
    200 days (``"window"``: credit that may carry) or in the 100 days after it
    (``"grace"``); of Group A or B (A twice as often), for ``quarters`` quarter credits.
    """
    activities = []
    for n in range(draw(st.integers(1, size))):
        place = draw(st.sampled_from(places))
        if place == "grace":
            day = DUE + dt.timedelta(days=draw(st.integers(1, 100)))
        elif place == "window":
            day = DUE - dt.timedelta(days=draw(st.integers(0, 200)))
        else:
            day = EARNED + dt.timedelta(days=draw(st.integers(0, (DUE - EARNED).days)))
        activities.append(
            Activity(
                id=f"a{n:02d}",
                title="Course",
                completed=day,
                credits=Decimal(draw(st.integers(*quarters))) / 4,
                category=draw(st.sampled_from(("A", "A", "B"))),
            )
        )
    return Ledger(activities)
