import datetime as dt

import pytest
from pydantic import ValidationError

from cperules import Holder, Holding, RenewalEvent


def test_holding_defaults_and_round_trip() -> None:
    holding = Holding(
        certification="isc2/cissp",
        earned=dt.date(2023, 3, 1),
        holder=Holder(birth_date=dt.date(1985, 7, 14), family_name="Okafor"),
        events=(RenewalEvent(kind="exam", date=dt.date(2026, 1, 10)),),
    )
    assert Holding.model_validate(holding.model_dump()) == holding
    assert Holding.model_validate_json(holding.model_dump_json()) == holding
    assert Holding(certification="x", earned=dt.date(2020, 1, 1)).holder == Holder()


def test_reprs_are_sparse() -> None:
    assert repr(Holder()) == "Holder()"
    assert repr(Holding(certification="x", earned=dt.date(2020, 1, 1))) == (
        "Holding(certification='x', earned=datetime.date(2020, 1, 1))"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"certification": "", "earned": "2020-01-01"},
        {"certification": "x", "earned": "2020-02-30"},
        {"certification": "x", "earned": "2020-01-01", "holdr": {}},
        {
            "certification": "x",
            "earned": "2020-01-01",
            "events": [{"kind": "party", "date": "2020-01-01"}],
        },
    ],
)
def test_bad_holdings_are_rejected(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Holding.model_validate(data)
