"""cperules: continuing-education renewal rules as composable, cited, explained objects.

The public names below are imported on first use, so that ``import cperules`` (and the
pytest plugin, which lives inside the package) stays cheap until something is used.

The package reads in layers, each importing only from the layers below it (the
``[tool.importlinter]`` contract in ``pyproject.toml`` enforces the order):

- values: :mod:`~cperules.errors`, :mod:`~cperules.credits`, :mod:`~cperules.citations`
  and the model base;
- inputs: :mod:`~cperules.ledger` (activities);
- the policy model: :mod:`~cperules.selectors`, :mod:`~cperules.rules`,
  :mod:`~cperules.periods` (cycle kinds, one a file in
  :mod:`~cperules.cycles`), :mod:`~cperules.sharing`,
  :mod:`~cperules.policy`, then :mod:`~cperules.holders` (a holding names a
  certification) and :mod:`~cperules.describe` (policies in words);
- policy data: :mod:`~cperules.policy_format`, :mod:`~cperules.catalog`;
- results (:mod:`~cperules.results`), the private engine that builds them, and
  :mod:`~cperules.evaluation` and :mod:`~cperules.linter` on top of it;
- :mod:`~cperules.portfolio` (several holdings), :mod:`~cperules.batch` (a whole
  membership, one compact row per holding), :mod:`~cperules.render` (text, HTML,
  Markdown, records, plot), :mod:`~cperules.cases` and :mod:`~cperules.testing`.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what type checkers see; a test checks it against _PUBLIC
    from typing import Any

    from cperules import batch as batch
    from cperules import catalog as catalog
    from cperules import samples as samples
    from cperules.activity import Activity as Activity
    from cperules.audit import Audit as Audit
    from cperules.audit import EvidenceRule as EvidenceRule
    from cperules.audit import Retention as Retention
    from cperules.audit_readiness import AuditReadiness as AuditReadiness
    from cperules.audit_readiness import ready_for_audit as ready_for_audit
    from cperules.cases import run_cases as run_cases
    from cperules.checking import check_ledger as check_ledger
    from cperules.citations import Citation as Citation
    from cperules.citations import SourceRef as SourceRef
    from cperules.credits import Conversion as Conversion
    from cperules.credits import Measure as Measure
    from cperules.cycles import AnniversaryCycle as AnniversaryCycle
    from cperules.cycles import BirthMonthCycle as BirthMonthCycle
    from cperules.cycles import CalendarCycle as CalendarCycle
    from cperules.cycles import Cycle as Cycle
    from cperules.cycles import CycleSpec as CycleSpec
    from cperules.cycles import DayOfYearCycle as DayOfYearCycle
    from cperules.cycles import FixedCycle as FixedCycle
    from cperules.cycles import Grace as Grace
    from cperules.cycles import Period as Period
    from cperules.cycles import RollingCycle as RollingCycle
    from cperules.cycles import ScheduledCycle as ScheduledCycle
    from cperules.cycles import ScheduleGroup as ScheduleGroup
    from cperules.cycles import Suspension as Suspension
    from cperules.errors import ArgumentError as ArgumentError
    from cperules.errors import CperulesError as CperulesError
    from cperules.errors import CycleError as CycleError
    from cperules.errors import LedgerError as LedgerError
    from cperules.errors import MeasureError as MeasureError
    from cperules.errors import PolicyError as PolicyError
    from cperules.evaluation import evaluate as evaluate
    from cperules.evaluation import verdict as verdict
    from cperules.evidence import Evidence as Evidence
    from cperules.holders import Holder as Holder
    from cperules.holders import Holding as Holding
    from cperules.holders import RenewalEvent as RenewalEvent
    from cperules.ledger import Ledger as Ledger
    from cperules.linter import LintFinding as LintFinding
    from cperules.linter import lint as lint
    from cperules.policy import CategoryNode as CategoryNode
    from cperules.policy import Certification as Certification
    from cperules.policy import PolicyVersion as PolicyVersion
    from cperules.policy_format import PolicyFormatError as PolicyFormatError
    from cperules.policy_format import dump_certification as dump_certification
    from cperules.policy_format import load_certification as load_certification
    from cperules.portfolio import PortfolioEvaluation as PortfolioEvaluation
    from cperules.portfolio import evaluate_portfolio as evaluate_portfolio
    from cperules.results import Evaluation as Evaluation
    from cperules.sharing import Sharing as Sharing
    from cperules.sharing import SharingLimit as SharingLimit
    from cperules.verdicts import Verdict as Verdict

_PUBLIC: dict[str, str] = {
    "Activity": "cperules.activity",
    "AnniversaryCycle": "cperules.cycles",
    "ArgumentError": "cperules.errors",
    "Audit": "cperules.audit",
    "AuditReadiness": "cperules.audit_readiness",
    "BirthMonthCycle": "cperules.cycles",
    "CalendarCycle": "cperules.cycles",
    "CategoryNode": "cperules.policy",
    "Certification": "cperules.policy",
    "Citation": "cperules.citations",
    "Conversion": "cperules.credits",
    "CperulesError": "cperules.errors",
    "Cycle": "cperules.cycles",
    "CycleError": "cperules.errors",
    "CycleSpec": "cperules.cycles",
    "DayOfYearCycle": "cperules.cycles",
    "Evaluation": "cperules.results",
    "Evidence": "cperules.evidence",
    "EvidenceRule": "cperules.audit",
    "FixedCycle": "cperules.cycles",
    "Grace": "cperules.cycles",
    "Holder": "cperules.holders",
    "Holding": "cperules.holders",
    "Ledger": "cperules.ledger",
    "LedgerError": "cperules.errors",
    "LintFinding": "cperules.linter",
    "Measure": "cperules.credits",
    "MeasureError": "cperules.errors",
    "Period": "cperules.cycles",
    "PolicyError": "cperules.errors",
    "PolicyFormatError": "cperules.policy_format",
    "PolicyVersion": "cperules.policy",
    "PortfolioEvaluation": "cperules.portfolio",
    "RenewalEvent": "cperules.holders",
    "Retention": "cperules.audit",
    "RollingCycle": "cperules.cycles",
    "ScheduleGroup": "cperules.cycles",
    "ScheduledCycle": "cperules.cycles",
    "Sharing": "cperules.sharing",
    "SharingLimit": "cperules.sharing",
    "SourceRef": "cperules.citations",
    "Suspension": "cperules.cycles",
    "Verdict": "cperules.verdicts",
    "batch": "cperules.batch",
    "catalog": "cperules.catalog",
    "check_ledger": "cperules.checking",
    "dump_certification": "cperules.policy_format",
    "evaluate": "cperules.evaluation",
    "evaluate_portfolio": "cperules.portfolio",
    "lint": "cperules.linter",
    "load_certification": "cperules.policy_format",
    "ready_for_audit": "cperules.audit_readiness",
    "run_cases": "cperules.cases",
    "samples": "cperules.samples",
    "verdict": "cperules.evaluation",
}
"""The one public list: each public name and the module it is imported from on first use."""

__all__ = [*_PUBLIC, "__version__"]  # noqa: PLE0604 - derived from the one list


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name == "__version__":
        # Reading package metadata costs an import and a file read: only when asked.
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            value: Any = version("cperules")
        except PackageNotFoundError:  # pragma: no cover - only from an uninstalled tree
            value = "0+unknown"
    elif name in _PUBLIC:
        module = _importlib.import_module(_PUBLIC[name])
        value = module if module.__name__ == f"cperules.{name}" else getattr(module, name)
    else:
        raise AttributeError(f"module 'cperules' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
