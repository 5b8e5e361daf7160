"""Policies in words: a cycle spec, a measure, a selector, a rule and a version's total.

This sits in the policy layer, just above the policy model, so that the catalog (its
table) and every rendering can describe a policy the same way.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, assert_never

from cperules.credits import format_credits
from cperules.cycles import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    CycleSpec,
    DayOfYearCycle,
    FixedCycle,
    Grace,
    Parity,
    RollingCycle,
    ScheduledCycle,
)
from cperules.rules import (
    Cap,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import (
    AllOf,
    AnyOf,
    ClaimedFor,
    Everything,
    HasCategory,
    HasDelivery,
    HasKind,
    HasTopic,
    IsApproved,
    Not,
    Selector,
)

if TYPE_CHECKING:
    from cperules.credits import Measure
    from cperules.policy import PolicyVersion

__all__ = [
    "describe_cycle",
    "describe_measure",
    "describe_rule",
    "describe_selector",
    "describe_total",
]


def describe_cycle(spec: CycleSpec) -> str:
    """A cycle spec in words: its length and anchor, first-cycle rule and grace.

    >>> from cperules.periods import AnniversaryCycle, CalendarCycle, Grace
    >>> describe_cycle(AnniversaryCycle(years=3, grace=Grace(days=90, earning="allowed")))
    '3 years from the date earned, ending the day before each anniversary; 90-day grace (earning allowed)'
    >>> describe_cycle(CalendarCycle(years=3, stub="first-year",
    ...                              grace=Grace(months=12, earning="allowed", standing="suspended")))
    '3 years from 1 January after the date earned (the months before join its first year); 12-month suspension (earning allowed)'
    >>> from cperules.periods import Suspension
    >>> describe_cycle(AnniversaryCycle(years=3, end="anniversary",
    ...                                 grace=Grace(days=30, standing="reporting")))
    '3 years from the date earned, ending on each anniversary; 30-day reporting window (credit earned by the end only; not a grace period)'
    >>> describe_cycle(CalendarCycle(years=3, stub="early-credit", grace=Grace(
    ...     days=90, earning="allowed", after=Suspension(months=24, then="terminated"))))
    '3 years from 1 January after the date earned (credit from the date earned counts toward the first); 90-day grace (earning allowed), then 24-month suspension (credit does not cure), then terminated'
    """  # noqa: E501
    words: str
    if isinstance(spec, AnniversaryCycle):
        ends = {
            "day-before": "ending the day before each anniversary",
            "anniversary": "ending on each anniversary",
            "end-of-month": "ending at the end of each anniversary's month",
        }
        words = f"{_years(spec.years)} from the date earned, {ends[spec.end]}"
    elif isinstance(spec, CalendarCycle):
        stub = {
            "exempt": "the months before are exempt",
            "merged": "the months before join it",
            "first-year": "the months before join its first year",
            "early-credit": "credit from the date earned counts toward the first",
        }
        words = f"{_years(spec.years)} from 1 January after the date earned ({stub[spec.stub]})"
    elif isinstance(spec, FixedCycle):
        start = spec.anchor
        words = (
            f"fixed periods of {_years(spec.years)} for every holder, one starting "
            f"{start.day} {calendar.month_name[start.month]} {start.year}" + _fixed_stub(spec)
        )
    elif isinstance(spec, BirthMonthCycle):
        ends = {
            "month-end": "ending with the birth month",
            "birthday": "ending on the birthday",
            "day-before-birth-month": "ending the day before the birth month",
        }
        words = f"{_years(spec.years)} {ends[spec.end]}{_offset(spec.offset_days)}"
        words += _parity(spec.parity)
    elif isinstance(spec, DayOfYearCycle):
        nth = spec.years if spec.first_end_occurrence is None else spec.first_end_occurrence
        words = (
            f"{_years(spec.years)} ending on {spec.day} {calendar.month_name[spec.month]}, "
            f"the first on the {_ordinal(nth)} {spec.day} {calendar.month_name[spec.month]} "
            f"after the date earned{_parity(spec.parity)}"
        )
    elif isinstance(spec, ScheduledCycle):
        by = {
            "letters": "family-name group",
            "groups": "assigned group",
            "birth_months": "birth-month group",
        }[spec.grouped_by]
        words = f"scheduled by {by} ({len(spec.groups)} groups)"
        if spec.repeat_years:
            words += f", repeating every {_years(spec.repeat_years)}"
    elif isinstance(spec, RollingCycle):
        words = (
            f"a check every {spec.every_months} months over the previous "
            f"{spec.window_months} months, first at the end of "
            f"{calendar.month_name[spec.checkpoint_month]}"
        )
    else:
        assert_never(spec)
    if spec.first_cycle != "normal":
        words += f"; first cycle {'exempt' if spec.first_cycle == 'exempt' else 'prorated'}"
    if spec.grace is not None:
        words += _describe_grace(spec.grace)
    return words


def _describe_grace(grace: Grace) -> str:
    """The windows after a cycle's end, in words (appended to the cycle's own)."""
    words = ""
    earning = "earning allowed" if grace.earning == "allowed" else "reporting only"
    length = f"{grace.days}-day" if grace.days is not None else f"{grace.months}-month"
    if grace.standing == "reporting":
        words += f"; {length} reporting window (credit earned by the end only; not a grace period)"
    else:
        window = "suspension" if grace.standing == "suspended" else "grace"
        words += f"; {length} {window} ({earning})"
    after = grace.after
    if after is not None:
        span = f"{after.days}-day" if after.days is not None else f"{after.months}-month"
        stage = "suspension" if after.standing == "suspended" else "inactive stage"
        cures = "credit still cures" if after.cures else "credit does not cure"
        words += f", then {span} {stage} ({cures}), then {after.then}"
    return words


def _fixed_stub(spec: FixedCycle) -> str:
    if spec.stub != "merged":
        return ""
    if spec.merge_within_months is None:
        return " (a part-period joins the next full one)"
    return (
        f" (a part-period begun in the last {spec.merge_within_months} months of a period "
        "joins the next full one)"
    )


def _offset(days: int) -> str:
    if days == 0:
        return ""
    unit = "day" if abs(days) == 1 else "days"
    return f" {abs(days)} {unit} {'later' if days > 0 else 'earlier'}"


def _parity(parity: Parity | None) -> str:
    return {
        None: "",
        "odd": ", in odd years",
        "even": ", in even years",
        "birth-year": ", in years of the birth year's parity",
        "earned-year": ", in years of the parity of the year earned",
        "admitted-year": ", in years of the admission year's parity",
        "licensed-year": ", in years of the first licence year's parity",
    }[parity]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _years(years: int) -> str:
    return f"{years} year{'s' * (years != 1)}"


def describe_measure(measure: Measure, unit: str = "credit") -> str:
    """How a measure turns time into credit, in words.

    >>> from decimal import Decimal
    >>> from cperules.credits import Measure
    >>> describe_measure(Measure(minutes_per_credit=50, step=Decimal("0.2")), "CPE")
    '1 CPE per 50 minutes, in steps of 0.2, rounded down; 1 ceu = 10 CPE'
    """
    words = f"1 {unit} per {measure.minutes_per_credit} minutes"
    if measure.step != 1:
        words += f", in steps of {format_credits(measure.step)}"
    words += ", rounded down" if measure.rounding == "down" else ", rounded to nearest"
    if measure.minimum is not None:
        words += f", at least {format_credits(measure.minimum)} to count"
    conversions = ", ".join(
        f"1 {name} = {format_credits(value, unit)}" for name, value in measure.conversions.items()
    )
    return f"{words}; {conversions}" if conversions else words


def _either(values: tuple[str, ...]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(values) == 1:
        return values[0]
    return f"{', '.join(values[:-1])} or {values[-1]}"


def describe_selector(selector: Selector) -> str:
    """Which activities a selector takes, in words (what the policy views show).

    The code form (``repr``) stays the one to write in Python; this is the one to read.

    >>> from cperules.selectors import activity_kind, approved, category, delivery, topic
    >>> describe_selector(category("A", "B"))
    'category A or B'
    >>> describe_selector(~category("working-as-a-practitioner"))
    'not category working-as-a-practitioner'
    >>> describe_selector(topic("ethics") & (delivery("in-person") | activity_kind("book")))
    'topic ethics and (delivered in-person or kind book)'
    >>> describe_selector(approved() & ~(category("A") | category("B")))
    'from an approved provider and not (category A or category B)'
    """
    words: str
    if isinstance(selector, HasCategory):
        words = f"category {_either(selector.codes)}"
    elif isinstance(selector, HasTopic):
        words = f"topic {_either(selector.topics)}"
    elif isinstance(selector, HasDelivery):
        words = f"delivered {_either(selector.formats)}"
    elif isinstance(selector, HasKind):
        words = f"kind {_either(selector.kinds)}"
    elif isinstance(selector, IsApproved):
        words = "from an approved provider"
    elif isinstance(selector, ClaimedFor):
        words = f"claimed for {selector.certification}"
    elif isinstance(selector, Everything):
        words = "any activity"
    elif isinstance(selector, AllOf):
        words = " and ".join(_grouped_words(part) for part in selector.selectors)
    elif isinstance(selector, AnyOf):
        words = " or ".join(_grouped_words(part) for part in selector.selectors)
    elif isinstance(selector, Not):
        words = f"not {_grouped_words(selector.selector)}"
    else:
        assert_never(selector)
    return words


def _grouped_words(selector: Selector) -> str:
    words = describe_selector(selector)
    compound = isinstance(selector, AllOf | AnyOf) and len(selector.selectors) > 1
    return f"({words})" if compound else words


_RECURRENCE = {
    "first-renewal": ", at the first renewal only",
    "once-per-career": ", once per career",
}


def describe_rule(rule: Rule, unit: str = "credits") -> str:
    """A rule in words, its selector too (see :func:`describe_selector`).

    >>> from cperules.rules import Cap, Minimum
    >>> from cperules.selectors import category
    >>> describe_rule(Minimum(id="total", credits=120), "CPE")
    'at least 120 CPE per cycle'
    >>> describe_rule(Cap(id="b", selector=category("B"), credits=30, scope="year"), "CPE")
    'at most 30 CPE of category B count per year'
    """
    scope = " per year" if getattr(rule, "scope", "cycle") == "year" else " per cycle"
    of = ""
    selector = getattr(rule, "selector", None)
    if selector is not None and not isinstance(selector, Everything):
        of = f" of {describe_selector(selector)}"
    if isinstance(rule, Minimum):
        recurrence = rule.recurrence
        repeat = _RECURRENCE.get(recurrence.applies_to, "")
        if recurrence.every > 1:
            repeat = f", every {recurrence.every} renewals"
        return f"at least {format_credits(rule.credits, unit)}{of}{scope}{repeat}"
    if isinstance(rule, Cap):
        limit = (
            format_credits(rule.credits, unit)
            if rule.credits is not None
            else f"{rule.share:%} of the total"
        )
        return f"at most {limit}{of} count{scope}"
    if isinstance(rule, RepeatExclusion):
        return f"the same activity counts once{scope}"
    what = describe_selector(rule.selector)
    if isinstance(rule, CreditValue):
        parts = []
        if rule.fixed is not None:
            parts.append(f"worth {format_credits(rule.fixed, unit)} each")
        if rule.multiplier is not None:
            parts.append(f"counted {format_credits(rule.multiplier)} times")
        if rule.max_per_entry is not None:
            parts.append(f"at most {format_credits(rule.max_per_entry, unit)} per entry")
        return f"{what}: {', '.join(parts)}"
    if isinstance(rule, Prerequisite):
        return f"needed, valid at the end of the cycle: {what}"
    if isinstance(rule, Exclusion):
        return f"never counts: {what}"
    assert_never(rule)


def describe_total(version: PolicyVersion, unit: str = "credits") -> str:
    """The total a version requires: its largest minimum over everything, per cycle or year.

    >>> from cperules import catalog
    >>> describe_total(catalog.get("isc2/cissp").versions[-1], "CPE")
    '120 CPE per cycle'
    """
    totals = [
        rule
        for rule in version.rules
        if rule.kind == "minimum"
        and isinstance(rule.selector, Everything)
        and rule.recurrence.applies_to == "every-renewal"
        and rule.recurrence.every == 1
    ]
    cycle = [rule.credits for rule in totals if rule.scope == "cycle"]
    if cycle:
        return f"{format_credits(max(cycle), unit)} per cycle"
    yearly = [rule.credits for rule in totals if rule.scope == "year"]
    if yearly:
        return f"{format_credits(max(yearly), unit)} per year"
    return "no overall minimum"
