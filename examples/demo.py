"""The main job: validate a sample ledger and lay it over a holding's renewal cycles.

Run with ``make demo``. Reading the CSV file happens here, in the example; the library
itself never touches files.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from cperules import AnniversaryCycle, Grace, Holder, Holding, Ledger, Measure

HERE = Path(__file__).parent
AS_OF = dt.date(2026, 11, 24)


def main() -> None:
    with (HERE / "sample-ledger.csv").open(newline="", encoding="utf-8") as handle:
        ledger = Ledger.from_records(csv.DictReader(handle))

    holding = Holding(
        certification="isc2/cissp",
        earned=dt.date(2023, 3, 1),
        holder=Holder(family_name="Okafor"),
    )
    spec = AnniversaryCycle(years=3, grace=Grace(days=90))
    measure = Measure(minutes_per_credit=60, step=Decimal("0.25"))

    print(f"{holding.certification}, earned {holding.earned}, as of {AS_OF}")
    print(f"{len(ledger)} activities in the sample ledger\n")
    for cycle in spec.cycles(holding, as_of=AS_OF):
        claimed: dict[str, Decimal] = defaultdict(Decimal)
        lines = []
        for activity in ledger:
            if activity.completed not in cycle.period:
                continue
            conversion = activity.claimed(measure)
            for code in activity.categories:
                claimed[code] += conversion.credits
            lines.append(
                f"    {activity.completed}  {activity.id:<4} {conversion.credits:>6} "
                f"(from {conversion.basis})  {activity.category}  {activity.title}"
            )
        state = "current" if AS_OF in cycle.period else "ended"
        print(f"Cycle {cycle.index}: {cycle.period} ({state}), due {cycle.due}")
        if cycle.grace is not None:
            print(f"  grace window {cycle.grace}")
        print("\n".join(lines) or "    (no activities)")
        totals = ", ".join(f"{code} {amount}" for code, amount in sorted(claimed.items()))
        print(f"  claimed: {totals or 'nothing'}\n")
    print("Requirements, caps and carryover are applied by the rule engine (coming next).")


if __name__ == "__main__":
    main()
