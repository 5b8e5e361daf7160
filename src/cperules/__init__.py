"""cperules: continuing-education renewal rules as composable, cited, explained objects."""

from importlib.metadata import PackageNotFoundError, version

from cperules import catalog
from cperules.cases import run_cases
from cperules.credits import Conversion, Measure
from cperules.errors import CperulesError, CycleError, LedgerError, MeasureError, PolicyError
from cperules.evaluate import evaluate
from cperules.holders import Holder, Holding, RenewalEvent
from cperules.ledger import Activity, Ledger
from cperules.lint import LintFinding, lint
from cperules.periods import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Cycle,
    CycleSpec,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)
from cperules.policy import CategoryNode, Certification, Citation, PolicyVersion
from cperules.policy_format import PolicyFormatError, dump_certification, load_certification
from cperules.results import Evaluation

try:
    __version__ = version("cperules")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

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
    "RenewalEvent",
    "RollingCycle",
    "ScheduleGroup",
    "ScheduledCycle",
    "__version__",
    "catalog",
    "dump_certification",
    "evaluate",
    "lint",
    "load_certification",
    "run_cases",
]
