"""Evaluation.plot(): the progress picture, drawn with matplotlib's Agg backend."""

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

import pytest

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


def cissp(as_of: dt.date, *activities: Activity) -> Evaluation:
    return evaluate(
        Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1)),
        Ledger(activities),
        as_of=as_of,
    )


def act(activity_id: str, day: dt.date, credits: int, category: str = "A") -> Activity:
    return Activity(
        id=activity_id,
        title=activity_id,
        completed=day,
        credits=Decimal(credits),
        category=category,
    )


def ydata(line: Any) -> list[float]:
    return [float(y) for y in line.get_ydata()]


def legend(ax: Any) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


LEDGER = (
    act("a1", dt.date(2023, 6, 1), 60),
    act("b1", dt.date(2024, 1, 10), 45, "B"),
    act("a2", dt.date(2025, 11, 1), 40),  # 30 needed; 10 carried out
)


@pytest.fixture
def plt() -> Any:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    pyplot = pytest.importorskip("matplotlib.pyplot")
    yield pyplot
    pyplot.close("all")


def test_counted_credit_steps_against_pace_and_requirement(plt: Any) -> None:
    result = cissp(dt.date(2025, 12, 1), *LEDGER)
    ax = result.plot(cycle=0)
    lines = {line.get_label(): line for line in ax.get_lines()}
    counted = lines["counted (120 CPE)"]
    ys = ydata(counted)
    assert ys == [0, 0, 60, 60, 90, 90, 120, 120]  # steps on 2023-06-01, 2024-01-10, 2025-11-01
    assert ydata(lines["straight-line pace"])[-1] == 120
    assert "requirement total (120 CPE)" in lines
    assert "as of 2025-12-01" in lines
    labels = legend(ax)
    assert "capped (not counted)" in labels
    assert "carried out to the next cycle" in labels
    assert "grace window" in labels
    notes = [child.get_text() for child in ax.texts]
    assert notes == ["b1: 15 capped", "a2: 10 carried-out"]
    assert ax.get_title() == "isc2/cissp: cycle 0, 2023-03-01..2026-02-28 (compliant)"


def test_the_governing_cycle_by_default_with_carried_in_credit_first(plt: Any) -> None:
    result = cissp(dt.date(2026, 6, 1), *LEDGER)
    _, given = plt.subplots()
    ax = result.plot(ax=given)
    assert ax is given
    (counted, *_) = ax.get_lines()
    assert counted.get_label() == "counted (10 CPE)"
    assert ydata(counted) == [0, 0, 10, 10]
    assert [child.get_text() for child in ax.texts] == ["a2: 10 carried-in"]
    assert "carried in from the previous cycle" in legend(ax)
    assert ax.get_title().startswith("isc2/cissp: cycle 1,")
    assert result.plot(cycle=result.cycles[0]).get_title().startswith("isc2/cissp: cycle 0,")


def test_grace_earning_extends_the_picture(plt: Any) -> None:
    late = act("late", dt.date(2026, 4, 1), 90)
    result = cissp(dt.date(2026, 4, 15), act("b1", dt.date(2024, 1, 10), 30, "B"), late)
    ax = result.plot(cycle=0)
    counted = ax.get_lines()[0]
    assert counted.get_label() == "counted (120 CPE)"
    right = ax.get_xlim()[1]
    mdates = pytest.importorskip("matplotlib.dates")
    assert mdates.num2date(right).date() >= dt.date(2026, 5, 29)  # the grace window's end


def test_an_empty_cycle_and_a_policy_without_requirements(plt: Any) -> None:
    result = cissp(dt.date(2023, 3, 1))
    ax = result.plot()
    counted = ax.get_lines()[0]
    assert ydata(counted) == [0]
    assert counted.get_label() == "counted (0 CPE)"


def test_an_unknown_cycle_is_named(plt: Any) -> None:
    with pytest.raises(IndexError, match=r"no cycle 5 was evaluated \(cycles: 0\)"):
        cissp(dt.date(2026, 6, 1)).plot(cycle=5)


def test_without_matplotlib_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'cperules\[plot\]'"):
        cissp(dt.date(2024, 1, 1)).plot()


def test_a_policy_without_requirements_or_grace_draws_only_the_counted_line(plt: Any) -> None:
    bare = Certification(
        id="test/bare",
        name="Bare",
        body="Test",
        unit="CEU",
        versions=(
            PolicyVersion(effective_from=dt.date(2000, 1, 1), cycle=AnniversaryCycle(years=1)),
        ),
    )
    result = evaluate(
        Holding(certification=bare, earned=dt.date(2024, 1, 1)),
        Ledger([act("a", dt.date(2024, 2, 1), 3)]),
        as_of=dt.date(2025, 6, 1),
    )
    ax = result.plot(cycle=0)
    assert [line.get_label() for line in ax.get_lines()] == ["counted (3 CEU)"]
    assert legend(ax) == ["counted (3 CEU)"]
