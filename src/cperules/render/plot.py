"""The progress picture: cumulative counted credit against the pace (needs matplotlib)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cperules.credits import format_credits
from cperules.render._shared import _status_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cperules.results import (
        CycleResult,
        Evaluation,
        RequirementResult,
    )

# --- the progress picture ---------------------------------------------------------------

PLOT_EXTRA = "pip install 'cperules[plot]'"


def plot_evaluation(
    evaluation: Evaluation,
    ax: Axes | None = None,
    cycle: int | dt.date | CycleResult | None = None,
) -> Axes:
    """Draw cumulative counted credit over a cycle against the pace and the requirement.

    ``cycle`` is a cycle index (0 is the first, as on screen), a day in the cycle's
    period or a :class:`CycleResult`; by default the governing cycle. Counted credit steps
    up on each activity's completion date (credit carried in starts the line at the
    cycle's first day); a dashed line is the
    straight-line pace towards the cycle's overall requirement and a dotted line the
    requirement itself. Capped and carried-out credit and the grace window are marked,
    and ``as_of`` is a vertical line. matplotlib is imported only here.

    >>> import datetime as dt
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # no window: draw to an image
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
    ...                   as_of=dt.date(2024, 6, 1))
    >>> ax = plot_evaluation(result)
    >>> [line.get_label() for line in ax.get_lines()]
    ['counted (0 CPE)', 'straight-line pace', 'requirement total (120 CPE)', 'as of 2024-06-01']

    Raises:
        ImportError: matplotlib is not installed (the message names the extra).
        IndexError: no cycle with that index (or holding that day) was evaluated.
    """
    try:
        import matplotlib.dates as mdates  # noqa: PLC0415 - optional, imported on use
        import matplotlib.pyplot as plt  # noqa: PLC0415 - optional, imported on use
    except ImportError as error:
        raise ImportError(
            f"Evaluation.plot() needs matplotlib: {PLOT_EXTRA} (or pip install matplotlib)"
        ) from error
    chosen = _chosen_cycle(evaluation, cycle)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    unit = evaluation.unit
    start, end = chosen.period.start, chosen.period.end
    steps = _steps(chosen)
    last = max([end, *(day for day, _ in steps)])
    if chosen.grace is not None and last > end:
        last = max(last, chosen.grace.end)
    xs: list[dt.date] = [start]
    ys: list[float] = [0.0]
    for day, total in steps:
        xs += [day, day]
        ys += [ys[-1], float(total)]
    stop = min(max(evaluation.as_of, start), last)
    if xs[-1] < stop:
        xs.append(stop)
        ys.append(ys[-1])
    counted = steps[-1][1] if steps else Decimal(0)
    ax.plot(
        _dates(xs),
        ys,
        color="#1565c0",
        linewidth=2,
        label=f"counted ({format_credits(counted, unit)})",
    )
    goal = _overall(chosen)
    if goal is not None:
        ax.plot(
            _dates([start, end]),
            [0, float(goal.required)],
            linestyle="--",
            color="gray",
            label="straight-line pace",
        )
        ax.axhline(
            float(goal.required),
            linestyle=":",
            color="black",
            label=f"requirement {goal.id} ({format_credits(goal.required, unit)})",
        )
    _mark(ax, chosen, unit, steps)
    if chosen.grace is not None:
        ax.axvspan(
            _dates(chosen.grace.start),
            _dates(chosen.grace.end),
            color="#9a4d00",
            alpha=0.12,
            label="grace window",
        )
    if start <= evaluation.as_of <= last:
        ax.axvline(
            _dates(evaluation.as_of),
            color="#c62828",
            linewidth=1,
            label=f"as of {evaluation.as_of}",
        )
    ax.set_title(
        f"{evaluation.certification}: cycle {chosen.index}, {chosen.period} "
        f"({_status_words(chosen.status)})"
    )
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]  # untyped module
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]  # untyped module
    )
    ax.set_ylabel(f"cumulative {unit}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize="small")
    return ax


def _dates(value: object) -> Any:
    """Dates as matplotlib takes them: its unit converters accept dates, its stubs only numbers."""
    return value


def _chosen_cycle(evaluation: Evaluation, cycle: int | dt.date | CycleResult | None) -> CycleResult:
    if cycle is None:
        return evaluation.governing
    if isinstance(cycle, int | dt.date):
        return evaluation.cycle(cycle)
    return cycle


def _overall(cycle: CycleResult) -> RequirementResult | None:
    """The requirement the pace is drawn for: the largest over the whole cycle."""
    whole = [req for req in cycle.requirements if req.period == cycle.period]
    return max(whole, key=lambda req: req.required, default=None)


def _steps(cycle: CycleResult) -> list[tuple[dt.date, Decimal]]:
    """Cumulative counted credit after each day on which some counted.

    Credit carried in counts from the cycle's first day.
    """
    start = cycle.period.start
    added: dict[dt.date, Decimal] = {}
    for outcome in cycle.activities:
        for part in outcome.parts:
            if part.reason in {"counted", "carried-in"}:
                day = start if part.reason == "carried-in" else max(outcome.completed, start)
                added[day] = added.get(day, Decimal(0)) + part.credits
    total = Decimal(0)
    steps = []
    for day in sorted(added):
        total += added[day]
        steps.append((day, total))
    return steps


def _mark(
    ax: Axes, cycle: CycleResult, unit: str, steps: Sequence[tuple[dt.date, Decimal]]
) -> None:
    """Mark capped and carried-out credit on the counted line at the activity's date."""
    styles = {
        "capped": ("x", "#c62828", "capped (not counted)"),
        "carried-out": ("^", "#2e7d32", "carried out to the next cycle"),
        "carried-in": ("v", "#2e7d32", "carried in from the previous cycle"),
    }
    labelled: set[str] = set()
    start = cycle.period.start
    for outcome in cycle.activities:
        for part in outcome.parts:
            if part.reason not in styles:
                continue
            marker, colour, label = styles[part.reason]
            day = start if part.reason == "carried-in" else max(outcome.completed, start)
            height = next((total for when, total in reversed(steps) if when <= day), Decimal(0))
            ax.scatter(
                _dates([day]),
                [float(height)],
                marker=marker,
                color=colour,
                zorder=3,
                label=None if part.reason in labelled else label,
            )
            ax.annotate(
                f"{outcome.activity_id}: {format_credits(part.credits)} {part.reason}"
                + (" (planned)" if outcome.hypothetical else ""),
                (day, float(height)),
                textcoords="offset points",
                xytext=(5, -11 - 9 * (len(ax.texts) % 3)),  # staggered, so neighbours stay legible
                fontsize="x-small",
            )
            labelled.add(part.reason)
