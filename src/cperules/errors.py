"""Exceptions raised by cperules, each with a stable kebab-case code.

Every code in :data:`ErrorCode` has a heading on the reference page
(``docs/reference/errors.md``); a test keeps the two in sync.

Values built directly in Python are validated by pydantic and raise
:class:`pydantic.ValidationError`; where a cperules rule (rather than a type) is broken, the
error's ``type`` is one of these codes too. The entry points that take plain records or
text raise the subclasses below, which locate every problem.

>>> from cperules import Ledger
>>> try:
...     Ledger.from_records([{"id": "a", "title": "T", "completed": "2024-13-01", "credits": 1}])
... except LedgerError as error:
...     print(error.code)
invalid-record
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Literal, get_args

__all__ = [
    "CperulesError",
    "CycleError",
    "ErrorCode",
    "LedgerError",
    "MeasureError",
    "PolicyError",
    "RecordProblem",
]

ErrorCode = Literal[
    "invalid-record",
    "duplicate-activity-id",
    "invalid-activity",
    "invalid-period",
    "invalid-cycle-spec",
    "before-first-cycle",
    "schedule-exhausted",
    "no-schedule-group",
    "unknown-unit",
    "invalid-rule",
    "undeclared-category",
    "duplicate-category",
    "duplicate-rule-id",
    "version-overlap",
    "version-gap",
    "no-policy-version",
    "cycle-spec-changed",
    "unknown-certification",
]
"""Every error code cperules raises."""

ERROR_CODES: tuple[ErrorCode, ...] = get_args(ErrorCode)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string.

    >>> did_you_mean("credts", ["credits", "minutes"])
    " (did you mean 'credits'?)"
    >>> did_you_mean("zzz", ["credits"])
    ''
    >>> did_you_mean("group-a", ["Group-A", "Group-B"])
    " (did you mean 'Group-A'?)"
    """
    options = list(choices)
    by_case = {option.casefold(): option for option in options}
    if word.casefold() in by_case:
        return f" (did you mean {by_case[word.casefold()]!r}?)"
    matches = get_close_matches(word.casefold(), list(by_case), n=1, cutoff=0.6)
    return f" (did you mean {by_case[matches[0]]!r}?)" if matches else ""


class CperulesError(Exception):
    """Base class of every cperules exception; ``code`` says what went wrong.

    >>> CperulesError("schedule ends 2027-01-31", code="schedule-exhausted").code
    'schedule-exhausted'
    """

    code: ErrorCode

    def __init__(self, message: str, *, code: ErrorCode) -> None:
        super().__init__(message)
        self.code = code


class MeasureError(CperulesError, ValueError):
    """A measure was asked to convert something it does not know (code ``unknown-unit``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="unknown-unit")


class PolicyError(CperulesError, ValueError):
    """A certification has no policy version for a date (code ``no-policy-version``)."""


class CycleError(CperulesError, ValueError):
    """Concrete cycles cannot be produced for a holding (see the code for why)."""


class RecordProblem:
    """One located problem in a ledger record: which record, which field, what was wrong.

    >>> problem = RecordProblem(3, "web-7", "credits", "-2", "a credit amount >= 0")
    >>> str(problem)
    "record 3 (id 'web-7'), field 'credits': got '-2'; expected a credit amount >= 0"
    """

    __slots__ = ("code", "expected", "field", "index", "record_id", "value")

    def __init__(
        self,
        index: int,
        record_id: str | None,
        field: str | None,
        value: object,
        expected: str,
        *,
        code: ErrorCode = "invalid-record",
    ) -> None:
        self.index = index
        self.record_id = record_id
        self.field = field
        self.value = value
        self.expected = expected
        self.code: ErrorCode = code

    def __str__(self) -> str:
        where = f"record {self.index}"
        if self.record_id is not None:
            where += f" (id {self.record_id!r})"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: got {self.value!r}; expected {self.expected}"

    def __repr__(self) -> str:
        return (
            f"RecordProblem({self.index!r}, {self.record_id!r}, {self.field!r}, "
            f"{self.value!r}, {self.expected!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecordProblem):
            return NotImplemented
        return repr(self) == repr(other) and self.code == other.code

    def __hash__(self) -> int:
        return hash(repr(self))


class LedgerError(CperulesError, ValueError):
    """Ledger records failed validation; ``problems`` lists every one, located.

    The message names each record by index and id, the field, the value and what was
    expected. ``code`` is ``duplicate-activity-id`` when that is the only kind of problem,
    otherwise ``invalid-record``.
    """

    problems: tuple[RecordProblem, ...]

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        self.problems = tuple(problems)
        codes = {problem.code for problem in self.problems}
        code: ErrorCode = codes.pop() if len(codes) == 1 else "invalid-record"
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in ledger records:"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{header}\n{lines}", code=code)
