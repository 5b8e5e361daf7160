"""cperules: continuing-education renewal rules as composable, cited, explained objects.

The public names below are imported on first use, so that ``import cperules`` (and the
pytest plugin, which lives inside the package) stays cheap until something is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cperules import catalog
    from cperules.cases import run_cases
    from cperules.citations import Citation, SourceRef
    from cperules.credits import Conversion, Measure
    from cperules.errors import CperulesError, CycleError, LedgerError, MeasureError, PolicyError
    from cperules.evaluation import evaluate
    from cperules.holders import Holder, Holding, RenewalEvent
    from cperules.ledger import Activity, Ledger
    from cperules.linter import LintFinding, lint
    from cperules.periods import (
        AnniversaryCycle,
        BirthMonthCycle,
        CalendarCycle,
        Cycle,
        CycleSpec,
        FixedCycle,
        Grace,
        Period,
        RollingCycle,
        ScheduledCycle,
        ScheduleGroup,
    )
    from cperules.policy import CategoryNode, Certification, PolicyVersion
    from cperules.policy_format import PolicyFormatError, dump_certification, load_certification
    from cperules.portfolio import PortfolioEvaluation, evaluate_portfolio
    from cperules.results import Evaluation
    from cperules.sharing import Sharing, SharingLimit

_LAZY: dict[str, str] = {
    "catalog": "cperules.catalog",
    "run_cases": "cperules.cases",
    "Conversion": "cperules.credits",
    "Measure": "cperules.credits",
    "CperulesError": "cperules.errors",
    "CycleError": "cperules.errors",
    "LedgerError": "cperules.errors",
    "MeasureError": "cperules.errors",
    "PolicyError": "cperules.errors",
    "evaluate": "cperules.evaluation",
    "Holder": "cperules.holders",
    "Holding": "cperules.holders",
    "RenewalEvent": "cperules.holders",
    "Activity": "cperules.ledger",
    "Ledger": "cperules.ledger",
    "LintFinding": "cperules.linter",
    "lint": "cperules.linter",
    "AnniversaryCycle": "cperules.periods",
    "BirthMonthCycle": "cperules.periods",
    "CalendarCycle": "cperules.periods",
    "Cycle": "cperules.periods",
    "CycleSpec": "cperules.periods",
    "FixedCycle": "cperules.periods",
    "Grace": "cperules.periods",
    "Period": "cperules.periods",
    "RollingCycle": "cperules.periods",
    "ScheduleGroup": "cperules.periods",
    "ScheduledCycle": "cperules.periods",
    "CategoryNode": "cperules.policy",
    "Certification": "cperules.policy",
    "Citation": "cperules.citations",
    "SourceRef": "cperules.citations",
    "PolicyVersion": "cperules.policy",
    "PolicyFormatError": "cperules.policy_format",
    "dump_certification": "cperules.policy_format",
    "load_certification": "cperules.policy_format",
    "PortfolioEvaluation": "cperules.portfolio",
    "evaluate_portfolio": "cperules.portfolio",
    "Evaluation": "cperules.results",
    "Sharing": "cperules.sharing",
    "SharingLimit": "cperules.sharing",
}
"""Each public name and the module that defines it."""

__all__ = [
    "Activity",
    "AnniversaryCycle",
    "BirthMonthCycle",
    "CalendarCycle",
    "CategoryNode",
    "Certification",
    "Citation",
    "Conversion",
    "CperulesError",
    "Cycle",
    "CycleError",
    "CycleSpec",
    "Evaluation",
    "FixedCycle",
    "Grace",
    "Holder",
    "Holding",
    "Ledger",
    "LedgerError",
    "LintFinding",
    "Measure",
    "MeasureError",
    "Period",
    "PolicyError",
    "PolicyFormatError",
    "PolicyVersion",
    "PortfolioEvaluation",
    "RenewalEvent",
    "RollingCycle",
    "ScheduleGroup",
    "ScheduledCycle",
    "Sharing",
    "SharingLimit",
    "SourceRef",
    "__version__",
    "catalog",
    "dump_certification",
    "evaluate",
    "evaluate_portfolio",
    "lint",
    "load_certification",
    "run_cases",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            value: Any = version("cperules")
        except PackageNotFoundError:  # pragma: no cover - only from an uninstalled tree
            value = "0+unknown"
    elif name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = module if module.__name__ == f"cperules.{name}" else getattr(module, name)
    else:
        raise AttributeError(f"module 'cperules' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
