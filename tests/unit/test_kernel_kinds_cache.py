"""The verdict kernel's per-problem cache tells policy versions apart (issue 16).

Versions with no minimums and no caps share the same empty tuples of requirements and
limits; the kernel's kinds, which also read the version's carryover and categories, must
not be reused across them (found by the verdict/explained property at the ci profile).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cperules import Activity, Holder, Holding, Ledger, evaluate, verdict
from cperules.cycles.anniversary import AnniversaryCycle
from cperules.policy import CategoryNode, Certification, PolicyVersion
from cperules.rules.carryover import Carryover

CATEGORIES = (CategoryNode(code="A"), CategoryNode(code="B"))
EARNED = dt.date(2020, 1, 1)
HOLDER = Holder(birth_date=dt.date(1950, 1, 1), family_name="Adams")
LEDGER = Ledger(
    [Activity(id="a0", title="Training", completed=EARNED, credits=Decimal(1), category="A")]
)


def _holding(certification_id: str, carryover: Carryover | None) -> Holding:
    version = PolicyVersion(
        effective_from=EARNED,
        cycle=AnniversaryCycle(years=1),
        categories=CATEGORIES,
        carryover=carryover,
    )
    certification = Certification(
        id=certification_id, name="Test", body="Test body", unit="CPE", versions=(version,)
    )
    return Holding(certification=certification, earned=EARNED, holder=HOLDER)


def test_a_version_without_carryover_does_not_stand_in_for_one_with_it() -> None:
    verdict(_holding("test/none", None), LEDGER, as_of=EARNED)
    carrying = _holding("test/carries", Carryover())
    judged = verdict(carrying, LEDGER, as_of=EARNED)
    explained = evaluate(carrying, LEDGER, as_of=EARNED)
    assert explained.cycles[0].carried_out[0].credits == Decimal(1)
    assert judged.cycles[0].carried_out == Decimal(1)
