"""docs/reference/catalog-table.md lists the bundled catalog as it is (`make catalog-table`)."""

from pathlib import Path

from cperules import catalog
from cperules.catalog import _cell, _url

TABLE = Path(__file__).parents[2] / "docs" / "reference" / "catalog-table.md"
READINGS = Path(__file__).parents[2] / "docs" / "reference" / "catalog-readings.md"


def test_the_committed_catalog_table_is_current() -> None:
    assert TABLE.read_text(encoding="utf-8") == catalog.table_markdown(), (
        "the bundled catalog changed: run `make catalog-table` and commit "
        "docs/reference/catalog-table.md"
    )


def test_the_committed_readings_are_current() -> None:
    assert READINGS.read_text(encoding="utf-8") == catalog.readings_markdown(), (
        "the bundled catalog changed: run `make catalog-table` and commit "
        "docs/reference/catalog-readings.md"
    )


def test_the_readings_list_every_note_of_every_file_once() -> None:
    text = catalog.readings_markdown()
    cissp = catalog.get("isc2/cissp").versions[-1].uncertain
    assert all(_cell(note) in text for note in cissp)
    assert text.count("## `isc2/family (base)`") == 1


def test_the_table_has_a_row_for_every_certification() -> None:
    rows = catalog.table_markdown().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| `{cid}`" for cid in catalog.ids()]
    for row, certification_id in zip(rows, catalog.ids(), strict=True):
        certification = catalog.get(certification_id)
        assert f"| {certification.unit} |" in row
        assert all(
            citation.title.split(" ")[0] in row for citation in certification.versions[-1].citations
        )


def test_cells_and_links_are_inert() -> None:
    assert _cell("a|b <i>*x*</i> [l] `c` \\") == "a\\|b \\<i\\>\\*x\\*\\</i\\> \\[l\\] \\`c\\` \\\\"
    assert _url("https://e.org/a b(1)<2>") == "https://e.org/a%20b%281%29%3C2%3E"
