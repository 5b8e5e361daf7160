"""The main job: evaluate a sample ledger against a catalog certification and explain it.

Run with ``make demo``. The certification is the bundled ISC2 CISSP policy (120 CPE over
three years, Group A at least 90, Group B counted up to 30, Group A earned in the last six
months rolled over up to 40, a 90-day grace period). The sample ledger ships with the
package (``cperules.samples``); the library itself never touches your files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from cperules import Holding, Ledger, catalog, evaluate, samples

AS_OF = dt.date(2026, 11, 24)


def main() -> None:
    # The sample ships with the package; a ledger of your own comes from your own file:
    # with open("my-ledger.csv", newline="") as handle: Ledger.from_records(csv.DictReader(handle))
    ledger = Ledger.from_records(csv.DictReader(io.StringIO(samples.text("sample-ledger.csv"))))
    certification = catalog.get("isc2/cissp")
    holding = Holding(certification=certification, earned=dt.date(2023, 3, 1))
    result = evaluate(holding, ledger, as_of=AS_OF)

    print(f"{certification.name} ({certification.id}), catalog data {result.data_version}")
    print()
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
