"""Any valid certification written as a policy file loads back to an equal value."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from cperules import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Certification,
    CycleSpec,
    Grace,
    Measure,
    PolicyVersion,
    RollingCycle,
)
from cperules.policy import CategoryNode, Citation
from cperules.policy_format import dump_certification, load_certification
from cperules.rules import Cap, Carryover, CreditValue, Minimum, Recurrence, RepeatExclusion, Rule
from cperules.selectors import Selector, activity_kind, approved, category, everything, topic

CODES = ("A", "B", "c-1")
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=SURROGATES), min_size=1, max_size=12
)
credits = st.decimals(
    min_value=Decimal("0.25"),
    max_value=Decimal(200),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
graces = st.none() | st.builds(
    Grace, days=st.integers(1, 365), earning=st.sampled_from(["submission-only", "allowed"])
)
cycles: st.SearchStrategy[CycleSpec] = st.one_of(
    st.builds(
        AnniversaryCycle,
        years=st.integers(1, 5),
        end=st.sampled_from(["day-before", "anniversary", "end-of-month"]),
        grace=graces,
    ),
    st.builds(
        CalendarCycle,
        years=st.integers(1, 4),
        stub=st.sampled_from(["exempt", "merged"]),
        first_cycle=st.sampled_from(["normal", "prorated"]),
    ),
    st.builds(
        BirthMonthCycle,
        years=st.just(2),
        parity=st.sampled_from([None, "odd", "even", "birth-year"]),
    ),
    st.builds(
        RollingCycle,
        every_months=st.integers(1, 24),
        window_months=st.integers(1, 48),
        checkpoint_month=st.integers(1, 12),
    ),
)
selectors: st.SearchStrategy[Selector] = st.recursive(
    st.sampled_from(
        [category(c) for c in CODES]
        + [topic("ethics"), activity_kind("book"), approved(), everything()]
    ),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: pair[0] & pair[1]),
        st.tuples(inner, inner).map(lambda pair: pair[0] | pair[1]),
        inner.map(lambda s: ~s),
    ),
    max_leaves=4,
)


@st.composite
def rule_lists(draw: st.DrawFn) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for index in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 3))
        rule_id = f"r{index}"
        if choice == 0:
            rules.append(
                Minimum(
                    id=rule_id,
                    credits=draw(credits),
                    selector=draw(selectors),
                    scope=draw(st.sampled_from(["cycle", "year"])),
                    recurrence=Recurrence(every=draw(st.integers(1, 3))),
                )
            )
        elif choice == 1:
            rules.append(Cap(id=rule_id, selector=draw(selectors), credits=draw(credits)))
        elif choice == 2:
            rules.append(
                CreditValue(id=rule_id, selector=draw(selectors), multiplier=draw(credits))
            )
        else:
            rules.append(RepeatExclusion(id=rule_id, description=draw(st.none() | texts)))
    return tuple(rules)


@st.composite
def certifications(draw: st.DrawFn) -> Certification:
    count = draw(st.integers(1, 2))
    starts = sorted(
        draw(
            st.lists(
                st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
    )
    versions = []
    for index, start in enumerate(starts):
        until = (
            starts[index + 1] - dt.timedelta(days=1)
            if index + 1 < count
            else draw(st.none() | st.just(dt.date(2040, 1, 1)))
        )
        versions.append(
            PolicyVersion(
                effective_from=start,
                effective_until=until,
                last_verified=draw(st.none() | st.dates()),
                citations=tuple(
                    draw(
                        st.lists(
                            st.builds(
                                Citation,
                                url=texts.map(lambda t: "https://example.org/" + t),
                                title=texts,
                                clause=st.none() | texts,
                            ),
                            max_size=2,
                        )
                    )
                ),
                uncertain=tuple(draw(st.lists(texts, max_size=2))),
                cycle=draw(cycles),
                measure=draw(
                    st.builds(
                        Measure,
                        minutes_per_credit=st.sampled_from([50, 60]),
                        step=st.sampled_from([Decimal(1), Decimal("0.25"), Decimal("0.2")]),
                    )
                ),
                categories=(
                    CategoryNode(
                        code="A", name=draw(st.none() | texts), children=(CategoryNode(code="c-1"),)
                    ),
                    CategoryNode(code="B"),
                ),
                rules=draw(rule_lists()),
                carryover=draw(
                    st.none()
                    | st.builds(
                        Carryover,
                        selector=selectors,
                        window_months=st.none() | st.integers(1, 12),
                        cap=st.none() | credits,
                    )
                ),
            )
        )
    return Certification(
        id="body/cert-" + str(draw(st.integers(0, 99))),
        name=draw(texts),
        body=draw(texts),
        unit=draw(st.sampled_from(["CPE", "PDU", "CEU"])),
        aliases=tuple(draw(st.lists(texts, max_size=2))),
        versions=tuple(versions),
    )


@given(certifications())
def test_load_of_dump_is_identity(certification: Certification) -> None:
    assert load_certification(dump_certification(certification)) == certification
