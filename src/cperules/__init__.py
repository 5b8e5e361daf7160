"""cperules: continuing-education renewal rules as composable, cited, explained objects."""

from importlib.metadata import PackageNotFoundError, version

from cperules.credits import Conversion, Measure
from cperules.errors import CperulesError, CycleError, LedgerError, MeasureError, PolicyError
from cperules.evaluate import evaluate
from cperules.holders import Holder, Holding, RenewalEvent
from cperules.ledger import Activity, Ledger
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
    "Measure",
    "MeasureError",
    "Period",
    "PolicyError",
    "PolicyVersion",
    "RenewalEvent",
    "RollingCycle",
    "ScheduleGroup",
    "ScheduledCycle",
    "__version__",
    "evaluate",
]
