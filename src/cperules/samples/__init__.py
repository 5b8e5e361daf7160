"""Sample ledgers shipped with the package, for the tutorial, the how-tos and a first try.

They are CSV text, read from the installed package (``importlib.resources``), so the
docs' examples run after ``pip install cperules`` without the source tree; your own
ledger comes from your own file, the same way.

>>> import csv, io
>>> from cperules import Ledger
>>> ledger = Ledger.from_records(csv.DictReader(io.StringIO(text("sample-ledger.csv"))))
>>> len(ledger), names()
(7, ('sample-ledger.csv', 'team-ledgers.csv'))
"""

from __future__ import annotations

from importlib.resources import files

from cperules.errors import ArgumentError, did_you_mean

__all__ = ["names", "text"]


def names() -> tuple[str, ...]:
    """The file names of the sample ledgers, sorted."""
    return tuple(
        sorted(entry.name for entry in files(__name__).iterdir() if entry.name.endswith(".csv"))
    )


def text(name: str) -> str:
    """The text of the sample ledger ``name`` (``"sample-ledger.csv"``).

    ``sample-ledger.csv`` is one CISSP holder's activities (the tutorial's);
    ``team-ledgers.csv`` is a team's sheet with a ``person`` column (the team how-to's).

    Raises:
        ArgumentError: ``name`` is not one of :func:`names`.
    """
    known = names()
    if name not in known:
        raise ArgumentError(
            f"name: expected one of {', '.join(known)}, got {name!r}"
            + did_you_mean(str(name), known)
        )
    return files(__name__).joinpath(name).read_text(encoding="utf-8")
