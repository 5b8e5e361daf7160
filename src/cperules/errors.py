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

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

__all__ = [
    "ArgumentError",
    "CperulesError",
    "CycleError",
    "ErrorCode",
    "LedgerError",
    "MeasureError",
    "PolicyError",
    "RecordProblem",
    "ReplayError",
]

ErrorCode = Literal[
    "invalid-record",
    "duplicate-activity-id",
    "invalid-activity",
    "invalid-evidence",
    "invalid-period",
    "invalid-cycle-spec",
    "before-first-cycle",
    "not-a-cycle-boundary",
    "invalid-carried-in",
    "schedule-exhausted",
    "no-schedule-group",
    "unknown-unit",
    "invalid-rule",
    "undeclared-category",
    "duplicate-category",
    "duplicate-rule-id",
    "duplicate-citation-id",
    "unknown-citation",
    "version-overlap",
    "version-gap",
    "no-policy-version",
    "cycle-spec-changed",
    "unknown-certification",
    "policy-syntax",
    "invalid-policy",
    "unknown-base",
    "invalid-extends",
    "duplicate-holding",
    "invalid-argument",
    "day-out-of-range",
    "beyond-limits",
    "not-replayable",
    "unknown-holder",
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
    # Imported here: only a suggestion needs difflib (start-up cost of every import).
    from difflib import get_close_matches  # noqa: PLC0415

    matches = get_close_matches(word.casefold(), list(by_case), n=1, cutoff=0.6)
    return f" (did you mean {by_case[matches[0]]!r}?)" if matches else ""


_PLAIN_EXPECTATIONS: dict[str, str] = {
    "missing": "a value (this key is required)",
    "decimal_parsing": "a number such as 1.5",
    "decimal_type": "a number such as 1.5",
    "finite_number": "a number such as 1.5",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_type": "a whole number",
    "string_too_short": "a non-empty string",
    "string_type": "a string",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


def expected_in_words(kind: str, ctx: Mapping[str, Any], message: str, value: object) -> str:
    """What a value should have been, in plain words, for one of pydantic's error kinds.

    Our own rule errors carry their expectation in ``ctx["expected"]``; literal and tag
    errors get a "did you mean" when the value is close to an allowed one.

    >>> expected_in_words("greater_than_equal", {"ge": 0}, "", -1)
    'a number >= 0'
    >>> expected_in_words("literal_error", {"expected": "'course' or 'book'"}, "", "cource")
    "one of course, book (did you mean 'course'?)"
    """
    if kind in _PLAIN_EXPECTATIONS:
        return _PLAIN_EXPECTATIONS[kind]
    if kind.startswith("date"):
        return "an ISO date such as 2024-05-01"
    if "expected" in ctx and kind in ERROR_CODES:
        return str(ctx["expected"])
    shaped = _shaped_expectation(kind, ctx, value)
    if shaped is not None:
        return shaped
    return message[0].lower() + message[1:] if message else kind


_BOUNDS = {
    "greater_than_equal": ">=",
    "greater_than": ">",
    "less_than_equal": "<=",
    "less_than": "<",
}


def _shaped_expectation(kind: str, ctx: Mapping[str, Any], value: object) -> str | None:
    """Expectations that quote the constraint: bounds, lengths, allowed values."""
    if kind in _BOUNDS:
        limit = next(v for k, v in ctx.items() if k in {"ge", "gt", "le", "lt"})
        return f"a number {_BOUNDS[kind]} {limit}"
    if kind == "too_short":
        return f"at least {ctx.get('min_length', 1)} item(s)"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        return f"one of {', '.join(choices)}{hint}"
    return None


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


class ArgumentError(CperulesError, TypeError):
    """A function was passed an argument of the wrong type or out of range.

    The message names the argument, what was passed and what to pass instead. It is a
    :class:`TypeError` too (code ``invalid-argument``; ``day-out-of-range`` for a date
    outside the range the library accepts).

    >>> raise ArgumentError("as_of: expected a datetime.date, got the str '2025-01-01'")
    Traceback (most recent call last):
    ...
    cperules.errors.ArgumentError: as_of: expected a datetime.date, got the str '2025-01-01'
    """

    def __init__(self, message: str, *, code: ErrorCode = "invalid-argument") -> None:
        super().__init__(message, code=code)


class ReplayError(CperulesError, RuntimeError):
    """A result cannot replay the run that made it (code ``not-replayable``).

    An :class:`~cperules.results.Evaluation` rebuilt from its data keeps no ledger, so
    ``remaining()``, ``what_if()`` and ``cycle_years()`` cannot work on it; the message
    says why and what to do instead. It is a :class:`RuntimeError` too, as this
    situation was before it had a code.

    >>> raise ReplayError("remaining() needs the run that made this evaluation")
    Traceback (most recent call last):
    ...
    cperules.errors.ReplayError: remaining() needs the run that made this evaluation
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not-replayable")


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
    expected; its first line holds the first problem (all of them follow, one a line,
    when there are several). ``code`` is ``duplicate-activity-id`` when that is the only
    kind of problem, otherwise ``invalid-record``.
    """

    problems: tuple[RecordProblem, ...]

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        self.problems = tuple(problems)
        codes = {problem.code for problem in self.problems}
        code: ErrorCode = codes.pop() if len(codes) == 1 else "invalid-record"
        count = len(self.problems)
        if count == 1:
            message = str(self.problems[0])
        else:
            lines = "\n".join(f"  - {problem}" for problem in self.problems)
            message = f"{self.problems[0]} (1 of {count} problems in ledger records)\n{lines}"
        super().__init__(message, code=code)
