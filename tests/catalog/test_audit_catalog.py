"""The bundled families' audit rules (issue 19): proof each body accepts, records' keep-until.

For every family whose base states evidence or retention rules, a ledger is evaluated as
the holder has it and again "as audited": without the counted activities whose proof the
body does not accept (a re-evaluation, not an estimate). The two show the difference in
standing a holder risks; where the body publishes a retention period, the day until which
a record must be kept is pinned against the cited clause. Every expected number is
derived by hand in a comment from the clause the policy cites.

The families whose own documents are silent on audits carry no audit part, and say so in
their `uncertain` notes (which documents were checked).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pytest

from cperules import Activity, Holding, Ledger, catalog, evaluate
from cperules.evidence import Evidence
from cperules.results import Evaluation


@dataclass(frozen=True)
class AuditView:
    """A ledger's evaluation, the activities an audit would disallow, and the re-evaluation."""

    as_held: Evaluation
    disallowed: tuple[str, ...]
    as_audited: Evaluation


def audit_view(holding: Holding, activities: Sequence[Activity], as_of: dt.date) -> AuditView:
    """Evaluate, then evaluate again without each counted activity whose proof fails."""
    certification = catalog.get(str(holding.certification))
    by_id = {activity.id: activity for activity in activities}
    as_held = evaluate(holding, Ledger(list(activities)), as_of=as_of)
    disallowed: list[str] = []
    for cycle in as_held.cycles:
        audit = certification.version_on(cycle.version_from).audit
        assert audit is not None, f"{certification.id}: no audit part from {cycle.version_from}"
        for outcome in cycle.activities:
            if outcome.counted > 0 and not audit.supported(by_id[outcome.activity_id]):
                disallowed.append(outcome.activity_id)
    kept = [activity for activity in activities if activity.id not in disallowed]
    as_audited = evaluate(holding, Ledger(kept), as_of=as_of)
    return AuditView(as_held, tuple(disallowed), as_audited)


def keep_until(certification_id: str, activity: Activity, cycle_end: dt.date) -> dt.date:
    """The day the records of ``activity``, counted in a cycle ending ``cycle_end``, are kept to."""
    version = catalog.get(certification_id).version_on(cycle_end)
    assert version.audit is not None
    assert version.audit.retention is not None
    return version.audit.retention.keep_until(cycle_end=cycle_end, completed=activity.completed)


def proof(*kinds: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(kind=kind) for kind in kinds)  # type: ignore[arg-type]


def activity(
    activity_id: str, completed: dt.date, credits: int, category: str, *kinds: str, **more: object
) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Activity {activity_id}",
        completed=completed,
        credits=Decimal(credits),
        category=category,
        evidence=proof(*kinds),
        **more,  # type: ignore[arg-type]
    )


# The IT families' worked audits (ISACA, PMI, SHRM, HRCI, CompTIA, GIAC) are cases in their
# entries' cases files (`expect.audit`: credit at risk, what an audit leaves, keep-until
# days), each deriving its numbers from the cited clause in its description.


SILENT = ["isc2", "iiba", "iapp", "eccouncil", "asq", "atd", "scrum-alliance", "cisco"]


@pytest.mark.parametrize("family", SILENT)
def test_a_family_silent_on_audits_has_no_audit_part_and_says_what_was_checked(
    family: str,
) -> None:
    members = [i for i in catalog.ids() if i.startswith(f"{family}/")]
    assert members
    for certification_id in members:
        for version in catalog.get(certification_id).versions:
            assert version.audit is None
            assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# CLE (catalogs/cle): the worked audits of Arizona, Nevada, New Jersey and Virginia are cases
# in their entries' cases files (`expect.audit`). The other states' own documents read are
# silent on audits; each version says which were checked.
CLE_SILENT = [
    "alabama", "alaska", "arkansas", "colorado", "connecticut", "delaware", "georgia",
    "illinois", "iowa", "kentucky", "mississippi", "missouri", "montana", "nebraska",
    "new-mexico", "new-york", "ohio", "oklahoma", "pennsylvania", "rhode-island",
    "south-carolina", "tennessee", "texas", "west-virginia", "wisconsin",
]  # fmt: skip


@pytest.mark.parametrize("state", CLE_SILENT)
def test_cle_a_state_silent_on_audits_has_no_audit_part_and_says_what_was_checked(
    state: str,
) -> None:
    for version in catalog.get(f"cle/{state}").versions:
        assert version.audit is None
        assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)
