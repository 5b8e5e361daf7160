"""Rendering of results, ledgers and policies: text, HTML, Markdown, records and a plot.

This is the one public façade of the rendering layer; each form lives in its own module
(:mod:`~cperules.render.text`, :mod:`~cperules.render.html` with its blocks in
:mod:`~cperules.render.html_blocks`, :mod:`~cperules.render.markdown`,
:mod:`~cperules.render.records`, :mod:`~cperules.render.plot`; audit readiness in all
four forms in :mod:`~cperules.render.audit`). Policies in words come from
:mod:`cperules.describe`, a lower layer that the catalog uses too. Values never import this
package: their ``str()``, ``_repr_html_``, ``to_records()`` and ``plot()`` reach it by name
(see :func:`cperules._model.render`), and nothing here solves anything again: a result's
plan is computed once and kept on the result.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> "in progress" in evaluation_html(result)
True
>>> evaluation_records(result)
[]
"""

from cperules.describe import (
    describe_cycle,
    describe_measure,
    describe_rule,
    describe_selector,
    describe_total,
)
from cperules.render.audit import audit_html, audit_markdown, audit_records, audit_text
from cperules.render.html import (
    certification_html,
    cycle_html,
    evaluation_html,
    ledger_html,
    portfolio_html,
)
from cperules.render.html_blocks import (
    STYLE,
    activity_table,
    banner,
    cycle_section,
    deadlines,
    html_view,
    progress_bar,
    requirement_table,
    status_badge,
)
from cperules.render.markdown import cycle_markdown, evaluation_markdown
from cperules.render.plot import plot_evaluation
from cperules.render.records import (
    ActivityRecord,
    PartRecord,
    RecordsBy,
    RequirementRecord,
    evaluation_records,
)
from cperules.render.text import activity_story, evaluation_text

__all__ = [
    "STYLE",
    "ActivityRecord",
    "PartRecord",
    "RecordsBy",
    "RequirementRecord",
    "activity_story",
    "activity_table",
    "audit_html",
    "audit_markdown",
    "audit_records",
    "audit_text",
    "banner",
    "certification_html",
    "cycle_html",
    "cycle_markdown",
    "cycle_section",
    "deadlines",
    "describe_cycle",
    "describe_measure",
    "describe_rule",
    "describe_selector",
    "describe_total",
    "evaluation_html",
    "evaluation_markdown",
    "evaluation_records",
    "evaluation_text",
    "html_view",
    "ledger_html",
    "plot_evaluation",
    "portfolio_html",
    "progress_bar",
    "requirement_table",
    "status_badge",
]
