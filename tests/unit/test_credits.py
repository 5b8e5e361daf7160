from decimal import Decimal

import pytest
from pydantic import ValidationError

from cperules import Measure, MeasureError
from cperules.credits import DEFAULT_CONVERSIONS, to_credits

CPA = Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.5"))


@pytest.mark.parametrize(
    ("measure", "minutes", "expected"),
    [
        (CPA, 140, Decimal("2.5")),
        (CPA, 50, Decimal("1")),
        (CPA, 74, Decimal("1")),
        (CPA, 75, Decimal("1.5")),
        (
            Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.2")),
            140,
            Decimal("2.8"),
        ),
        (
            Measure(minutes_per_credit=60, step=Decimal("0.25"), rounding="nearest"),
            50,
            Decimal("0.75"),
        ),
        (
            Measure(minutes_per_credit=60, step=Decimal("0.25"), rounding="nearest"),
            52,
            Decimal("0.75"),
        ),
        (
            Measure(minutes_per_credit=60, step=Decimal("0.25"), rounding="nearest"),
            53,
            Decimal("1.00"),
        ),
        (Measure(minutes_per_credit=60), 59, Decimal("0")),
        (Measure(minutes_per_credit=60), 0, Decimal("0")),
    ],
)
def test_convert_minutes(measure: Measure, minutes: int, expected: Decimal) -> None:
    assert measure.convert_minutes(minutes).credits == expected


def test_below_minimum_is_reported_not_raised() -> None:
    result = CPA.convert_minutes(45)
    assert result.credits == 0
    assert result.below_minimum
    assert result.raw == Decimal("0.9")
    assert result.basis == "minutes"


def test_zero_minutes_is_not_below_minimum() -> None:
    assert not CPA.convert_minutes(0).below_minimum


def test_minimum_grid_is_anchored_at_minimum() -> None:
    odd = Measure(minutes_per_credit=60, minimum=Decimal("0.5"), step=Decimal("0.2"))
    assert odd.convert_minutes(60).credits == Decimal("0.9")


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_convert_minutes_rejects_non_whole_minutes(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        CPA.convert_minutes(bad)  # type: ignore[arg-type]


def test_units_convert_exactly_with_default_ceu() -> None:
    assert Measure().convert_units(Decimal("2.5"), "ceu").credits == Decimal("25.0")
    isaca = Measure(conversions={"semester-hour": Decimal(15), "quarter-hour": Decimal(10)})
    assert isaca.convert_units(Decimal(3), "semester-hour").credits == 45
    assert "ceu" not in isaca.conversions


def test_unknown_unit_suggests_close_name() -> None:
    with pytest.raises(MeasureError, match=r"did you mean 'semester-hour'") as info:
        Measure(conversions={"semester-hour": Decimal(15)}).convert_units(
            Decimal(1), "semester-hours"
        )
    assert info.value.code == "unknown-unit"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"conversions": {"CEU": Decimal(10)}}, "unknown-unit"),
        ({"conversions": {"ceu": Decimal(0)}}, "unknown-unit"),
        ({"minimum": Decimal(0)}, "invalid-activity"),
        ({"step": Decimal(0)}, "greater_than"),
        ({"minutes_per_credit": 0}, "greater_than_equal"),
        ({"rounding": "up"}, "literal_error"),
    ],
)
def test_measure_rejects_bad_settings(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as info:
        Measure.model_validate(kwargs)
    assert info.value.errors()[0]["type"] == code


def test_measure_is_immutable_including_conversions() -> None:
    measure = Measure()
    with pytest.raises(ValidationError):
        measure.step = Decimal(2)  # type: ignore[misc]
    with pytest.raises(TypeError):
        measure.conversions["x"] = Decimal(1)
    with pytest.raises(TypeError):
        DEFAULT_CONVERSIONS["ceu"] = Decimal(1)


def test_measure_round_trips_and_hashes() -> None:
    measure = Measure(minutes_per_credit=50, step=Decimal("0.2"), conversions={"ceu": Decimal(10)})
    assert Measure.model_validate(measure.model_dump()) == measure
    assert Measure.model_validate_json(measure.model_dump_json()) == measure
    assert hash(measure) == hash(Measure.model_validate(measure.model_dump()))


def test_measure_repr_is_sparse() -> None:
    assert repr(Measure(minutes_per_credit=50)) == "Measure(minutes_per_credit=50)"


def test_to_credits() -> None:
    assert to_credits("0.2") + to_credits("0.1") == Decimal("0.3")
    with pytest.raises(TypeError, match="exact"):
        to_credits(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        to_credits("NaN")


def test_unit_name_messages_quote_the_unit() -> None:
    with pytest.raises(ValidationError, match="got 'CEU'"):
        Measure(conversions={"CEU": Decimal(10)})
    with pytest.raises(ValidationError, match="unit 'ceu' converts to zero"):
        Measure(conversions={"ceu": Decimal(0)})
