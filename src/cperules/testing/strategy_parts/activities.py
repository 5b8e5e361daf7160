"""Activities and ledgers: the strategies :func:`activities` and :func:`ledgers`.

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from typing import Final, TypedDict, Unpack

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from cperules.evidence import EVIDENCE_KINDS, Evidence
from cperules.ledger import AMOUNTLESS_KINDS, Activity, ActivityKind, Ledger
from cperules.testing.strategy_parts.building import (
    _DELIVERIES,
    _MAX_DATE,
    _MIN_DATE,
    ACTIVITY_KINDS,
    _choices,
    _date_range,
    _dates,
    _decimal,
    _ids,
    _names,
    _optional,
    _plus_days,
    _sizes,
    _tidy,
    _towards,
    _whole_target,
)

_TITLES: Final = ("Training", "training ", "TRAINING", "Ethics refresher", "Cloud basics")
_PROVIDERS: Final = ("Acme Learning", " acme learning", "Beta Institute")
_ACTIVITY_OPTION_NAMES: Final = frozenset(
    {"categories", "topics", "min_date", "max_date", "max_credits", "step", "kinds", "claimed_for"}
)


class ActivityOptions(TypedDict, total=False):
    """The keyword arguments :func:`ledgers` passes on to :func:`activities`."""

    categories: Sequence[str]
    topics: Sequence[str]
    min_date: dt.date
    max_date: dt.date
    max_credits: Decimal | int
    step: Decimal | int
    kinds: Sequence[ActivityKind] | None
    claimed_for: Sequence[str]


# Strategies used inside composite draws are built once, here or in a plan: building
# them on every draw would make Hypothesis validate them again each time.
_TITLE_CHOICES: Final = st.sampled_from(_TITLES)
_BACK_DAYS: Final = _optional(st.integers(0, 40))
_VALID_DAYS: Final = st.integers(0, 3 * 366)
_DELIVERY_CHOICES: Final = _optional(st.sampled_from(_DELIVERIES))
_PROVIDER_CHOICES: Final = _optional(st.sampled_from(_PROVIDERS))
_APPROVALS: Final = _optional(st.booleans())
_EVIDENCE: Final = st.lists(
    st.builds(Evidence, kind=st.sampled_from(EVIDENCE_KINDS)),
    max_size=3,
    unique_by=lambda e: e.kind,
).map(tuple)


# --- activities and ledgers ----------------------------------------------------------------


@dataclass(frozen=True)
class _ActivityPlan:
    """Checked arguments of :func:`activities`, as the strategies each draw uses."""

    categories: tuple[str, ...]
    dates: st.SearchStrategy[dt.date]
    step: Decimal
    steps: st.SearchStrategy[int]
    minutes: st.SearchStrategy[int]
    kinds: st.SearchStrategy[ActivityKind]
    placements: st.SearchStrategy[str]
    codes: st.SearchStrategy[str | None]
    strays: st.SearchStrategy[str]
    eligible: st.SearchStrategy[list[str]]
    split: st.SearchStrategy[list[str]]
    topics: st.SearchStrategy[list[str]]
    claimed_for: st.SearchStrategy[list[str]]


_AMOUNT_BASES: Final = st.sampled_from(("credits", "minutes"))
_AMOUNTLESS_BASES: Final = st.sampled_from(("credits", "minutes", "none"))


def _subsets(
    names: tuple[str, ...], *, min_size: int, max_size: int
) -> st.SearchStrategy[list[str]]:
    """Lists of distinct names (empty when there are no names to draw from)."""
    if not names:
        return st.just([])
    return st.lists(
        st.sampled_from(names), min_size=min_size, max_size=min(max_size, len(names)), unique=True
    )


def _steps_within(ceiling: Decimal, grid: Decimal) -> int:
    """How many steps of ``grid`` fit in ``ceiling``, if every multiple is an exact decimal."""
    with localcontext() as context:
        context.traps[Inexact] = True
        try:
            top = int(ceiling // grid)
            largest = Decimal(top) * grid
        except (Inexact, InvalidOperation):
            largest = None
    if largest is None:
        raise InvalidArgument(
            f"max_credits={ceiling} holds too many steps of {grid} for exact decimal amounts"
        )
    return top


def _activity_plan(
    *,
    categories: object = ("A", "B"),
    topics: object = (),
    min_date: object = _MIN_DATE,
    max_date: object = _MAX_DATE,
    max_credits: object = Decimal(40),
    step: object = Decimal("0.25"),
    kinds: object = None,
    claimed_for: object = (),
    dates: st.SearchStrategy[dt.date] | None = None,
    strays: tuple[str, ...] = (),
) -> _ActivityPlan:
    first, last = _date_range("min_date", min_date, "max_date", max_date)
    grid = _decimal("step", step, positive=True)
    ceiling = _decimal("max_credits", max_credits, positive=False)
    codes = _names("categories", categories)
    claims = _names("claimed_for", claimed_for)
    top = _steps_within(ceiling, grid)
    minutes = int(ceiling * 60)
    placements: tuple[str, ...] = ("none", "stray") if strays else ("none",)
    if codes:
        placements = ("category", "split", "eligible", "category", "category", *placements)
    return _ActivityPlan(
        categories=codes,
        dates=_dates(first, last) if dates is None else dates,
        step=grid,
        steps=_towards(0, top, _whole_target(grid, top)) if top else st.just(0),
        minutes=_towards(0, minutes, min(60, minutes)),
        kinds=st.sampled_from(
            ACTIVITY_KINDS if kinds is None else _choices("kinds", kinds, ACTIVITY_KINDS)
        ),
        placements=st.sampled_from(placements),
        codes=st.sampled_from(codes) if codes else st.none(),
        strays=st.sampled_from(strays or ("",)),
        eligible=_subsets(codes, min_size=1, max_size=3),
        split=_subsets(codes, min_size=1, max_size=3),
        topics=_subsets(_names("topics", topics), min_size=0, max_size=3),
        claimed_for=st.just([]) | _subsets(claims, min_size=1, max_size=2),
    )


def _draw_split(draw: st.DrawFn, plan: _ActivityPlan) -> dict[str, object]:
    codes = draw(plan.split)
    steps = draw(plan.steps)
    cuts = sorted(
        draw(st.lists(st.integers(0, steps), min_size=len(codes) - 1, max_size=len(codes) - 1))
    )
    bounds = [0, *cuts, steps]
    shares = {code: _tidy(plan.step * (bounds[i + 1] - bounds[i])) for i, code in enumerate(codes)}
    return {"credits": _tidy(plan.step * steps), "split": shares}


def _draw_amount(draw: st.DrawFn, plan: _ActivityPlan, kind: ActivityKind) -> dict[str, object]:
    # Choices are drawn whether or not they are used, so that every simple path draws as
    # many choices as a whole-credit course does, and shrinking ends at the course.
    basis = draw(_AMOUNTLESS_BASES if kind in AMOUNTLESS_KINDS else _AMOUNT_BASES)
    steps = draw(plan.steps)
    if basis == "credits":
        return {"credits": _tidy(plan.step * steps)}
    if basis == "minutes":
        return {"minutes": draw(plan.minutes)}
    return {}


def _draw_placement(draw: st.DrawFn, plan: _ActivityPlan, kind: ActivityKind) -> dict[str, object]:
    placement = draw(plan.placements)
    if placement == "split":
        return _draw_split(draw, plan)
    fields = _draw_amount(draw, plan, kind)
    code = draw(plan.codes)
    if placement == "category":
        fields["category"] = code
    elif placement == "stray":
        fields["category"] = draw(plan.strays)
    elif placement == "eligible":
        fields["eligible"] = draw(plan.eligible)
    return fields


def _draw_details(
    draw: st.DrawFn, plan: _ActivityPlan, kind: ActivityKind, completed: dt.date
) -> dict[str, object]:
    fields: dict[str, object] = {
        "topics": draw(plan.topics),
        "claimed_for": draw(plan.claimed_for),
    }
    back = draw(_BACK_DAYS)
    if back is not None:
        fields["started"] = _plus_days(completed, -back)
    if kind == "credential":
        fields["valid_until"] = _plus_days(completed, draw(_VALID_DAYS))
    fields["delivery"] = draw(_DELIVERY_CHOICES)
    fields["provider"] = draw(_PROVIDER_CHOICES)
    fields["approved"] = draw(_APPROVALS)
    fields["evidence"] = draw(_EVIDENCE)
    return fields


@st.composite
def _activity_fields(draw: st.DrawFn, plan: _ActivityPlan) -> dict[str, object]:
    """Everything an activity needs except its id."""
    kind = draw(plan.kinds)
    completed = draw(plan.dates)
    fields: dict[str, object] = {
        "title": draw(_TITLE_CHOICES),
        "completed": completed,
        "kind": kind,
    }
    fields.update(_draw_placement(draw, plan, kind))
    fields.update(_draw_details(draw, plan, kind, completed))
    return fields


def _activity(fields: dict[str, object], activity_id: str) -> Activity:
    return Activity.model_validate({"id": activity_id, **fields})


def _ledger(drafts: list[dict[str, object]]) -> Ledger:
    return Ledger(_activity(fields, f"a{index}") for index, fields in enumerate(drafts))


def activities(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = (),
    min_date: dt.date = _MIN_DATE,
    max_date: dt.date = _MAX_DATE,
    max_credits: Decimal | int = Decimal(40),
    step: Decimal | int = Decimal("0.25"),
    kinds: Sequence[ActivityKind] | None = None,
    ids: st.SearchStrategy[str] | None = None,
    claimed_for: Sequence[str] = (),
) -> st.SearchStrategy[Activity]:
    """Valid :class:`~cperules.ledger.Activity` values.

    An activity is completed between ``min_date`` and ``max_date``; it claims credits (a
    multiple of ``step`` up to ``max_credits``), or minutes (up to ``max_credits`` hours),
    or, for credentials and exams, sometimes nothing. When ``categories`` is non-empty it
    has one of them, a split over some of them (the shares add up to its credits) or a
    list of eligible ones, or none; when it is empty, none. It carries a subset of
    ``topics``, is of one of ``kinds`` (every kind when ``None``), is claimed for a
    subset of ``claimed_for``, and sometimes has a start date, delivery, provider,
    approval flag and up to three proofs (``evidence``) of distinct kinds. Credentials
    are valid until a date on or after their completion. Titles and providers repeat,
    with case and spacing variants, so that repeat exclusions have something to find.
    Ids come from ``ids`` (``"a0"``, ``"a1"``, ... by default).

    Examples shrink towards a single whole-credit course (``credits=1``, or the multiple
    of ``step`` nearest to 1) with id ``"a0"``, title ``"Training"``, in the first of
    ``categories``, completed on ``min_date``, with no topics and no optional field set.
    """

    def build() -> st.SearchStrategy[Activity]:
        plan = _activity_plan(
            categories=categories,
            topics=topics,
            min_date=min_date,
            max_date=max_date,
            max_credits=max_credits,
            step=step,
            kinds=kinds,
            claimed_for=claimed_for,
        )
        return st.builds(_activity, _activity_fields(plan), _ids("a", ids))

    return st.deferred(build)


def ledgers(
    *, min_size: int = 0, max_size: int = 10, **activity_options: Unpack[ActivityOptions]
) -> st.SearchStrategy[Ledger]:
    """Ledgers of ``min_size`` to ``max_size`` activities with ids ``"a0"``, ``"a1"``, ...

    ``activity_options`` are passed to :func:`activities` (all but ``ids``: the ledger
    numbers its activities itself, so ids are always unique).

    Examples shrink towards fewer activities (the empty ledger by default), each as
    :func:`activities` shrinks.
    """

    def build() -> st.SearchStrategy[Ledger]:
        low, high = _sizes(min_size, max_size)
        unknown = sorted(set(activity_options) - _ACTIVITY_OPTION_NAMES)
        if unknown:
            raise InvalidArgument(
                f"ledgers() got unknown activity options {', '.join(unknown)}; it passes "
                f"{', '.join(sorted(_ACTIVITY_OPTION_NAMES))} on to activities()"
            )
        plan = _activity_plan(**activity_options)
        return st.lists(_activity_fields(plan), min_size=low, max_size=high).map(_ledger)

    return st.deferred(build)
