"""Results made by ``cperules._model.maker`` share one set of fields given, safely."""

from decimal import Decimal

from cperules._model import maker
from cperules.results import Part


def test_instances_made_share_the_set_of_fields_given_which_names_every_field() -> None:
    make = maker(Part)
    one = make("counted", Decimal("2.5"), "A", None, None)
    other = make("capped", Decimal(1), "B", "cap-b", None)
    assert one.model_fields_set is other.model_fields_set
    assert one.model_fields_set == set(Part.model_fields)


def test_a_copy_with_changes_leaves_the_shared_set_and_the_original_alone() -> None:
    make = maker(Part)
    one = make("counted", Decimal("2.5"), "A", None, None)
    other = make("capped", Decimal(1), "B", "cap-b", None)
    shared = set(one.model_fields_set)
    changed = one.model_copy(update={"credits": Decimal(3)})
    assert changed.credits == Decimal(3)
    assert changed.model_fields_set is not one.model_fields_set
    assert one.model_fields_set == other.model_fields_set == shared
    assert (one.credits, other.credits) == (Decimal("2.5"), Decimal(1))
