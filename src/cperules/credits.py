"""Exact credit amounts and measures that turn minutes and units into credits.

Credits are :class:`decimal.Decimal`, never ``float``: 0.2- and 0.25-credit steps must
compare exactly. A :class:`Measure` belongs to a policy version, because the same
50-minute webinar is one credit under one body's rules and 0.75 under another's.

>>> from decimal import Decimal
>>> cpa = Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.5"))
>>> cpa.convert_minutes(140).credits
Decimal('2.5')
>>> cpa.convert_minutes(45)
Conversion(credits=Decimal('0'), basis='minutes', raw=Decimal('0.9'), below_minimum=True)
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal, TypeVar

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenDict, FrozenModel, freeze_mapping
from cperules.errors import MeasureError, did_you_mean

# Also importable, for the library's own modules (not in the documented API):
# exact, exact_sum, to_decimal.
__all__ = [
    "DEFAULT_CONVERSIONS",
    "MAX_CREDITS",
    "MAX_DECIMAL_PLACES",
    "MAX_MINUTES",
    "Amount",
    "Conversion",
    "ConversionBasis",
    "Credits",
    "Measure",
    "Rounding",
    "format_credits",
    "to_credits",
]

MAX_CREDITS = Decimal(1_000_000)
"""The largest credit amount an activity, a rule or a measure may state.

No real policy or ledger comes near it; the bound keeps a hostile amount such as
``"1e999999"`` from costing minutes of arithmetic."""

MAX_DECIMAL_PLACES = 6
"""The most decimal places a stated amount may have (steps of 0.2 and 0.25 need two)."""

MAX_MINUTES = 10_000_000
"""The most minutes an activity may state (about 19 years of minutes)."""


def _exact(value: object) -> object:
    """Refuse floats: ``0.1 + 0.2`` is not 0.3, and credits must compare exactly."""
    if isinstance(value, float):
        raise PydanticCustomError(
            "exact_amount",
            "an exact amount: a string such as '{suggested}' or a Decimal, not the float {value!r}",
            {"value": value, "suggested": _shortest(value)},
        )
    return value


def _shortest(value: float) -> str:
    """The shortest decimal text of a float (``0.3`` for ``0.3``, ``nan`` for NaN)."""
    return repr(value)


Amount = Annotated[
    Decimal,
    Field(allow_inf_nan=False, decimal_places=MAX_DECIMAL_PLACES),
    BeforeValidator(_exact),
]
"""An exact, finite decimal amount with at most six decimal places, never from a float."""

Credits = Annotated[
    Decimal,
    Field(ge=0, le=MAX_CREDITS, allow_inf_nan=False, decimal_places=MAX_DECIMAL_PLACES),
    BeforeValidator(_exact),
]
"""A non-negative, finite credit amount of at most :data:`MAX_CREDITS`, never a float.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(Credits).validate_python("12.5")
Decimal('12.5')
>>> TypeAdapter(Credits).validate_python(0.1 + 0.2)
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for function-before[...]
  an exact amount: a string such as '0.30000000000000004' or a Decimal, not the float ...
"""

Rounding = Literal["down", "nearest"]
"""How a raw amount lands on the credit grid: ``down`` (floor) or ``nearest`` (ties up)."""

ConversionBasis = Literal["credits", "minutes", "units"]
"""What an activity's credits were derived from."""

DEFAULT_CONVERSIONS: FrozenDict[str, Decimal] = FrozenDict({"ceu": Decimal(10)})
"""Credits per unit when a measure does not say otherwise: 1 CEU = 10 credits."""


