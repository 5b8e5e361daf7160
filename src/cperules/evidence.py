"""Evidence: the proof a holder keeps for an activity, named from a closed vocabulary.

Bodies audit some of their holders, and every audit asks for proof of each activity
claimed: a certificate of completion, a transcript, an agenda with proof of attendance,
a copy of the publication. An :class:`Evidence` value says which kind of proof the holder
has, when it is dated and a reference to find it by (a certificate number, a file name),
never the document itself: the library reads and stores no files.

>>> import datetime as dt
>>> Evidence(kind="certificate", dated=dt.date(2024, 3, 2), reference="cert #123")
Evidence(kind='certificate', dated=datetime.date(2024, 3, 2), reference='cert #123')
>>> Evidence.from_text("transcript:ACME 2024")
Evidence(kind='transcript', reference='ACME 2024')
>>> evidence_from_text("certificate; agenda:day 1")
(Evidence(kind='certificate'), Evidence(kind='agenda', reference='day 1'))
>>> evidence_to_text(evidence_from_text("certificate; agenda:day 1"))
'certificate; agenda:day 1'
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.days import Day
from cperules.errors import did_you_mean

__all__ = [
    "EVIDENCE_KINDS",
    "Evidence",
    "EvidenceKind",
    "evidence_from_text",
    "evidence_record",
    "evidence_to_text",
    "read_evidence",
]

EvidenceKind = Literal[
    "certificate",
    "transcript",
    "attendance-record",
    "agenda",
    "publication",
    "employer-letter",
    "receipt",
    "syllabus",
    "log",
    "other",
]
"""The kinds of proof: ``certificate`` (of completion or attendance), ``transcript``
(academic or provider), ``attendance-record`` (sign-in sheet, attendance log, the
provider's verification of attendance), ``agenda`` (agenda or programme), ``publication``
(a copy of the published work), ``employer-letter`` (from an employer or supervisor),
``receipt`` (proof of payment or registration), ``syllabus`` (course outline), ``log``
(the holder's own activity log or self-report form), ``other``."""

EVIDENCE_KINDS: tuple[EvidenceKind, ...] = get_args(EvidenceKind)
"""Every evidence kind, in the order of :data:`EvidenceKind`."""


def _known_kind(value: object) -> object:
    """Refuse an unknown kind with the closest known one, before the literal check."""
    if isinstance(value, str):
        stripped = value.strip().lower()
        if stripped not in EVIDENCE_KINDS:
            raise PydanticCustomError(
                "invalid-evidence",
                "expected {expected}",
                {
                    "expected": f"an evidence kind among {', '.join(EVIDENCE_KINDS)}"
                    + did_you_mean(stripped, EVIDENCE_KINDS),
                    "value": value,
                },
            )
        return stripped
    return value


Kind = Annotated[EvidenceKind, BeforeValidator(_known_kind)]
"""An evidence kind, with a "did you mean" for a close misspelling."""


class Evidence(FrozenModel):
    """One proof a holder keeps for an activity: its kind, date and a reference to it.

    Only ``kind`` is required. ``reference`` is the holder's own note for finding the
    document (a certificate number, a file name); the library never reads documents.

    >>> Evidence(kind="certifcate")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Evidence
    kind
      expected an evidence kind among certificate, transcript, attendance-record, agenda, publication, employer-letter, receipt, syllabus, log, other (did you mean 'certificate'?) [type=invalid-evidence, input_value='certifcate', input_type=str]
    """  # noqa: E501

    kind: Kind
    dated: Day | None = None
    reference: Annotated[str, Field(min_length=1)] | None = None

    @classmethod
    def from_text(cls, text: str) -> Evidence:
        """One proof written as ``kind`` or ``kind:reference`` (a records cell's item).

        >>> Evidence.from_text(" receipt : order 42 ")
        Evidence(kind='receipt', reference='order 42')
        """
        kind, colon, reference = text.partition(":")
        reference = reference.strip()
        return cls.model_validate(
            {"kind": kind, "reference": reference if colon and reference else None}
        )

    def to_text(self) -> str:
        """The proof as a records cell's item, ``kind`` or ``kind:reference``.

        The date is not part of the text form (records carry it apart, when at all).

        >>> Evidence(kind="log", reference="2024 log").to_text()
        'log:2024 log'
        """
        return self.kind if self.reference is None else f"{self.kind}:{self.reference}"


def evidence_from_text(text: str) -> tuple[Evidence, ...]:
    """A records cell's proofs: ``kind`` or ``kind:reference`` items separated by ``;``.

    Empty items are skipped, so ``""`` is no proof at all.

    >>> evidence_from_text("")
    ()
    """
    return tuple(Evidence.from_text(item) for item in text.split(";") if item.strip())


def read_evidence(value: object) -> object:
    """An activity's ``evidence`` as given: proofs, one proof, records text, or old free text.

    ``None`` is no proof. Text is read as ``kind`` or ``kind:reference`` items separated
    by ``;`` when each item starts with an evidence kind. Other text is the free-text note
    that ``evidence`` held before proofs had kinds: it is kept whole, as one proof of kind
    ``other`` whose reference is the text, with a :class:`DeprecationWarning` (write
    ``"other:<note>"`` or an :class:`Evidence` instead). A one-word item that is a close
    misspelling of a kind (``certifcate``) is refused with a suggestion, not taken as a
    note.

    >>> read_evidence("certificate:#123")
    (Evidence(kind='certificate', reference='#123'),)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     read_evidence("in the blue folder")
    (Evidence(kind='other', reference='in the blue folder'),)
    >>> caught[0].category.__name__
    'DeprecationWarning'
    """
    if value is None:
        return ()
    if isinstance(value, Evidence | Mapping):
        return (value,)
    if not isinstance(value, str):
        return value
    heads = [item.partition(":")[0].strip().lower() for item in value.split(";") if item.strip()]
    if all(head in EVIDENCE_KINDS for head in heads):
        return evidence_from_text(value)
    for head in heads:
        hint = did_you_mean(head, EVIDENCE_KINDS)
        if head not in EVIDENCE_KINDS and hint and not any(c.isspace() for c in head):
            raise PydanticCustomError(
                "invalid-evidence",
                "expected {expected}",
                {
                    "expected": f"an evidence kind among {', '.join(EVIDENCE_KINDS)}{hint}",
                    "value": value,
                },
            )
    warnings.warn(
        "evidence given as free text is deprecated: it is kept as one proof of kind "
        f"'other' (write 'other:{value.strip()}', or list proofs as 'kind' or "
        "'kind:reference' items separated by ';', or pass Evidence values)",
        DeprecationWarning,
        stacklevel=2,
    )
    return (Evidence(kind="other", reference=value.strip()),)


def evidence_record(evidence: tuple[Evidence, ...]) -> str | list[dict[str, str]]:
    """Proofs as a records cell: text, or a list of dicts when text would lose something.

    Text (:func:`evidence_to_text`) cannot hold a proof's date or a reference with a
    ``;``; then each proof is written as a dict.

    >>> import datetime as dt
    >>> evidence_record((Evidence(kind="receipt", dated=dt.date(2024, 1, 2)),))
    [{'kind': 'receipt', 'dated': '2024-01-02'}]
    """
    if any(item.dated is not None or ";" in (item.reference or "") for item in evidence):
        return [item.model_dump(mode="json", exclude_none=True) for item in evidence]
    return evidence_to_text(evidence)


def evidence_to_text(evidence: tuple[Evidence, ...]) -> str:
    """Proofs as one records cell (see :func:`evidence_from_text`), or ``""`` for none.

    >>> evidence_to_text(())
    ''
    """
    return "; ".join(item.to_text() for item in evidence)
