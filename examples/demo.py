"""The main job: evaluate a sample ledger against a certification and explain the result.

Run with ``make demo``. The policy is built in code here, shaped like ISC2's CISSP
(120 CPE over three years, Group A at least 90, Group B counted up to 30, Group A
earned in the last six months carried over up to 40, a 90-day grace period). Reading
the CSV file happens in this example; the library itself never touches files.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from cperules import (
    AnniversaryCycle,
    Certification,
    Grace,
    Holding,
    Ledger,
    Measure,
    PolicyVersion,
    evaluate,
)
from cperules.policy import CategoryNode
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import category

HERE = Path(__file__).parent
AS_OF = dt.date(2026, 11, 24)

POLICY = PolicyVersion(
    effective_from=dt.date(2015, 1, 1),
    cycle=AnniversaryCycle(
        years=3, years_by="anniversary", grace=Grace(days=90, earning="allowed")
    ),
    measure=Measure(minutes_per_credit=60, step=Decimal("0.25")),
    categories=(
        CategoryNode(code="A", name="Group A: domain-related"),
        CategoryNode(code="B", name="Group B: professional development"),
    ),
    rules=(
        Minimum(id="total", credits=Decimal(120), description="120 CPE per cycle"),
        Minimum(id="group-a", credits=Decimal(90), selector=category("A")),
        Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
    ),
    carryover=Carryover(selector=category("A"), window_months=6, cap=Decimal(40)),
)
CERTIFICATION = Certification(
    id="example/cissp-like",
    name="A CISSP-shaped certification",
    body="Example body",
    unit="CPE",
    versions=(POLICY,),
)


def main() -> None:
    with (HERE / "sample-ledger.csv").open(newline="", encoding="utf-8") as handle:
        ledger = Ledger.from_records(csv.DictReader(handle))
    holding = Holding(certification=CERTIFICATION, earned=dt.date(2023, 3, 1))
    result = evaluate(holding, ledger, as_of=AS_OF)

    print(result)
    print()
    print("Why did the leadership workshop not count in full?")
    print("  " + result.explain("b1"))
    print()
    print("Still needed:")
    for need in result.remaining():
        print(f"  {need}")


if __name__ == "__main__":
    main()