def to_credits(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as an exact, finite, non-negative credit amount.

    Floats are refused: pass a string (``"0.2"``) or a :class:`~decimal.Decimal`.

    >>> to_credits("2.50")
    Decimal('2.50')
    >>> to_credits(-1)
    Traceback (most recent call last):
    ...
    ValueError: a credit amount must be finite, >= 0 and <= 1000000, got -1
    """
    if isinstance(value, float):
        raise TypeError(f"credit amounts are exact: pass {str(value)!r} or a Decimal, not a float")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or amount > MAX_CREDITS:
        raise ValueError(f"a credit amount must be finite, >= 0 and <= {MAX_CREDITS}, got {value}")
    return amount


class Conversion(FrozenModel):
    """The outcome of turning an amount into credits, with what it was based on.

    ``raw`` is the exact amount before the grid was applied; ``below_minimum`` says the
    amount was under the measure's minimum and so counts as zero (not an error).

    >>> Conversion(credits=Decimal(2), basis="credits", raw=Decimal(2))
    Conversion(credits=Decimal('2'), basis='credits', raw=Decimal('2'))
    """

    credits: Decimal = Field(ge=0, allow_inf_nan=False)
    basis: ConversionBasis
    raw: Decimal = Field(ge=0, allow_inf_nan=False)
    below_minimum: bool = False


class Measure(FrozenModel):
    """How a policy turns minutes and other units into credits.

    - ``minutes_per_credit``: minutes of activity in one credit (commonly 50 or 60).
    - ``minimum``: the smallest countable amount; less than this counts as zero and is
      reported as below the minimum. Defaults to ``step``.
    - ``step``: the grid after the first credit (1, 0.5, 0.25, 0.2). The grid is anchored
      at ``minimum``: countable amounts are ``minimum + k * step``.
    - ``rounding``: ``down`` floors onto the grid, ``nearest`` rounds half up. With
      ``nearest`` an amount can round up past ``minutes / minutes_per_credit`` by at most
      half a step; with ``down`` it never exceeds it.
    - ``conversions``: credits per unit, by unit name (``{"ceu": 10}`` by default; add
      ``"semester-hour"`` or ``"quarter-hour"`` with the body's own factor). Unit
      conversions are exact and are not rounded onto the grid.

    >>> Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.2")).convert_minutes(140).credits
    Decimal('2.8')
    >>> Measure(minutes_per_credit=60, step=Decimal("0.25"), rounding="nearest").convert_minutes(50).credits
    Decimal('0.75')
    >>> Measure(conversions={"semester-hour": Decimal(15)}).convert_units(Decimal(3), "semester-hour").credits
    Decimal('45')
    """  # noqa: E501

    minutes_per_credit: int = Field(default=60, ge=1, le=MAX_MINUTES)
    minimum: Credits | None = None
    step: Amount = Field(default=Decimal(1), gt=0, le=MAX_CREDITS)
    rounding: Rounding = "down"
    conversions: dict[str, Credits] = Field(default_factory=lambda: DEFAULT_CONVERSIONS)

    @field_validator("conversions")
    @classmethod
    def _lowercase_units(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for unit, factor in value.items():
            if not unit or unit != unit.strip().lower():
                raise PydanticCustomError(
                    "unknown-unit",
                    "unit names are lower-case with no surrounding spaces, got '{unit}'",
                    {"unit": unit},
                )
            if factor == 0:
                raise PydanticCustomError(
                    "unknown-unit", "unit '{unit}' converts to zero credits", {"unit": unit}
                )
        return freeze_mapping(value)

    @model_validator(mode="after")
    def _minimum_on_grid(self) -> Measure:
        if self.minimum is not None and self.minimum == 0:
            raise PydanticCustomError(
                "invalid-activity", "minimum must be greater than zero (omit it to use the step)"
            )
        return self

    @property
    def smallest(self) -> Decimal:
        """The smallest countable amount: ``minimum`` if set, else ``step``.

        >>> Measure(step=Decimal("0.25")).smallest
        Decimal('0.25')
        """
        return self.step if self.minimum is None else self.minimum

    def on_grid(self, raw: Decimal) -> Conversion:
        """Place an exact raw credit amount on this measure's grid.

        >>> Measure(minimum=Decimal(1), step=Decimal("0.5")).on_grid(Decimal("1.99")).credits
        Decimal('1.5')
        """
        smallest = self.smallest
        if raw < smallest:
            return Conversion(credits=Decimal(0), basis="minutes", raw=raw, below_minimum=raw > 0)
        steps = ((raw - smallest) / self.step).quantize(
            Decimal(1), rounding=ROUND_FLOOR if self.rounding == "down" else ROUND_HALF_UP
        )
        return Conversion(credits=smallest + steps * self.step, basis="minutes", raw=raw)

    def convert_minutes(self, minutes: int) -> Conversion:
        """Convert whole minutes of activity into credits on this measure's grid.

        >>> Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.5")).convert_minutes(45).below_minimum
        True
        """  # noqa: E501
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_MINUTES
        ):
            raise ValueError(
                f"minutes must be a whole number from 0 to {MAX_MINUTES}, got {minutes!r}"
            )
        return self.on_grid(Decimal(minutes) / Decimal(self.minutes_per_credit))

    def convert_units(self, amount: Decimal, unit: str) -> Conversion:
        """Convert an amount of another unit (CEUs, semester hours) into credits, exactly.

        >>> Measure().convert_units(Decimal("1.5"), "ceu").credits
        Decimal('15.0')
        >>> Measure().convert_units(Decimal(1), "cue")
        Traceback (most recent call last):
        ...
        cperules.errors.MeasureError: this measure has no conversion for unit 'cue' (did you mean 'ceu'?); known units: ceu
        """  # noqa: E501
        factor = self.conversions.get(unit)
        if factor is None:
            known = ", ".join(sorted(self.conversions)) or "none"
            raise MeasureError(
                f"this measure has no conversion for unit {unit!r}"
                f"{did_you_mean(unit, self.conversions)}; known units: {known}"
            )
        credits = to_credits(amount) * factor
        return Conversion(credits=credits, basis="units", raw=credits)


def format_credits(
    value: Decimal | int, unit: str | None = None, *, places: int | None = None
) -> str:
    """A credit amount as every rendering shows it: no trailing zeros, no exponent.

    The one number formatter of the library: text, HTML, Markdown, the policy in words
    and the plot all show amounts through it, so the same amount always reads the same
    (``4.50`` given on a record and ``4.5`` counted both read ``4.5``). ``places`` rounds
    first (half up), for a derived figure such as the pace expected by now; ``unit``
    follows the number.

    >>> format_credits(Decimal("4.50"), "PDU"), format_credits(Decimal("1E+2"))
    ('4.5 PDU', '100')
    >>> format_credits(Decimal("33.333333"), places=2), format_credits(Decimal("40.000"), places=2)
    ('33.33', '40')
    """
    amount = Decimal(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = "0" if amount == 0 else f"{amount.normalize():f}"
    return f"{text} {unit}" if unit else text


def exact(value: Decimal | int) -> Fraction:
    """A credit amount as an exact fraction.

    >>> exact(Decimal("2.25")), exact(3)
    (Fraction(9, 4), Fraction(3, 1))
    """
    found = _FRACTIONS.get(value)
    return found if found is not None else _keep(_FRACTIONS, value, Fraction(value))


_FRACTIONS: dict[Decimal | int, Fraction] = {}
"""Amounts made exact, by value (the same few recur; equal decimals give one fraction)."""


_K = TypeVar("_K")
_V = TypeVar("_V")

_KEPT = 8192
"""How many converted amounts each of those tables keeps (forgotten all at once beyond)."""


def _keep(table: dict[_K, _V], key: _K, value: _V, most: int = _KEPT) -> _V:
    """Keep ``value`` under ``key`` in a table of at most ``most`` entries; return it.

    The engine's kept tables (conversions here, selector matches and rule layouts in the
    allocation) share this rule: a full table is forgotten all at once, then ``key``
    added.

    >>> table = {1: "one", 2: "two"}
    >>> _keep(table, 3, "three", most=2), table
    ('three', {3: 'three'})
    """
    if len(table) >= most:
        table.clear()
    table[key] = value
    return value


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of ``values``, added as integers per denominator.

    Credit amounts share a few small denominators (halves, quarters, fifths), so adding
    the numerators of each denominator and combining once is exact and several times
    faster than adding fractions one by one.

    >>> exact_sum([Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(2)])
    Fraction(7, 2)
    """
    numerators: dict[int, int] = {}
    for value in values:
        denominator = value.denominator
        numerators[denominator] = numerators.get(denominator, 0) + value.numerator
    if len(numerators) == 1:
        ((denominator, numerator),) = numerators.items()
        return Fraction(numerator, denominator)
    return sum(
        (Fraction(numerator, denominator) for denominator, numerator in numerators.items()),
        Fraction(0),
    )


def round_up(value: Fraction) -> Decimal:
    """A shortfall as a decimal, rounded up to 6 places so a fraction of a credit is never hidden.

    >>> round_up(Fraction(5, 2)), round_up(Fraction(1, 3))
    (Decimal('2.5'), Decimal('0.333334'))
    """
    decimal = to_decimal(value)
    return decimal if exact(decimal) == value else decimal + Decimal("0.000001")


def to_decimal(value: Fraction) -> Decimal:
    """An exact decimal for ``value`` when one exists, else rounded down to 6 places.

    Rounding down never reports more credit than was earned.

    >>> to_decimal(Fraction(29, 2)), to_decimal(Fraction(1, 3))
    (Decimal('14.5'), Decimal('0.333333'))
    """
    denominator = value.denominator
    if denominator == 1:
        return Decimal(value.numerator)
    key = (value.numerator, denominator)
    found = _DECIMALS.get(key)
    return found if found is not None else _keep(_DECIMALS, key, _to_decimal(value))


_DECIMALS: dict[tuple[int, int], Decimal] = {}
"""Fractional amounts converted, by numerator and denominator (the same few recur)."""


def _to_decimal(value: Fraction) -> Decimal:
    """:func:`to_decimal` of a fraction that is not a whole number, worked out."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    places = max(twos, fives) if denominator == 1 else 6
    scaled = value.numerator * 10**places // value.denominator
    return Decimal(scaled).scaleb(-places)
