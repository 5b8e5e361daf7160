"""The HTML a notebook shows, and the flat records a DataFrame takes."""

import datetime as dt
import json
import re
from decimal import Decimal

from cperules import (
    Activity,
    AnniversaryCycle,
    Certification,
    Evaluation,
    Holding,
    Ledger,
    PolicyVersion,
    catalog,
    evaluate,
)
from cperules.rules import Minimum
from cperules.selectors import topic

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def hostile_result() -> Evaluation:
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=AnniversaryCycle(years=1),
        rules=(
            Minimum(id="total", credits=Decimal(10)),
            Minimum(id="<b>ethics</b>", credits=Decimal(2), selector=topic("ethics")),
        ),
        uncertain=(HOSTILE,),
    )
    certification = Certification(
        id="test/html", name=HOSTILE, body=HOSTILE, unit="<u>CPE</u>", versions=(version,)
    )
    ledger = Ledger(
        [
            Activity(
                id="x<1>",
                title=HOSTILE,
                completed=dt.date(2024, 3, 1),
                credits=Decimal(4),
                claimed_for=("other/cert",),
            )
        ]
    )
    return evaluate(
        Holding(certification=certification, earned=dt.date(2024, 1, 1)),
        ledger,
        as_of=dt.date(2025, 2, 1),
    )


def test_every_user_string_is_escaped() -> None:
    html = hostile_result()._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert "<b>ethics</b>" not in html
    assert "&lt;b&gt;ethics&lt;/b&gt;" in html
    assert "<u>CPE</u>" not in html
    assert "x&lt;1&gt;" in html
    assert ">NOT compliant</span>" in html


def test_requirements_statuses_and_no_external_assets() -> None:
    result = evaluate(
        Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1)),
        Ledger(
            [
                Activity(
                    id="b1",
                    title="Workshop",
                    completed=dt.date(2024, 1, 10),
                    credits=Decimal(45),
                    category="B",
                )
            ]
        ),
        as_of=dt.date(2026, 3, 10),
    )
    html = result._repr_html_()
    for cycle in result.cycles:
        for requirement in cycle.requirements:
            assert f"<td>{requirement.id}</td>" in html
    # Status in words, not colour alone.
    assert ">in its grace period</span>" in html
    assert ">in progress</span>" in html
    assert "15 capped (B), rule group-b" in html
    assert not re.search(r"(src|href)\s*=|<script|<link|@import|url\(", html)


def test_records_are_flat_and_json_ready() -> None:
    records = hostile_result().to_records()
    assert records == json.loads(json.dumps(records))
    assert [(r["activity_id"], r["reason"], r["credits"], r["cycle"]) for r in records] == [
        ("x<1>", "not-claimed-for", "4", 0)
    ]
    assert set(records[0]) == {
        "certification",
        "cycle",
        "cycle_start",
        "cycle_end",
        "activity_id",
        "title",
        "completed",
        "claimed",
        "reason",
        "credits",
        "category",
        "rule",
        "note",
    }


def test_records_include_activities_outside_every_cycle() -> None:
    result = evaluate(
        Holding(certification="CISSP", earned=dt.date(2024, 1, 1)),
        Ledger(
            [
                Activity(
                    id="early",
                    title="Early",
                    completed=dt.date(2023, 6, 1),
                    credits=Decimal(1),
                    category="A",
                )
            ]
        ),
        as_of=dt.date(2024, 6, 1),
    )
    (record,) = result.to_records()
    assert (record["cycle"], record["reason"]) == (None, "before-cycle")
