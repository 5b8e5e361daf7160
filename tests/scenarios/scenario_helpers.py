"""Small builders shared by the scenario tests (policies are built in Python here)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from cperules import Activity, Certification, CycleSpec, Holder, Holding, Ledger, PolicyVersion
from cperules.policy import CategoryNode


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def cert(
    cycle: CycleSpec, *, categories: tuple[CategoryNode, ...] = (), **version: Any
) -> Certification:
    policy = PolicyVersion(
        effective_from=dt.date(2000, 1, 1), cycle=cycle, categories=categories, **version
    )
    return Certification(
        id="test/cert", name="Test", body="Test body", unit="CPE", versions=(policy,)
    )


def flat(*codes: str) -> tuple[CategoryNode, ...]:
    return tuple(CategoryNode(code=code) for code in codes)


Row = tuple[str, str, str | dict[str, int] | tuple[str, ...] | None, int]


def ledger(*rows: Row, extra: dict[str, dict[str, Any]] | None = None) -> Ledger:
    """Rows of (id, completed, category | split | eligible | None, credits); ``extra`` adds
    fields by activity id."""
    activities = []
    for activity_id, completed, where, credits in rows:
        fields: dict[str, Any] = {
            "id": activity_id,
            "title": activity_id,
            "completed": completed,
            "credits": Decimal(credits),
        }
        if isinstance(where, dict):
            fields["split"] = {k: Decimal(v) for k, v in where.items()}
        elif isinstance(where, tuple):
            fields["eligible"] = where
        elif where is not None:
            fields["category"] = where
        fields.update((extra or {}).get(activity_id, {}))
        activities.append(Activity.model_validate(fields))
    return Ledger(activities)


def holding(certification: Certification, earned: str, **holder: Any) -> Holding:
    return Holding(certification=certification, earned=d(earned), holder=Holder(**holder))
