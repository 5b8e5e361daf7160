"""A cycle's claims screened at once equal each claim screened alone (issue 16).

:func:`cperules._engine.screening.screen_all` screens the common claim (credit given,
one declared category or eligible for several declared ones, nothing claimed for others,
withheld, valued, excluded or already used) in a few steps and sends every other through :func:`screen`. Over bundled
policies and generated activities, both give the same claims: value, basis, entries
(amount, category paths, day, source, carry) and parts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cperules import catalog
from cperules._engine.allocation import Source
from cperules._engine.screening import CategoryPaths, Screening, screen, screen_all
from cperules.cycles import Period
from cperules.ledger import Activity
from cperules.policy import PolicyVersion

CERTIFICATIONS = ("isc2/cissp", "pmi/pmp", "comptia/security-plus", "isaca/cisa")
"""Bundled entries of different shapes (groups, the Talent Triangle, CEU categories)."""

AMOUNTS = ("0", "0.5", "1", "1.0", "1.25", "2", "3.50", "40")

_day = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def _activities(draw: st.DrawFn, codes: tuple[str, ...]) -> list[Activity]:
    count = draw(st.integers(min_value=0, max_value=8))
    activities = []
    for index in range(count):
        category = draw(st.sampled_from((*codes, "nonesuch", None)) if codes else st.none())
        activities.append(
            Activity(
                id=f"a{index}",
                title=draw(st.sampled_from(("Course", "Talk", "Book"))),
                completed=draw(_day),
                credits=Decimal(draw(st.sampled_from(AMOUNTS))),
                category=category,
                eligible=(
                    tuple(
                        draw(
                            st.lists(
                                # Now and then a name the policy does not declare.
                                st.sampled_from((*codes, "nonesuch")),
                                min_size=1,
                                max_size=3,
                                unique=True,
                            )
                        )
                    )
                    if codes and category is None and draw(st.booleans())
                    else ()
                ),
                claimed_for=draw(st.sampled_from(((), ("isc2/cissp",), ("other",)))),
            )
        )
    return activities


@given(data=st.data())
def test_screen_all_equals_screen(data: st.DataObject) -> None:
    certification = catalog.get(data.draw(st.sampled_from(CERTIFICATIONS), label="entry"))
    version = certification.versions[-1]
    codes = tuple(version.category_paths())
    activities = data.draw(_activities(codes), label="activities")
    ids = [a.id for a in activities]
    some_ids = st.lists(st.sampled_from(ids)) if ids else st.just([])
    withheld = dict.fromkeys(data.draw(some_ids, label="withheld"), "elsewhere")
    cured = {
        i: Fraction(data.draw(st.sampled_from(("0", "0.5", "1"))))
        for i in data.draw(some_ids, label="cured")
    }
    source: Source = data.draw(st.sampled_from(("own", "grace")), label="source")
    start = data.draw(_day, label="window start")
    window = data.draw(st.none() | st.just(Period(start=start, end=start + dt.timedelta(180))))
    opens = data.draw(st.none() | _day, label="opens")
    context = Screening(certification.id, withheld, CategoryPaths())
    one_by_one = [
        screen(
            a,
            version,
            context,
            source=source,
            window=window,
            used=cured.get(a.id),
            opens=opens,
        )
        for a in activities
    ]
    # Screened once already: the amounts are known, so common claims take the short way.
    at_once = screen_all(
        activities, version, context, source=source, window=window, cured=cured, opens=opens
    )
    assert at_once == one_by_one


SHARES = ("0", "0.25", "0.5", "1", "1.5", "2", "3")


@st.composite
def _split_activities(draw: st.DrawFn, codes: tuple[str, ...]) -> list[Activity]:
    """Split activities: most adding up to their credit, some not (built unchecked)."""
    count = draw(st.integers(min_value=1, max_value=6))
    activities = []
    for index in range(count):
        names = draw(
            st.lists(
                # Now and then a name the policy does not declare.
                st.sampled_from((*codes, "nonesuch")),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        split = {name: Decimal(draw(st.sampled_from(SHARES))) for name in names}
        total = sum(split.values(), Decimal(0))
        activity = Activity(
            id=f"s{index}",
            title="Course",
            completed=draw(_day),
            credits=total,
            split=split,
            claimed_for=draw(st.sampled_from(((), ("isc2/cissp",), ("other",)))),
        )
        if draw(st.booleans()):
            # A split that does not add up to the credit (validation forbids it; the
            # engine still shares the credit in proportion).
            credits = total + Decimal(draw(st.sampled_from(("-0.25", "0.5", "1", "2"))))
            activity = activity.model_copy(update={"credits": max(credits, Decimal(0))})
        activities.append(activity)
    return activities


def _compare(
    data: st.DataObject, activities: list[Activity], version: PolicyVersion, cid: str
) -> None:
    """``screen_all`` equals ``screen`` of each, on drawn withholdings, cures and days."""
    ids = [a.id for a in activities]
    some_ids = st.lists(st.sampled_from(ids)) if ids else st.just([])
    withheld = dict.fromkeys(data.draw(some_ids, label="withheld"), "elsewhere")
    credits = {a.id: Fraction(a.credits or 0) for a in activities}
    # Credit used to cure the previous cycle: none, some, all of it, or more.
    cured = {
        i: data.draw(
            st.sampled_from((Fraction(0), credits[i] / 2, credits[i], credits[i] + 1)),
            label="used",
        )
        for i in data.draw(some_ids, label="cured")
    }
    source: Source = data.draw(st.sampled_from(("own", "grace")), label="source")
    start = data.draw(_day, label="window start")
    window = data.draw(st.none() | st.just(Period(start=start, end=start + dt.timedelta(180))))
    opens = data.draw(st.none() | _day, label="opens")
    context = Screening(cid, withheld, CategoryPaths())
    for _ in range(2):  # the second time, every amount is known: the short ways are taken
        one_by_one = [
            screen(
                a, version, context, source=source, window=window, used=cured.get(a.id), opens=opens
            )
            for a in activities
        ]
        at_once = screen_all(
            activities, version, context, source=source, window=window, cured=cured, opens=opens
        )
        assert at_once == one_by_one
        assert [s.claimed() for s in at_once] == [s.claimed() for s in one_by_one]


@given(data=st.data())
def test_screen_all_equals_screen_on_splits(data: st.DataObject) -> None:
    """Splits adding up or not, of declared codes or not, cured or not: as ``screen``."""
    certification = catalog.get(data.draw(st.sampled_from(CERTIFICATIONS), label="entry"))
    version = certification.versions[-1]
    codes = tuple(version.category_paths())
    activities = data.draw(_split_activities(codes), label="activities")
    _compare(data, activities, version, certification.id)


@given(data=st.data())
def test_screen_all_equals_screen_on_cured_credit(data: st.DataObject) -> None:
    """Credit partly, wholly or more than wholly used to cure the previous cycle: as ``screen``."""
    certification = catalog.get(data.draw(st.sampled_from(CERTIFICATIONS), label="entry"))
    version = certification.versions[-1]
    codes = tuple(version.category_paths())
    plain = data.draw(_activities(codes), label="activities")
    splits = data.draw(_split_activities(codes), label="splits")
    activities = [*plain, *splits]
    _compare(data, activities, version, certification.id)
