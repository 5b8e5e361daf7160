"""Results built without validating them again equal the validated ones (issue 16).

The engine builds its result models with :func:`cperules._model.trusted`, which skips
pydantic's validation of values the engine made itself. With ``validating.on`` the same
calls validate like the constructors; both runs must give equal results, field by field
and in their data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings
from pydantic import BaseModel

from cperules import Evaluation, Holding, Ledger, Period, evaluate
from cperules._model import trusted, validating
from cperules.credits import Conversion
from cperules.errors import CperulesError
from cperules.results import (
    ActivityOutcome,
    CarriedCredit,
    CycleResult,
    Part,
    RequirementResult,
)

WHOLE = Period(start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))


@pytest.fixture
def validated() -> Iterator[None]:
    """Make :func:`trusted` validate for the test's duration."""
    validating.on = True
    try:
        yield
    finally:
        validating.on = False


def _evaluated(holding: Holding, ledger: Ledger, as_of: dt.date, *, check: bool) -> object:
    validating.on = check
    try:
        return evaluate(holding, ledger, as_of=as_of)
    except CperulesError as error:
        return (type(error), error.code, str(error))
    finally:
        validating.on = False


def _models(evaluation: Evaluation) -> Iterator[BaseModel]:
    for cycle in evaluation.cycles:
        yield cycle
        yield from cycle.requirements
        yield from cycle.carried_in
        yield from cycle.carried_out
        for outcome in cycle.activities:
            yield outcome
            yield from outcome.parts
    for outcome in evaluation.outside:
        yield outcome
        yield from outcome.parts


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_trusted_results_equal_validated_ones(case: Case) -> None:
    holding, ledger, as_of = case
    fast = _evaluated(holding, ledger, as_of, check=False)
    checked = _evaluated(holding, ledger, as_of, check=True)
    assert fast == checked
    if isinstance(fast, Evaluation):
        assert isinstance(checked, Evaluation)
        assert fast.to_dict() == checked.to_dict()
        assert repr(fast) == repr(checked)
        for made, valid in zip(_models(fast), _models(checked), strict=True):
            assert type(made) is type(valid)
            assert made.__dict__ == valid.__dict__
            assert list(made.__dict__) == list(valid.__dict__)
            assert made.model_fields_set == valid.model_fields_set
            assert hash(made) == hash(valid)


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Part, {"reason": "counted", "credits": Decimal("2.50"), "category": "A", "note": None}),
        (Part, {"reason": "capped", "credits": Decimal(3), "rule": "cap-b"}),
        (
            ActivityOutcome,
            {
                "activity_id": "a1",
                "title": "T",
                "completed": dt.date(2024, 5, 1),
                "claimed": Decimal(2),
                "basis": "credits",
                "parts": (Part(reason="counted", credits=Decimal(2)),),
            },
        ),
        (
            RequirementResult,
            {
                "id": "total",
                "period": WHOLE,
                "required": Decimal(120),
                "counted": Decimal(100),
                "shortfall": Decimal(20),
                "activities": ("a1",),
            },
        ),
        (
            CarriedCredit,
            {"activity_id": "a1", "category": "A", "credits": Decimal(1), "lands_in": WHOLE},
        ),
        (
            CycleResult,
            {
                "index": 0,
                "period": WHOLE,
                "due": WHOLE.end,
                "status": "in_progress",
                "version_from": WHOLE.start,
            },
        ),
        (Conversion, {"credits": Decimal(2), "basis": "credits", "raw": Decimal(2)}),
    ],
)
def test_trusted_builds_what_the_constructor_builds(
    cls: type[BaseModel], values: dict[str, object]
) -> None:
    made, valid = trusted(cls, **values), cls(**values)
    assert made == valid
    assert list(made.__dict__.items()) == list(valid.__dict__.items())
    assert made.model_fields_set == valid.model_fields_set
    assert repr(made) == repr(valid)
    assert made.model_dump() == valid.model_dump()
    assert made.__pydantic_extra__ == valid.__pydantic_extra__
    assert made.__pydantic_private__ == valid.__pydantic_private__


def test_validating_makes_trusted_validate(validated: None) -> None:
    with pytest.raises(ValueError, match="reason"):
        trusted(Part, reason="no-such-reason", credits=Decimal(1))
