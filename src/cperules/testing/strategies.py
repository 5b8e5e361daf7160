"""Hypothesis strategies for cperules values.

Every strategy here is sound: it only ever generates values that pass validation, so a
test never sees a :class:`pydantic.ValidationError` from the generated data itself. The
strategies follow Hypothesis's own conventions: plural names, keyword-only arguments
with sensible defaults, and arguments checked lazily, so that a bad argument raises
:class:`hypothesis.errors.InvalidArgument` when the strategy is first used (drawn from
in a test, or validated), not when it is created. Each docstring says what examples
shrink towards; the aim is small, readable failing examples: few activities, whole
credits, one cycle.

>>> from hypothesis import Phase, find, settings
>>> quiet = settings(database=None, phases=[Phase.generate, Phase.shrink])
>>> find(activities(), lambda activity: True, settings=quiet)
Activity(id='a0', title='Training', completed=datetime.date(2020, 1, 1), credits=Decimal('1'), category='A')

The most useful combination draws a certification, a holding of it and a ledger dated
around the holding's cycles, then evaluates::

    from hypothesis import given, strategies as st
    from cperules import evaluate
    from cperules.testing.strategies import certifications, holdings, ledgers_for

    @given(st.data())
    def test_evaluation_never_fails(data):
        certification = data.draw(certifications())
        holding = data.draw(holdings(certification=certification))
        ledger = data.draw(ledgers_for(certification, holding))
        evaluate(holding, ledger, as_of=holding.earned)
"""  # noqa: E501

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from typing import Any, Final, TypedDict, TypeVar, Unpack, get_args

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import TypeAdapter

from cperules import cycles
from cperules import rules as rules_module
from cperules.credits import Measure
from cperules.cycles import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    CycleSpec,
    DayOfYearCycle,
    FixedCycle,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
    Suspension,
)
from cperules.days import FIRST_DAY, LAST_DAY
from cperules.errors import CperulesError
from cperules.holders import Holder, Holding
from cperules.ledger import AMOUNTLESS_KINDS, Activity, ActivityKind, Delivery, Ledger
from cperules.policy import CategoryNode, Certification, Citation, PolicyVersion
from cperules.rules import Carryover, Recurrence, RepeatExclusion, Rule
from cperules.selectors import (
    Selector,
    activity_kind,
    approved,
    category,
    delivery,
    everything,
    kinds_named,
    topic,
    topics_named,
)

__all__ = [
    "ACTIVITY_KINDS",
    "CYCLE_KINDS",
    "RULE_KINDS",
    "ActivityOptions",
    "activities",
    "certifications",
    "cycle_specs",
    "holders",
    "holdings",
    "ledgers",
    "ledgers_for",
    "policies",
    "rule_lists",
    "rules",
    "selectors",
]

_T = TypeVar("_T")

ACTIVITY_KINDS: Final[tuple[ActivityKind, ...]] = get_args(ActivityKind)
"""Every activity kind, ``"course"`` first (what :func:`activities` shrinks towards)."""

# Derived from the unions, so that a new kind is generated (or a test fails) without a
# list to update by hand. Scheduled cycles go last: they need a family name, the hardest
# case to shrink.
CYCLE_KINDS: Final[tuple[str, ...]] = (
    *(kind for kind in cycles.CYCLE_KINDS if kind != "scheduled"),
    "scheduled",
)
"""Every cycle spec kind the strategies can build, simplest first."""

RULE_KINDS: Final[tuple[str, ...]] = rules_module.RULE_KINDS
"""Every rule kind :func:`rules` can build, simplest first."""

_DELIVERIES: Final[tuple[Delivery, ...]] = get_args(Delivery)
_SPEC_KINDS: Final[tuple[str, ...]] = tuple(k for k in CYCLE_KINDS if k != "scheduled")
_ASSIGNED_GROUPS: Final[tuple[str, ...]] = ("1", "2")
_MIN_DATE: Final = dt.date(2020, 1, 1)
_MAX_DATE: Final = dt.date(2029, 12, 31)
_SCHEDULE_START: Final = dt.date(2000, 1, 1)
_FAR_FUTURE: Final = dt.date(2099, 12, 31)
_ONE_DAY: Final = dt.timedelta(days=1)
_TITLES: Final = ("Training", "training ", "TRAINING", "Ethics refresher", "Cloud basics")
_PROVIDERS: Final = ("Acme Learning", " acme learning", "Beta Institute")
_FAMILY_NAMES: Final = ("Adams", "Okafor", "Nguyen", "Hu", "Zhang", "Öz", "van Dyke", "O'Brien")
_OTHER_CERTIFICATION: Final = "other/cert"
_STRAY: Final = "undeclared"
_RULE_ADAPTER: Final[TypeAdapter[Rule]] = TypeAdapter(Rule)
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


# --- argument checks (run lazily, inside st.deferred) ------------------------------------


