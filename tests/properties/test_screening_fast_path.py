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
