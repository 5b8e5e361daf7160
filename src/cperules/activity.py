"""Activities: one thing a person did that may earn credit, with what rules select on.

An :class:`Activity` carries its amount as credits, minutes or units of another unit,
its category (or a split across several, or the categories it is eligible for), topics,
delivery, kind, provider and approval, and the certifications it is claimed for. A
ledger of them is :class:`cperules.ledger.Ledger`.

>>> import datetime as dt
>>> from decimal import Decimal
>>> Activity(id="b1", title="Threat modeling", completed=dt.date(2024, 3, 1),
...          credits=Decimal(40), kind="book", category="A").categories
('A',)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, freeze_mapping
from cperules.credits import MAX_MINUTES, Conversion, Credits, Measure
from cperules.days import Day
from cperules.evidence import Evidence, evidence_record, read_evidence

__all__ = [
    "AMOUNTLESS_KINDS",
    "MAX_ACTIVITY_CATEGORIES",
    "MAX_EVIDENCE",
    "Activity",
    "ActivityKind",
    "Delivery",
]

MAX_ACTIVITY_CATEGORIES = 16
"""The most categories one activity may name, as ``eligible`` or in its ``split``."""

MAX_EVIDENCE = 32
"""The most proofs one activity may list in ``evidence``."""

ActivityKind = Literal[
    "course",
    "conference",
    "webinar",
    "seminar",
    "self-study",
    "teaching",
    "presentation",
    "publication",
    "book",
    "volunteering",
    "mentoring",
    "work-experience",
    "exam",
    "credential",
    "other",
]
"""What sort of thing an activity was; rules select on it (a book is worth 40, ...)."""

Delivery = Literal["in-person", "live-online", "on-demand", "self-study"]
"""How an activity was delivered."""

AMOUNTLESS_KINDS: frozenset[ActivityKind] = frozenset({"credential", "exam"})
"""Kinds that may carry no credits, minutes or units (a CPR card, a passed exam)."""

_NAME = Annotated[str, Field(min_length=1)]


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _names(value: object) -> object:
    """Accept ``"a, b"`` or ``"a; b"`` as well as a list; return a sorted unique tuple."""
    if isinstance(value, str):
        value = re.split(r"[,;]", value)
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        return tuple(sorted({str(_strip(item)) for item in value if _strip(item) != ""}))
    return value


_Id = Annotated[str, BeforeValidator(_strip), Field(min_length=1)]
_NameSet = Annotated[tuple[_NAME, ...], BeforeValidator(_names)]
_SPLIT_TEXT = "a mapping, or text such as 'A=3; B=2' (category=credits, separated by ;)"


def _split_from_text(value: object) -> object:
    """Accept a split written as text, ``"ways-of-working=3; business-acumen=2"``."""
    if not isinstance(value, str):
        return value
    split: dict[str, str] = {}
    for piece in filter(str.strip, value.split(";")):
        code, equals, amount = piece.partition("=")
        if not equals or not code.strip() or not amount.strip() or code.strip() in split:
            raise PydanticCustomError(
                "invalid-activity",
                "split: expected {expected}",
                {"field": "split", "expected": _SPLIT_TEXT, "value": value},
            )
        split[code.strip()] = amount.strip()
    return split


def _joined(names: tuple[str, ...]) -> str | list[str]:
    """Names as one ``"a, b"`` cell, unless a name holds a separator (then a list)."""
    if any("," in name or ";" in name for name in names):
        return list(names)
    return ", ".join(names)


def _split_cell(split: Mapping[str, Decimal]) -> str | dict[str, str]:
    """A split as one ``"A=3; B=2"`` cell, unless a code holds a separator (then a dict)."""
    if any("=" in code or ";" in code for code in split):
        return {code: str(share) for code, share in split.items()}
    return "; ".join(f"{code}={share}" for code, share in split.items())


class Activity(FrozenModel):
    """One thing a person did that may earn credit.

    An activity carries its amount as ``credits`` (as certified by the provider), or as
    ``minutes`` or ``units`` (with ``unit``, e.g. ``"ceu"``) that a policy's measure
    converts; if ``credits`` is given it wins. It belongs to one ``category``, is ``split``
    across several (the split must add up to ``credits``), or is ``eligible`` for any of
    several, in which case the engine files each credit where it serves the holder best.
    Credentials (a CPR card) carry ``valid_until``; credentials and exams may carry no
    amount.

    >>> Activity(id="b1", title="Threat modeling", completed=dt.date(2024, 3, 1),
    ...          credits=Decimal(40), kind="book", category="A")
    Activity(id='b1', title='Threat modeling', completed=datetime.date(2024, 3, 1), credits=Decimal('40'), category='A', kind='book')
    >>> Activity(id="x", title="Split", completed=dt.date(2024, 3, 1), credits=Decimal(5),
    ...          split={"ways-of-working": Decimal(3), "business-acumen": Decimal(2)}).categories
    ('business-acumen', 'ways-of-working')
    """  # noqa: E501

    id: _Id
    title: _NAME
    completed: Day
    started: Day | None = None
    credits: Credits | None = None
    minutes: int | None = Field(default=None, ge=0, le=MAX_MINUTES)
    units: Credits | None = None
    unit: Annotated[str, BeforeValidator(_strip), Field(min_length=1)] | None = None
    category: Annotated[str, BeforeValidator(_strip), Field(min_length=1)] | None = None
    split: (
        Annotated[
            dict[_NAME, Credits], BeforeValidator(_split_from_text), AfterValidator(freeze_mapping)
        ]
        | None
    ) = None
    eligible: _NameSet = ()
    topics: _NameSet = ()
    delivery: Delivery | None = None
    kind: ActivityKind = "course"
    provider: str | None = None
    approved: bool | None = None
    claimed_for: _NameSet = ()
    valid_until: Day | None = None
    evidence: Annotated[tuple[Evidence, ...], BeforeValidator(read_evidence)] = Field(
        default=(),
        max_length=MAX_EVIDENCE,
        description="The proof the holder keeps: Evidence values, or 'kind' / "
        "'kind:reference' items separated by ';'.",
    )
    hypothetical: bool = Field(
        default=False, description="Planned, not done: added by what_if() to explore a plan."
    )

    @field_validator("unit")
    @classmethod
    def _lower_unit(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.started is not None and self.started > self.completed:
            raise _problem(
                "started", f"a start on or before completed ({self.completed})", self.started
            )
        if (self.units is None) != (self.unit is None):
            raise _problem(
                "unit" if self.unit is None else "units",
                "units and unit together (for example units=1.5, unit='ceu')",
                self.unit if self.unit is not None else self.units,
            )
        if len(self.categories) > MAX_ACTIVITY_CATEGORIES:
            raise _problem(
                "split" if self.split is not None else "eligible",
                f"at most {MAX_ACTIVITY_CATEGORIES} categories, not {len(self.categories)}",
                self.categories,
            )
        if self.split is not None:
            self._check_split(self.split)
        if self.eligible and (self.category is not None or self.split is not None):
            raise _problem(
                "eligible", "eligible categories alone (not with category or split)", self.eligible
            )
        if (
            self.credits is None
            and self.minutes is None
            and self.units is None
            and self.kind not in AMOUNTLESS_KINDS
        ):
            raise _problem(
                "credits",
                "credits, minutes or units (only credential and exam activities may have none)",
                None,
            )
        if self.kind == "credential" and self.valid_until is None:
            raise _problem("valid_until", "the date a credential activity is valid until", None)
        if self.kind != "credential" and self.valid_until is not None:
            raise _problem(
                "valid_until", "no valid_until (only kind='credential' has one)", self.valid_until
            )
        return self

    def _check_split(self, split: Mapping[str, Decimal]) -> None:
        if self.category is not None:
            raise _problem("split", "either a category or a split, not both", dict(split))
        if not split:
            raise _problem("split", "at least one category in the split", dict(split))
        if self.credits is None:
            raise _problem("credits", "credits equal to the sum of the split", None)
        total = sum(split.values(), Decimal(0))
        if total != self.credits:
            raise _problem(
                "split", f"shares adding up to credits ({self.credits}), not {total}", dict(split)
            )

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories this activity claims.

        The split's keys (sorted), its eligible categories, or its one category.

        >>> Activity(id="a", title="T", completed=dt.date(2024, 1, 1), credits=Decimal(1)).categories
        ()
        """  # noqa: E501
        if self.split is not None:
            return tuple(sorted(self.split))
        if self.eligible:
            return self.eligible
        return (self.category,) if self.category is not None else ()

    @property
    def first_day(self) -> dt.date:
        """The day the activity started (its completion date when no start is given).

        >>> Activity(id="a", title="T", completed=dt.date(2024, 1, 5), credits=Decimal(1)).first_day
        datetime.date(2024, 1, 5)
        """
        return self.started if self.started is not None else self.completed

    def claimed(self, measure: Measure) -> Conversion:
        """The credits this activity claims under ``measure``, and what they came from.

        Credits given by the provider win; otherwise minutes or units are converted.

        >>> a = Activity(id="a", title="T", completed=dt.date(2024, 1, 5), minutes=140)
        >>> a.claimed(Measure(minutes_per_credit=50, step=Decimal("0.2"))).credits
        Decimal('2.8')
        """
        if self.credits is not None:
            return Conversion(credits=self.credits, basis="credits", raw=self.credits)
        if self.minutes is not None:
            return measure.convert_minutes(self.minutes)
        if self.units is not None and self.unit is not None:
            return measure.convert_units(self.units, self.unit)
        return Conversion(credits=Decimal(0), basis="credits", raw=Decimal(0))

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-compatible record that :meth:`Ledger.from_records` reads back.

        Only the fields given appear. Dates are ISO strings, amounts decimal strings, name
        lists one ``"a, b"`` string and a split one ``"A=3; B=2"`` string (a list or a
        mapping instead when a name itself holds a separator).

        >>> Activity(id="a", title="T", completed=dt.date(2024, 1, 5), credits=Decimal("1.5"),
        ...          topics=("ethics", "cloud")).to_record()
        {'id': 'a', 'title': 'T', 'completed': '2024-01-05', 'credits': '1.5', 'topics': 'cloud, ethics'}
        """  # noqa: E501
        record = self.model_dump(mode="json", exclude_defaults=True)
        for field in _LIST_FIELDS & record.keys():
            record[field] = _joined(getattr(self, field))
        if self.split is not None:
            record["split"] = _split_cell(self.split)
        if self.evidence:
            record["evidence"] = evidence_record(self.evidence)
        return record


def _problem(field: str, expected: str, value: object) -> PydanticCustomError:
    """A model-level validation error that still names its field."""
    return PydanticCustomError(
        "invalid-activity",
        "{field}: expected {expected}",
        {"field": field, "expected": expected, "value": value},
    )


_LIST_FIELDS = frozenset({"topics", "eligible", "claimed_for"})