def _names(argument: str, value: object, *, allow_empty: bool = True) -> tuple[str, ...]:
    """A sequence of distinct, non-empty, unpadded names, as a tuple."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{argument}={value!r} must be a sequence of names")
    names = tuple(value)
    for name in names:
        if not isinstance(name, str) or not name or name != name.strip():
            raise InvalidArgument(
                f"{argument}={value!r}: every name must be a non-empty string without "
                f"surrounding spaces, got {name!r}"
            )
    if len(set(names)) != len(names):
        raise InvalidArgument(f"{argument}={value!r} names something twice")
    if not allow_empty and not names:
        raise InvalidArgument(f"{argument} must name at least one value")
    return names


def _choices(argument: str, value: object, allowed: Sequence[_T]) -> tuple[_T, ...]:
    """A non-empty selection from ``allowed``, in the order given."""
    known = {str(option): option for option in allowed}
    names = _names(argument, value, allow_empty=False)
    for name in names:
        if name not in known:
            raise InvalidArgument(f"{argument}: {name!r} is not one of {', '.join(known)}")
    return tuple(known[name] for name in names)


def _date(argument: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidArgument(f"{argument}={value!r} must be a datetime.date")
    return value


def _date_range(low: str, start: object, high: str, end: object) -> tuple[dt.date, dt.date]:
    first, last = _date(low, start), _date(high, end)
    if first > last:
        raise InvalidArgument(f"{low}={first} is after {high}={last}")
    for argument, day in ((low, first), (high, last)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidArgument(
                f"{argument}={day} is outside the dates cperules accepts "
                f"({FIRST_DAY} to {LAST_DAY})"
            )
    return first, last


def _decimal(argument: str, value: object, *, positive: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidArgument(f"{argument}={value!r} must be a Decimal or an int (not a float)")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        bound = "> 0" if positive else ">= 0"
        raise InvalidArgument(f"{argument}={value!r} must be finite and {bound}")
    return amount


def _integer(argument: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{argument}={value!r} must be an int >= {minimum}")
    return value


def _sizes(min_size: object, max_size: object) -> tuple[int, int]:
    low = _integer("min_size", min_size, minimum=0)
    high = _integer("max_size", max_size, minimum=0)
    if low > high:
        raise InvalidArgument(f"min_size={low} is larger than max_size={high}")
    return low, high


def _strategy(argument: str, value: object) -> st.SearchStrategy[Any]:
    if not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(f"{argument}={value!r} must be a Hypothesis strategy")
    return value


# --- small building blocks ---------------------------------------------------------------


def _plus_days(day: dt.date, days: int) -> dt.date:
    """``day + days`` clamped to the dates cperules accepts (:mod:`cperules.days`)."""
    try:
        moved = day + dt.timedelta(days=days)
    except OverflowError:
        moved = LAST_DAY if days > 0 else FIRST_DAY
    return min(max(moved, FIRST_DAY), LAST_DAY)


def _dates(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    """Dates in ``first..last``, shrinking towards ``first``."""
    return st.integers(0, (last - first).days).map(lambda offset: first + dt.timedelta(offset))


def _towards(low: int, high: int, target: int) -> st.SearchStrategy[int]:
    """Integers in ``low..high`` that shrink towards ``target`` (then upwards, wrapping)."""
    count = high - low + 1
    return st.integers(0, count - 1).map(lambda d: low + (target - low + d) % count)


def _tidy(amount: Decimal) -> Decimal:
    """``Decimal('1.00')`` as ``Decimal('1')`` and ``Decimal('2.50')`` as ``Decimal('2.5')``."""
    if amount == amount.to_integral_value():
        return Decimal(int(amount))
    return amount.normalize()


def _whole_target(step: Decimal, top: int) -> int:
    """How many steps make the amount nearest one credit (at least one step, at most top)."""
    return min(top, max(1, round(Decimal(1) / step)))


def _amounts(step: Decimal, maximum: Decimal) -> st.SearchStrategy[Decimal]:
    """Positive multiples of ``step`` up to ``maximum``, shrinking towards about 1."""
    top = max(1, int(maximum // step))
    return _towards(1, top, _whole_target(step, top)).map(lambda n: _tidy(step * n))


def _optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    """``None`` (what it shrinks towards) or a value of ``strategy``."""
    return st.none() | strategy


# Strategies used inside composite draws are built once, here or in a plan: building
# them on every draw would make Hypothesis validate them again each time.
_TITLE_CHOICES: Final = st.sampled_from(_TITLES)
_BACK_DAYS: Final = _optional(st.integers(0, 40))
_VALID_DAYS: Final = st.integers(0, 3 * 366)
_DELIVERY_CHOICES: Final = _optional(st.sampled_from(_DELIVERIES))
_PROVIDER_CHOICES: Final = _optional(st.sampled_from(_PROVIDERS))
_APPROVALS: Final = _optional(st.booleans())
# Plain grace windows first (what a drawn grace shrinks towards), then reporting-only
# windows, then grace windows followed by a suspension.
_GRACES: Final = _optional(
    st.one_of(
        st.builds(
            Grace,
            days=_towards(1, 180, 30),
            earning=st.sampled_from(("submission-only", "allowed")),
        ),
        st.builds(Grace, days=_towards(1, 90, 30), standing=st.just("reporting")),
        st.builds(
            Grace,
            days=_towards(1, 180, 90),
            earning=st.just("allowed"),
            after=st.builds(
                Suspension,
                months=_towards(1, 24, 24),
                cures=st.booleans(),
                then=st.sampled_from(("expired", "revoked", "terminated")),
            ),
        ),
    )
)
_EVERY_MONTHS: Final = _towards(1, 24, 12)
_WINDOW_MONTHS: Final = _towards(1, 48, 12)
_VERSION_MONTHS: Final = _towards(1, 48, 12)
_POLICY_MONTHS: Final = _towards(1, 120, 12)
_CITATION_VERSIONS: Final = _optional(st.sampled_from(("2024", "v3")))
_CLAUSES: Final = _optional(st.sampled_from(("section 3.2", "appendix B")))
_VERIFIED_DAYS: Final = _optional(st.integers(0, 5 * 366))


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


def _ids(prefix: str, ids: object) -> st.SearchStrategy[str]:
    """Ids ``prefix0`` .. ``prefix999``, or the non-blank strings a given strategy makes."""
    if ids is None:
        return st.integers(0, 999).map(lambda n: f"{prefix}{n}")
    return _strategy("ids", ids).filter(_is_id)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


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
    subset of ``claimed_for``, and sometimes has a start date, delivery, provider and
    approval flag. Credentials are valid until a date on or after their completion.
    Titles and providers repeat, with case and spacing variants, so that repeat
    exclusions have something to find. Ids come from ``ids`` (``"a0"``, ``"a1"``, ...
    by default).

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


def holders() -> st.SearchStrategy[Holder]:
    """Holders with a birth date, family name and assigned group, sometimes more dates.

    Some have admission and licence dates. Every holder can be placed by birth-month
    cycles and by schedules grouped by the initial of the family name (names include
    ``"Öz"`` and ``"van Dyke"``), by assigned group (``"1"`` or ``"2"``) or by birth
    month.

    Examples shrink towards
    ``Holder(birth_date=date(1950, 1, 1), family_name='Adams', group='1')``.
    """
    return _HOLDERS


def _coverage(certification: Certification) -> tuple[dt.date, dt.date | None]:
    return certification.versions[0].effective_from, certification.versions[-1].effective_until


def holdings(
    *,
    certification: Certification,
    min_earned: dt.date | None = None,
    max_earned: dt.date | None = None,
) -> st.SearchStrategy[Holding]:
    """Holdings of ``certification`` by a holder from :func:`holders`.

    The earned date lies in ``min_earned..max_earned``, which must fall inside the
    certification's versions. By default that is from the first version's start to three
    years after the last version starts (or to the last version's end, if sooner).

    Where the certification's schedules group holders by the group a body assigned, the
    holder's ``group`` is one of the names those schedules give (``"odd"``, ``"7"``), and
    where its cycles count their parity from the holder's admission or licence date, the
    holder has that date, so every holding can be placed.

    Examples shrink towards a holding earned on ``min_earned`` by the simplest holder.
    """

    def build() -> st.SearchStrategy[Holding]:
        if not isinstance(certification, Certification):
            raise InvalidArgument(f"certification={certification!r} must be a Certification")
        start, until = _coverage(certification)
        default_end = certification.versions[-1].effective_from + relativedelta(years=3)
        if until is not None:
            default_end = min(until, default_end)
        first, last = _date_range(
            "min_earned",
            start if min_earned is None else min_earned,
            "max_earned",
            default_end if max_earned is None else max_earned,
        )
        if first < start or (until is not None and last > until):
            raise InvalidArgument(
                f"earned dates {first}..{last} are not all inside the versions of "
                f"{certification.id!r} ({start} to {until or 'open'})"
            )
        assigned = _assigned_groups(certification)
        needed = _holder_dates_needed(certification)
        holder = _HOLDERS
        if assigned or needed:
            holder = _holders_in(assigned or _ASSIGNED_GROUPS, dates_needed=needed)
        return st.builds(
            Holding,
            certification=st.just(certification),
            earned=_dates(first, last),
            holder=holder,
        )

    return st.deferred(build)


# --- selectors ---------------------------------------------------------------------------


def _leaf_selectors(
    categories: tuple[str, ...], topics: tuple[str, ...]
) -> st.SearchStrategy[Selector]:
    leaves: list[st.SearchStrategy[Selector]] = [st.just(everything())]
    if categories:
        leaves.append(
            st.lists(st.sampled_from(categories), min_size=1, max_size=2, unique=True).map(
                lambda codes: category(*codes)
            )
        )
    if topics:
        leaves.append(
            st.lists(st.sampled_from(topics), min_size=1, max_size=2, unique=True).map(
                lambda names: topic(*names)
            )
        )
    leaves += [
        st.lists(st.sampled_from(ACTIVITY_KINDS), min_size=1, max_size=2, unique=True).map(
            lambda kinds: activity_kind(*kinds)
        ),
        st.lists(st.sampled_from(_DELIVERIES), min_size=1, max_size=2, unique=True).map(
            lambda formats: delivery(*formats)
        ),
        st.just(approved()),
    ]
    return st.one_of(leaves)


def _and(pair: tuple[Selector, Selector]) -> Selector:
    return pair[0] & pair[1]


def _or(pair: tuple[Selector, Selector]) -> Selector:
    return pair[0] | pair[1]


def _not(inner: Selector) -> Selector:
    return ~inner


def _selector_strategy(
    categories: tuple[str, ...], topics: tuple[str, ...], max_leaves: int
) -> st.SearchStrategy[Selector]:
    return st.recursive(
        _leaf_selectors(categories, topics),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(_and),
            st.tuples(inner, inner).map(_or),
            inner.map(_not),
        ),
        max_leaves=max_leaves,
    )


def selectors(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    max_leaves: int = 4,
) -> st.SearchStrategy[Selector]:
    """Selectors built from leaves combined with ``&``, ``|`` and ``~``.

    Leaves are ``everything()``, ``category(...)`` over one or two of ``categories``,
    ``topic(...)`` over one or two of ``topics``, ``activity_kind(...)``,
    ``delivery(...)`` and ``approved()``; a selector has at most ``max_leaves`` leaves.
    Only names from ``categories`` and ``topics`` appear.

    Examples shrink towards ``everything()``.
    """

    def build() -> st.SearchStrategy[Selector]:
        return _selector_strategy(
            _names("categories", categories),
            _names("topics", topics),
            _integer("max_leaves", max_leaves, minimum=1),
        )

    return st.deferred(build)


# --- cycle specs ---------------------------------------------------------------------------


def _draw_common(draw: st.DrawFn) -> dict[str, object]:
    """The fields every cycle spec shares: first-cycle rule, years, grace."""
    return {
        "first_cycle": draw(st.sampled_from(("normal", "exempt", "prorated"))),
        "years_by": draw(st.sampled_from(("calendar", "anniversary"))),
        "grace": draw(_GRACES),
    }


_PARITIES: Final = (None, "odd", "even", "birth-year", "earned-year")
"""The parities generated specs use: every holder :func:`holders` gives can be placed by
them (``admitted-year`` and ``licensed-year`` need dates only some holders have)."""


def _draw_parity(draw: st.DrawFn, years: int) -> str | None:
    return draw(st.sampled_from(_PARITIES if years % 2 == 0 else (None,)))


def _draw_birth_month(draw: st.DrawFn, common: dict[str, object]) -> BirthMonthCycle:
    years = draw(st.integers(1, 4))
    return BirthMonthCycle.model_validate(
        {
            **common,
            "years": years,
            "end": draw(st.sampled_from(("month-end", "birthday", "day-before-birth-month"))),
            "offset_days": draw(st.sampled_from((0, 30, -1))),
            "parity": _draw_parity(draw, years),
            "first_end": draw(st.sampled_from(("after-full-term", "next-occurrence"))),
        }
    )


def _draw_fixed(draw: st.DrawFn, common: dict[str, object]) -> FixedCycle:
    anchor = dt.date(draw(st.integers(2000, 2030)), draw(st.integers(1, 12)), 1)
    years = draw(st.integers(1, 3))
    stub = draw(st.sampled_from(("own", "merged")))
    within = None
    if stub == "merged":
        within = draw(_optional(st.integers(1, 12 * years - 1)))
    return FixedCycle.model_validate(
        {**common, "anchor": anchor, "years": years, "stub": stub, "merge_within_months": within}
    )


def _draw_day_of_year(draw: st.DrawFn, common: dict[str, object]) -> DayOfYearCycle:
    years = draw(st.integers(1, 4))
    month = draw(st.integers(1, 12))
    return DayOfYearCycle.model_validate(
        {
            **common,
            "month": month,
            "day": draw(st.integers(1, calendar.monthrange(2000, month)[1])),
            "years": years,
            "first_end_occurrence": draw(_optional(st.integers(1, 4))),
            "parity": _draw_parity(draw, years),
        }
    )


def _draw_scheduled(
    draw: st.DrawFn, common: dict[str, object], latest_start: dt.date
) -> ScheduledCycle:
    """One or two groups of contiguous periods that repeat, covering every holder.

    The groups name their holders by family-name initial (A-Z, or A-M and N-Z), by
    assigned group (every name :func:`holders` gives, in one group or two) or by birth
    month (1-12, or 1-6 and 7-12).
    """
    lengths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    by = draw(st.sampled_from(("letters", "groups", "birth_months")))
    coverings: tuple[tuple[object, ...], ...] = {
        "letters": (("A-Z",), ("A-M", "N-Z")),
        "groups": ((_ASSIGNED_GROUPS,), tuple((name,) for name in _ASSIGNED_GROUPS)),
        "birth_months": (("1-12",), ("1-6", "7-12")),
    }[by]
    covering = draw(st.sampled_from(coverings))
    groups = []
    for number, covers in enumerate(covering, start=1):
        start = dt.date(latest_start.year, latest_start.month, 1) - relativedelta(
            months=draw(st.integers(0, 35))
        )
        periods, years = [], 0
        for length in lengths:
            begin = start + relativedelta(years=years)
            years += length
            periods.append(Period(start=begin, end=start + relativedelta(years=years) - _ONE_DAY))
        groups.append(
            ScheduleGroup.model_validate(
                {"name": f"Group {number}", by: covers, "periods": tuple(periods)}
            )
        )
    return ScheduledCycle.model_validate(
        {**common, "groups": tuple(groups), "repeat_years": sum(lengths)}
    )


def _draw_cycle_spec(draw: st.DrawFn, kinds: tuple[str, ...], schedule_start: dt.date) -> CycleSpec:
    kind = draw(st.sampled_from(kinds))
    common = _draw_common(draw)
    if kind == "anniversary":
        end = draw(st.sampled_from(("day-before", "anniversary", "end-of-month")))
        return AnniversaryCycle.model_validate(
            {**common, "years": draw(st.integers(1, 3)), "end": end}
        )
    if kind == "calendar":
        stubs = ("exempt", "merged", "first-year") if common["years_by"] == "calendar" else ()
        stub = draw(st.sampled_from((*(stubs or ("exempt", "merged")), "early-credit")))
        return CalendarCycle.model_validate(
            {**common, "years": draw(st.integers(1, 3)), "stub": stub}
        )
    holder_keyed: dict[str, Callable[[st.DrawFn, dict[str, object]], CycleSpec]] = {
        "fixed": _draw_fixed,
        "birth-month": _draw_birth_month,
        "day-of-year": _draw_day_of_year,
    }
    if kind in holder_keyed:
        return holder_keyed[kind](draw, common)
    if kind == "rolling":
        return RollingCycle.model_validate(
            {
                **common,
                "every_months": draw(_EVERY_MONTHS),
                "window_months": draw(_WINDOW_MONTHS),
                "checkpoint_month": draw(st.integers(1, 12)),
            }
        )
    return _draw_scheduled(draw, common, schedule_start)


def cycle_specs(
    *, kinds: Sequence[str] = _SPEC_KINDS, schedule_start: dt.date = _SCHEDULE_START
) -> st.SearchStrategy[CycleSpec]:
    """Valid cycle specs of the given ``kinds`` (any of :data:`CYCLE_KINDS`).

    Anniversary, calendar and fixed cycles last one to three years (fixed ones anchored
    on the first of a month from 2000 to 2030, a part-period merged always or only within
    some months of its end), birth-month cycles one to four (ending with the birth month,
    on the birthday or before the birth month, sometimes with an offset, and with a
    parity when even), day-of-year cycles one to four (any day of the year, the first end
    the first to fourth occurrence, with a parity when even; parities are odd, even, or
    those of the birth or earned year, by which every holder can be placed), rolling
    cycles check every 1 to 24 months over windows of 1 to 48 months. Any spec may have
    a grace window, an exempt or prorated first cycle and anniversary years.
    ``"scheduled"`` (not in the default ``kinds``) gives a repeating table for one group
    or two (by family-name initial, by assigned group or by birth month, covering every
    holder :func:`holders` gives) whose periods start on the first of a month no later
    than ``schedule_start``, so holdings earned on or after ``schedule_start`` always
    have cycles.

    Examples shrink towards ``AnniversaryCycle(years=1)`` (or the first of ``kinds``).
    """

    def build() -> st.SearchStrategy[CycleSpec]:
        chosen = _choices("kinds", kinds, CYCLE_KINDS)
        start = _date("schedule_start", schedule_start)
        return _cycle_specs(chosen, start)

    return st.deferred(build)


@st.composite
def _cycle_specs(draw: st.DrawFn, kinds: tuple[str, ...], schedule_start: dt.date) -> CycleSpec:
    return _draw_cycle_spec(draw, kinds, schedule_start)


# --- rules -------------------------------------------------------------------------------

_RECURRENCES: Final = (
    Recurrence(),
    Recurrence(every=2),
    Recurrence(every=3),
    Recurrence(applies_to="first-renewal"),
    Recurrence(applies_to="once-per-career"),
)
_SHARES: Final = (Decimal("0.5"), Decimal("0.25"), Decimal(1), Decimal("0.1"))
_MULTIPLIERS: Final = (Decimal(2), Decimal("0.5"), Decimal("1.5"), Decimal(3))
_CREDIT_VALUES: Final = ("multiplier", "fixed", "max", "multiplier+max", "fixed+max")


@dataclass(frozen=True)
class _RulePlan:
    kinds: tuple[str, ...]
    selectors: st.SearchStrategy[Selector]
    amounts: st.SearchStrategy[Decimal]
    fixed: st.SearchStrategy[Decimal]
    prerequisites: st.SearchStrategy[Selector]
    carryovers: st.SearchStrategy[Carryover | None]


def _rule_plan(categories: object, topics: object, kinds: object) -> _RulePlan:
    chosen = _selector_strategy(_names("categories", categories), _names("topics", topics), 4)
    amounts = _amounts(Decimal("0.25"), Decimal(120))
    credential = st.just(activity_kind("credential"))
    return _RulePlan(
        kinds=_choices("kinds", kinds, RULE_KINDS),
        selectors=chosen,
        amounts=amounts,
        fixed=amounts | st.just(Decimal(0)),
        prerequisites=credential | st.tuples(credential, chosen).map(_and),
        carryovers=_optional(
            st.builds(
                Carryover,
                selector=chosen,
                window_months=_optional(st.integers(1, 12)),
                cap=_optional(amounts),
                lands=st.sampled_from(("first-year", "next-cycle")),
            )
        ),
    )


def _draw_credit_value(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    form = draw(st.sampled_from(_CREDIT_VALUES))
    fields: dict[str, object] = {"selector": draw(plan.selectors)}
    if form.startswith("multiplier"):
        fields["multiplier"] = draw(st.sampled_from(_MULTIPLIERS))
    if form.startswith("fixed"):
        fields["fixed"] = draw(plan.fixed)
    if form.endswith("max"):
        fields["max_per_entry"] = draw(plan.amounts)
    return fields


_SCOPES: Final = st.sampled_from(("cycle", "year"))
_RECURRENCE_CHOICES: Final = st.sampled_from(_RECURRENCES)
_SHARE_CHOICES: Final = st.sampled_from(_SHARES)
_PLAIN_MINIMUM: Final = st.integers(0, 7)


def _minimum_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    # One plain minimum in eight: it draws as few choices as the simplest other rule,
    # so that shrinking ends at Minimum(credits=1) rather than at another kind.
    if draw(_PLAIN_MINIMUM) == 0:
        return {"credits": Decimal(1)}
    return {
        "credits": draw(plan.amounts),
        "selector": draw(plan.selectors),
        "scope": draw(_SCOPES),
        "recurrence": draw(_RECURRENCE_CHOICES),
    }


def _cap_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    limit = draw(st.sampled_from(("credits", "share")))
    amount = draw(plan.fixed if limit == "credits" else _SHARE_CHOICES)
    return {"selector": draw(plan.selectors), limit: amount, "scope": draw(_SCOPES)}


def _prerequisite_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"selector": draw(plan.prerequisites)}


def _exclusion_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"selector": draw(plan.selectors)}


def _repeat_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"scope": draw(_SCOPES)}


_RULE_FIELDS: Final[dict[str, Callable[[st.DrawFn, _RulePlan], dict[str, object]]]] = {
    "minimum": _minimum_fields,
    "cap": _cap_fields,
    "credit-value": _draw_credit_value,
    "prerequisite": _prerequisite_fields,
    "exclusion": _exclusion_fields,
    "repeat-exclusion": _repeat_fields,
}


@st.composite
def _rule_drafts(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    """Everything a rule needs except its id."""
    kind = draw(st.sampled_from(plan.kinds))
    fields = _RULE_FIELDS[kind](draw, plan)
    fields["kind"] = kind
    if draw(st.booleans()):
        fields["description"] = f"A {kind} rule"
    return fields


def _rule(fields: dict[str, object], rule_id: str) -> Rule:
    return _RULE_ADAPTER.validate_python({**fields, "id": rule_id})


def _rule_tuple(drafts: list[dict[str, object]]) -> tuple[Rule, ...]:
    return tuple(_rule(fields, f"r{index}") for index, fields in enumerate(drafts))


def rules(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    kinds: Sequence[str] = RULE_KINDS,
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Rule]:
    """Single rules of the given ``kinds`` (any of :data:`RULE_KINDS`).

    Minimums and caps (by credits or by share) are per cycle or per year, minimums
    with every kind of recurrence; credit values use a multiplier, a fixed amount or a
    per-entry maximum; prerequisites select credentials. Selectors come from
    :func:`selectors` over ``categories`` and ``topics``. Ids come from ``ids``
    (``"r0"``, ``"r1"``, ... by default); for several rules with distinct ids use
    :func:`rule_lists`.

    Examples shrink towards ``Minimum(id='r0', credits=Decimal('1'))`` (or the first of
    ``kinds``, with an ``everything()`` selector).
    """

    def build() -> st.SearchStrategy[Rule]:
        plan = _rule_plan(categories, topics, kinds)
        return st.builds(_rule, _rule_drafts(plan), _ids("r", ids))

    return st.deferred(build)


def rule_lists(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    kinds: Sequence[str] = RULE_KINDS,
    min_size: int = 0,
    max_size: int = 4,
) -> st.SearchStrategy[tuple[Rule, ...]]:
    """Tuples of ``min_size`` to ``max_size`` rules with distinct ids ``"r0"``, ``"r1"``, ...

    Each rule is as :func:`rules` makes it, so any tuple can be the ``rules`` of one
    :class:`~cperules.policy.PolicyVersion` (whose tree declares ``categories``).

    Examples shrink towards fewer rules (the empty tuple by default).
    """

    def build() -> st.SearchStrategy[tuple[Rule, ...]]:
        low, high = _sizes(min_size, max_size)
        plan = _rule_plan(categories, topics, kinds)
        return st.lists(_rule_drafts(plan), min_size=low, max_size=high).map(_rule_tuple)

    return st.deferred(build)


# --- policies and certifications -----------------------------------------------------------


@dataclass(frozen=True)
class _PolicyPlan:
    categories: tuple[str, ...]
    rules: _RulePlan
    rule_lists: st.SearchStrategy[tuple[Rule, ...]]
    cycle_kinds: tuple[str, ...]
    first: dt.date
    last: dt.date


def _policy_plan(
    *,
    categories: object,
    topics: object,
    cycle_kinds: object,
    rule_kinds: object,
    max_rules: object,
    min_date: object,
    max_date: object,
) -> _PolicyPlan:
    first, last = _date_range("min_date", min_date, "max_date", max_date)
    plan = _rule_plan(categories, topics, rule_kinds)
    return _PolicyPlan(
        categories=_names("categories", categories),
        rules=plan,
        rule_lists=st.lists(
            _rule_drafts(plan), max_size=_integer("max_rules", max_rules, minimum=0)
        ).map(_rule_tuple),
        cycle_kinds=_choices("cycle_kinds", cycle_kinds, CYCLE_KINDS),
        first=first,
        last=last,
    )


def _draw_tree(draw: st.DrawFn, codes: tuple[str, ...]) -> tuple[CategoryNode, ...]:
    """The categories flat, or the first as the parent of the next few."""
    named = draw(st.booleans())

    def node(code: str, children: tuple[CategoryNode, ...] = ()) -> CategoryNode:
        return CategoryNode(
            code=code, name=f"Category {code}" if named else None, children=children
        )

    if len(codes) < 2 or draw(st.sampled_from(("flat", "nested"))) == "flat":
        return tuple(node(code) for code in codes)
    count = draw(st.integers(1, len(codes) - 1))
    children = tuple(node(code) for code in codes[1 : count + 1])
    return (node(codes[0], children), *(node(code) for code in codes[count + 1 :]))


def _draw_citations(draw: st.DrawFn) -> tuple[Citation, ...]:
    count = draw(st.integers(0, 2))
    return tuple(
        Citation(
            url=f"https://example.org/handbook-{index}.pdf",
            title=draw(st.sampled_from(("CPE handbook", "Renewal policy"))),
            version=draw(_CITATION_VERSIONS),
            clause=draw(_CLAUSES),
        )
        for index in range(count)
    )


_MEASURES: Final = st.builds(
    Measure,
    minutes_per_credit=st.sampled_from((60, 50)),
    step=st.sampled_from((Decimal(1), Decimal("0.5"), Decimal("0.25"), Decimal("0.2"))),
    minimum=_optional(st.sampled_from((Decimal(1), Decimal("0.5")))),
    rounding=st.sampled_from(("down", "nearest")),
)


def _draw_policy(
    draw: st.DrawFn,
    plan: _PolicyPlan,
    period: tuple[dt.date, dt.date | None],
    cycle: CycleSpec,
) -> PolicyVersion:
    carryover = draw(plan.rules.carryovers)
    verified = draw(_VERIFIED_DAYS)
    return PolicyVersion(
        effective_from=period[0],
        effective_until=period[1],
        last_verified=None if verified is None else _plus_days(period[0], verified),
        citations=_draw_citations(draw),
        uncertain=draw(st.sampled_from(((), ("Read 'hours' as 60-minute hours.",)))),
        cycle=cycle,
        measure=draw(_MEASURES),
        categories=_draw_tree(draw, plan.categories),
        rules=draw(plan.rule_lists),
        carryover=carryover,
    )


def _draw_spec_for(draw: st.DrawFn, plan: _PolicyPlan, start: dt.date) -> CycleSpec:
    return _draw_cycle_spec(draw, plan.cycle_kinds, start)


def _draw_version_end(
    draw: st.DrawFn, start: dt.date, months_strategy: st.SearchStrategy[int]
) -> dt.date:
    """The last day of a version from ``start``: whole months (a year, shrinking) and days."""
    months = draw(months_strategy)
    days = draw(st.integers(0, 30))
    return _plus_days(start + relativedelta(months=months), days - 1)


@st.composite
def _policies(draw: st.DrawFn, plan: _PolicyPlan) -> PolicyVersion:
    start = draw(_dates(plan.first, plan.last))
    until = _draw_version_end(draw, start, _POLICY_MONTHS) if draw(st.booleans()) else None
    return _draw_policy(draw, plan, (start, until), _draw_spec_for(draw, plan, start))


def policies(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    cycle_kinds: Sequence[str] = CYCLE_KINDS,
    rule_kinds: Sequence[str] = RULE_KINDS,
    max_rules: int = 4,
    min_date: dt.date = _MIN_DATE,
    max_date: dt.date = _MAX_DATE,
) -> st.SearchStrategy[PolicyVersion]:
    """Valid :class:`~cperules.policy.PolicyVersion` values.

    A version starts between ``min_date`` and ``max_date`` and is open-ended or ends
    within ten years. Its category tree declares every one of ``categories`` (flat, or
    the first as the parent of the next few), so every category its selectors name is
    declared; it has up to two citations, sometimes a last-verified date and an
    uncertain-reading note, a measure (60 or 50 minutes per credit, steps of 1, 0.5,
    0.25 or 0.2, sometimes a minimum, either rounding), up to ``max_rules`` rules from
    :func:`rule_lists` and sometimes a carryover. Its cycle spec is one of
    ``cycle_kinds``; a schedule starts no later than the version does.

    Examples shrink towards a version starting on ``min_date`` with an
    ``AnniversaryCycle(years=1)``, the default measure, flat categories, and no rules,
    citations or carryover.
    """

    def build() -> st.SearchStrategy[PolicyVersion]:
        return _policies(
            _policy_plan(
                categories=categories,
                topics=topics,
                cycle_kinds=cycle_kinds,
                rule_kinds=rule_kinds,
                max_rules=max_rules,
                min_date=min_date,
                max_date=max_date,
            )
        )

    return st.deferred(build)


@st.composite
def _certifications(draw: st.DrawFn, plan: _PolicyPlan, max_versions: int) -> Certification:
    count = draw(st.integers(1, max_versions))
    start = draw(_dates(plan.first, plan.last))
    cycle = _draw_spec_for(draw, plan, start)
    versions = []
    for index in range(count):
        if index == count - 1:
            until = draw(st.sampled_from((None, _FAR_FUTURE)))
        else:
            until = _draw_version_end(draw, start, _VERSION_MONTHS)
        versions.append(_draw_policy(draw, plan, (start, until), cycle))
        start = _plus_days(until or start, 1)
    number = draw(st.integers(1, 99))
    return Certification(
        id=f"test/cert-{number}",
        name=f"Test certification {number}",
        body="Test body",
        unit=draw(st.sampled_from(("CPE", "PDU", "CEU"))),
        aliases=draw(st.sampled_from(((), (f"TC{number}",)))),
        versions=tuple(versions),
    )


def certifications(
    *,
    max_versions: int = 2,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    cycle_kinds: Sequence[str] = CYCLE_KINDS,
    rule_kinds: Sequence[str] = RULE_KINDS,
    max_rules: int = 4,
    min_date: dt.date = _MIN_DATE,
    max_date: dt.date = _MAX_DATE,
) -> st.SearchStrategy[Certification]:
    """Valid :class:`~cperules.policy.Certification` values with ids like ``"test/cert-1"``.

    One to ``max_versions`` contiguous policy versions, each as :func:`policies` makes
    it, the first starting between ``min_date`` and ``max_date``. Every version has the
    same cycle spec (the engine refuses a change of spec between versions). The last
    version is open-ended or ends on 2099-12-31, so a holding earned inside the versions
    can be evaluated for decades.

    Examples shrink towards ``"test/cert-1"`` with one open-ended version as
    :func:`policies` shrinks.
    """

    def build() -> st.SearchStrategy[Certification]:
        versions = _integer("max_versions", max_versions, minimum=1)
        plan = _policy_plan(
            categories=categories,
            topics=topics,
            cycle_kinds=cycle_kinds,
            rule_kinds=rule_kinds,
            max_rules=max_rules,
            min_date=min_date,
            max_date=max_date,
        )
        return _certifications(plan, versions)

    return st.deferred(build)


# --- ledgers for a holding -------------------------------------------------------------------


def _selectors_of(certification: Certification) -> list[Selector]:
    found: list[Selector] = []
    for version in certification.versions:
        found += [rule.selector for rule in version.rules if not isinstance(rule, RepeatExclusion)]
        if version.carryover is not None:
            found.append(version.carryover.selector)
    return found


def _vocabulary(
    certification: Certification,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[ActivityKind, ...]]:
    """Declared categories, named topics, named kinds."""
    codes: dict[str, None] = {}
    for version in certification.versions:
        for root in version.categories:
            codes.update((node.code, None) for node, _ in root.walk())
    found = _selectors_of(certification)
    named_topics = sorted(set().union(*(topics_named(s) for s in found)))
    kinds: dict[ActivityKind, None] = {"course": None}
    kinds.update((kind, None) for s in found for kind in sorted(kinds_named(s)))
    return tuple(codes), tuple(named_topics), tuple(kinds)


def _second_cycle_end(spec: CycleSpec, holding: Holding) -> dt.date:
    first = spec.cycle_on(holding, holding.earned)
    return spec.cycle_on(holding, first.due + _ONE_DAY).due


def _boundaries(
    certification: Certification, holding: Holding, spec: CycleSpec, as_of: dt.date
) -> list[dt.date]:
    """Dates where something changes: cycle and year edges, carry windows, grace ends.

    The earned date comes first; the rest are in order, from the day before the first
    cycle starts up to ``as_of``.
    """
    windows = {
        v.carryover.window_months
        for v in certification.versions
        if v.carryover is not None and v.carryover.window_months is not None
    }
    cycles = spec.cycles(holding, as_of=as_of)
    first = _plus_days(min(cycles[0].period.start, holding.earned), -1)
    days = {v.effective_from for v in certification.versions}
    for cycle in cycles:
        days |= {cycle.period.start, _plus_days(cycle.period.start, -1), cycle.period.end}
        days |= {year.start for year in cycle.years}
        if cycle.grace is not None:
            days |= {cycle.grace.start, cycle.grace.end}
        if cycle.suspension is not None:
            days |= {cycle.suspension.start, cycle.suspension.end}
        days |= {_plus_days(cycle.due, 1) - relativedelta(months=m) for m in windows}
    days.discard(holding.earned)
    return [holding.earned, *sorted(day for day in days if first <= day <= as_of)]


def ledgers_for(
    certification: Certification,
    holding: Holding,
    *,
    min_size: int = 0,
    max_size: int = 12,
    as_of: dt.date | None = None,
    max_credits: Decimal | int = Decimal(40),
    step: Decimal | int = Decimal("0.25"),
    fill_first_cycle: bool = True,
) -> st.SearchStrategy[Ledger]:
    """Ledgers that exercise ``certification``'s rules for ``holding``, up to ``as_of``.

    Activities (ids ``"a0"``, ``"a1"``, ...) use the categories the certification's
    versions declare (and one undeclared code, ``"undeclared"``), the topics and
    activity kinds its selectors name (and ``"course"``), and are claimed for the
    certification or for another one. They are completed inside and around the holding's
    cycles up to ``as_of``, often on a boundary: the earned date, a cycle's start, end or
    the day before its start, the start of a year, of a carryover window or of a version,
    the end of a grace window. ``as_of`` defaults to the end of the holding's second
    cycle; no activity is completed after it. Amounts are as :func:`activities` makes
    them, with ``max_credits`` and ``step``.

    A certification whose cycle ends unmet (and uncured) expires, and no later cycle is
    evaluated. So that later cycles and carryover are exercised too, with
    ``fill_first_cycle`` (the default) about half of the ledgers are completed with
    "filler" activities (ids ``"fill0"``, ...) on the first cycle's last day (or on
    ``as_of``, if that comes first): exactly what
    :meth:`~cperules.results.Evaluation.remaining` says the first cycle still needs.
    Fillers come on top of ``max_size`` and are not bound by ``max_credits``.

    Examples shrink towards fewer activities and no filler; a single activity shrinks
    towards a whole-credit course in the first declared category, completed on the earned
    date.
    """

    def build() -> st.SearchStrategy[Ledger]:
        low, high = _sizes(min_size, max_size)
        if not isinstance(certification, Certification):
            raise InvalidArgument(f"certification={certification!r} must be a Certification")
        if not isinstance(holding, Holding):
            raise InvalidArgument(f"holding={holding!r} must be a Holding")
        try:
            spec = certification.version_on(holding.earned).cycle
            end = _second_cycle_end(spec, holding) if as_of is None else _date("as_of", as_of)
            if end < holding.earned:
                raise InvalidArgument(f"as_of={end} is before the holding was earned")
            boundaries = _boundaries(certification, holding, spec, end)
        except CperulesError as error:
            raise InvalidArgument(f"cannot lay out the holding's cycles: {error}") from error
        first = min(boundaries)
        earliest = _plus_days(first, -min(60, (end - first).days // 4))
        dates = st.sampled_from(boundaries) | _dates(earliest, end)
        codes, topics, kinds = _vocabulary(certification)
        plan = _activity_plan(
            categories=codes,
            strays=(_STRAY,),
            topics=topics,
            kinds=kinds,
            max_credits=max_credits,
            step=step,
            claimed_for=(certification.id, _OTHER_CERTIFICATION),
            dates=dates,
        )
        drawn = st.lists(_activity_fields(plan), min_size=low, max_size=high).map(_ledger)
        if not fill_first_cycle:
            return drawn
        return st.tuples(drawn, st.booleans()).map(
            lambda pair: (
                _meet_first_cycle(certification, holding, pair[0], end) if pair[1] else pair[0]
            )
        )

    return st.deferred(build)


def _meet_first_cycle(
    certification: Certification, holding: Holding, ledger: Ledger, end: dt.date
) -> Ledger:
    """``ledger`` plus the least credit meeting the first cycle, on its end (or ``end``)."""
    from cperules.evaluation import evaluate  # noqa: PLC0415 - the engine loads on use

    bound = holding.model_copy(update={"certification": certification})
    spec = certification.version_on(holding.earned).cycle
    day = min(spec.cycles(holding, as_of=holding.earned)[0].due, end)
    try:
        needs = evaluate(bound, ledger, as_of=day).remaining()
    except CperulesError:  # a policy the engine refuses: checked elsewhere
        return ledger
    fillers = [
        Activity(
            id=f"fill{index}",
            title="Filler for the first cycle",
            completed=day,
            credits=need.credits,
            category=need.category,
            topics=(need.topic,) if need.topic else (),
            approved=True,
        )
        for index, need in enumerate(needs)
    ]
    return ledger.add(*fillers)


# --- holders and holdings ------------------------------------------------------------------


def _holders_in(
    groups: Sequence[str], *, dates_needed: frozenset[str] = frozenset()
) -> st.SearchStrategy[Holder]:
    """Holders as :func:`holders` gives them, with an assigned group among ``groups``.

    The holder dates named in ``dates_needed`` (``"admitted"``, ``"licensed"``) are always
    given, for cycles whose parity counts from them.
    """
    dates = _dates(dt.date(1975, 1, 1), dt.date(2030, 12, 31))
    return st.builds(
        Holder,
        birth_date=_dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)),
        family_name=st.sampled_from(_FAMILY_NAMES),
        admitted=dates if "admitted" in dates_needed else _optional(dates),
        licensed=dates if "licensed" in dates_needed else _optional(dates),
        group=st.sampled_from(groups),
    )


def _holder_dates_needed(certification: Certification) -> frozenset[str]:
    """The holder dates a certification's cycles count their parity from."""
    needed = {
        {"admitted-year": "admitted", "licensed-year": "licensed"}.get(
            str(getattr(version.cycle, "parity", None)), ""
        )
        for version in certification.versions
    }
    return frozenset(needed - {""})


def _assigned_groups(certification: Certification) -> tuple[str, ...]:
    """Every group name a certification's schedules assign holders to, in order."""
    names: dict[str, None] = {}
    for version in certification.versions:
        if isinstance(version.cycle, ScheduledCycle):
            for group in version.cycle.groups:
                names.update(dict.fromkeys(group.groups or ()))
    return tuple(names)


_HOLDERS: Final = _holders_in(_ASSIGNED_GROUPS)
