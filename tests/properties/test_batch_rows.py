"""Batch rows come from verdicts: the same rows as from explained evaluations.

The batch builds each row from :func:`cperules.verdict`. These tests build the same
batches a second time the way the batch did before (each row read from the explained
:func:`cperules.evaluate`, by the row builder kept here as the reference) and require
every row, error rows included, to be identical.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from budgets import BATCH_CATALOG, BATCH_STREAM
from hypothesis import given, settings
from hypothesis import strategies as st

from cperules import Holding, Ledger, batch, catalog, evaluate
from cperules.batch import BatchRow
from cperules.credits import format_credits
from cperules.results import Evaluation
from cperules.testing.strategies import certifications, holdings, ledgers_for


def _explained_row(holder: str, evaluation: Evaluation) -> BatchRow:
    """A row read from an explained evaluation (the batch's row builder before verdicts).

    Its credit strings are written by ``format_credits`` as the batch now writes them
    (``str()`` of the explained sums kept the places of the amounts added, ``3.50``);
    ``format_credits`` gives equal text exactly for equal amounts.
    """
    governing = evaluation.governing
    deadlines = evaluation.next_deadlines()
    carried = sum((credit.credits for credit in governing.carried_in), Decimal(0))
    stages = evaluation.lifecycle
    return BatchRow(
        holder=holder,
        certification=evaluation.certification,
        as_of=evaluation.as_of.isoformat(),
        status=evaluation.status,
        standing=evaluation.standing.standing if stages else None,
        due=governing.due.isoformat(),
        counted=format_credits(governing.counted),
        shortfall=format_credits(
            max((req.shortfall for req in governing.requirements), default=Decimal(0))
        ),
        carried_in=format_credits(carried),
        next_deadline=deadlines[0].date.isoformat() if deadlines else None,
        next_deadline_kind=deadlines[0].kind if deadlines else None,
        findings=len(evaluation.findings),
        error_code=None,
        error=None,
    )


def _evaluated(holding: Holding, ledger: Ledger, as_of: dt.date) -> Evaluation:
    return evaluate(holding, ledger, as_of=as_of)


def _same_rows(judged: list[BatchRow], explained: list[BatchRow]) -> None:
    """Identical rows (credit the explained parts round down is added up alike)."""
    assert judged == explained


@contextlib.contextmanager
def _explained() -> Iterator[None]:
    """The batch as it was: each row read from the explained evaluation."""
    with (
        mock.patch.object(batch, "_judged", _evaluated),
        mock.patch.object(batch, "_row", _explained_row),
    ):
        yield


def _both(run: Any) -> tuple[list[BatchRow], list[BatchRow]]:
    """``run()``'s rows from verdicts, and from explained evaluations."""
    judged = list(run())
    with _explained():
        explained = list(run())
    return judged, explained


def _records(ledger: Ledger) -> list[dict[str, object]]:
    return [activity.model_dump(exclude_defaults=True) for activity in ledger]


def _spoiled(rng: random.Random, records: list[dict[str, object]]) -> list[dict[str, object]]:
    """``records`` with one made invalid (or an invalid record added)."""
    spoiled = [dict(record) for record in records]
    if spoiled and rng.random() < 0.5:
        spoiled[rng.randrange(len(spoiled))]["completed"] = "2024-13-01"
    else:
        spoiled.append({"id": "bad", "title": "Bad", "completed": "2024-01-01", "credits": "-1"})
    return spoiled


@st.composite
def _stream_items(
    draw: st.DrawFn, certification: Any, count: int
) -> tuple[dt.date, list[tuple[str, object, object]]]:
    as_of_days = draw(st.integers(min_value=0, max_value=9 * 366))
    items: list[tuple[str, object, object]] = []
    first: dt.date | None = None
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    for number in range(count):
        holding = draw(holdings(certification=certification))
        first = holding.earned if first is None else min(first, holding.earned)
        ledger = draw(ledgers_for(certification, holding, max_size=8))
        given: object = ledger
        trouble = draw(st.sampled_from(("none", "none", "records", "bad-record", "bad-holding")))
        if trouble == "records":
            given = _records(ledger)
        elif trouble == "bad-record":
            given = _spoiled(rng, _records(ledger))
        held: object = holding
        if trouble == "bad-holding":
            held = {"certification": "no/such-cert", "earned": holding.earned.isoformat()}
        items.append((f"h{number}", held, given))
    assert first is not None
    return first + dt.timedelta(days=as_of_days), items


@settings(max_examples=BATCH_STREAM)
@given(st.data())
def test_stream_rows_from_verdicts_equal_rows_from_explained_evaluations(
    data: st.DataObject,
) -> None:
    certification = data.draw(certifications())
    count = data.draw(st.integers(min_value=1, max_value=4))
    as_of, items = data.draw(_stream_items(certification, count))
    judged, explained = _both(lambda: batch.evaluate_stream(items, as_of=as_of))  # type: ignore[arg-type]
    _same_rows(judged, explained)


@settings(max_examples=BATCH_CATALOG)
@given(st.data())
def test_catalog_rows_from_verdicts_equal_rows_from_explained_evaluations(
    data: st.DataObject,
) -> None:
    certification = catalog.get(data.draw(st.sampled_from(catalog.ids())))
    as_of, items = data.draw(_stream_items(certification, 2))
    judged, explained = _both(lambda: batch.evaluate_stream(items, as_of=as_of))  # type: ignore[arg-type]
    _same_rows(judged, explained)


PMP_CATEGORIES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "working-as-a-practitioner",
    "volunteer",
    "not-a-category",
)


_AS_OF = dt.date(2026, 1, 1)


def _pmp_table(holders: int, seed: int) -> tuple[list[dict[str, object]], dict[str, Any]]:
    """A long table of PMP holders' records (as ``benchmarks/scale.py`` makes them)."""
    rng = random.Random(seed)
    table: list[dict[str, object]] = []
    held: dict[str, Any] = {}
    for number in range(holders):
        holder = f"h{number:04d}"
        earned = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        held[holder] = {"certification": "pmi/pmp", "earned": earned.isoformat()}
        for index in range(rng.randint(0, 24)):
            done = earned + dt.timedelta(days=rng.randrange((_AS_OF - earned).days))
            table.append(
                {
                    "holder": holder,
                    "id": f"{holder}-{index}",
                    "title": "Course",
                    "completed": done.isoformat(),
                    "credits": str(rng.randint(2, 24) / 2),
                    "category": rng.choice(PMP_CATEGORIES),
                }
            )
    table[rng.randrange(len(table))]["credits"] = "-3"  # a bad record: an error row
    table.append({**table[-1], "holder": "nobody"})  # records without a holding
    held["absent"] = {"certification": "pmi/pmp", "earned": "2024-02-29"}  # no records
    held["unknown"] = {"certification": "PMPP", "earned": "2024-02-29"}  # no such id
    return table, held


@pytest.mark.parametrize("seed", [1, 2])
def test_pmp_table_rows_from_verdicts_equal_rows_from_explained_evaluations(seed: int) -> None:
    table, held = _pmp_table(120, seed)
    judged, explained = _both(lambda: batch.evaluate_table(table, held, as_of=_AS_OF))
    _same_rows(judged, explained)
    codes = {row["error_code"] for row in judged}
    assert {None, "invalid-record", "unknown-holder", "unknown-certification"} <= codes
    assert {row["status"] for row in judged} >= {"compliant", "non_compliant", "in_progress"}
