"""The bundled Trust Services Criteria catalog and the catalog validator (DESIGN.md section 5)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from workbench import paths
from workbench.domain.catalog import Catalog, catalog_to_data, normalize_criterion_id, parse_catalog, read_catalog
from workbench.domain.enums import Category
from workbench.domain.errors import CatalogError
from workbench.services.catalog import bundled_catalog


def _ids(prefix: str, major: int, count: int) -> list[str]:
    return [f"{prefix}{major}.{minor}" for minor in range(1, count + 1)]


# Written out from DESIGN.md section 5, in catalog order.
EXPECTED_IDS: list[str] = [
    *_ids("CC", 1, 5), *_ids("CC", 2, 3), *_ids("CC", 3, 4), *_ids("CC", 4, 2), *_ids("CC", 5, 3),
    *_ids("CC", 6, 8), *_ids("CC", 7, 5), *_ids("CC", 8, 1), *_ids("CC", 9, 2),
    *_ids("A", 1, 3),
    *_ids("C", 1, 2),
    *_ids("PI", 1, 5),
    *_ids("P", 1, 1), *_ids("P", 2, 1), *_ids("P", 3, 2), *_ids("P", 4, 3), *_ids("P", 5, 2), *_ids("P", 6, 7),
    *_ids("P", 7, 1), *_ids("P", 8, 1),
]
EXPECTED_SERIES = [
    "CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9", "A1", "C1", "PI1",
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8",
]
COMMON_CRITERIA_HEADINGS = {
    "CC1": "Control Environment",
    "CC2": "Information and Communication",
    "CC3": "Risk Assessment",
    "CC4": "Monitoring Activities",
    "CC5": "Control Activities",
    "CC6": "Logical and Physical Access Controls",
    "CC7": "System Operations",
    "CC8": "Change Management",
    "CC9": "Risk Mitigation",
}
CATEGORY_OF_PREFIX = {
    "CC": Category.SECURITY,
    "A": Category.AVAILABILITY,
    "C": Category.CONFIDENTIALITY,
    "PI": Category.PROCESSING_INTEGRITY,
    "P": Category.PRIVACY,
}


def _prefix(criterion_id: str) -> str:
    return criterion_id.rstrip("0123456789.")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return read_catalog(paths.catalog_path())


@pytest.fixture
def valid_data(catalog: Catalog) -> dict[str, Any]:
    return copy.deepcopy(catalog_to_data(catalog))


# -- the bundled catalog --------------------------------------------------------------------------------


def test_expected_list_is_the_61_criteria_of_the_design() -> None:
    assert len(EXPECTED_IDS) == 61 == len(set(EXPECTED_IDS))


def test_bundled_catalog_has_exactly_the_61_criteria_in_order(catalog: Catalog) -> None:
    assert [c.id for c in catalog.criteria] == EXPECTED_IDS
    assert len(catalog) == 61


def test_bundled_catalog_is_what_the_services_use(catalog: Catalog) -> None:
    assert [c.id for c in bundled_catalog().criteria] == [c.id for c in catalog.criteria]
    assert paths.catalog_path().name == "tsc-2017.json"


def test_headings_are_not_criteria(catalog: Catalog) -> None:
    for heading in ["CC1.0", "CC9.0", "P1.0", "P8.0", "A1.0", "PI1.0", "C1.0"]:
        assert heading not in catalog


def test_twenty_series_with_the_design_headings(catalog: Catalog) -> None:
    series_titles: dict[str, str] = {}
    for criterion in catalog.criteria:
        series_titles.setdefault(criterion.series, criterion.series_title)
        assert series_titles[criterion.series] == criterion.series_title, "one heading per series"
        assert criterion.id.startswith(criterion.series + ".")
    assert list(series_titles) == EXPECTED_SERIES
    for series, heading in COMMON_CRITERIA_HEADINGS.items():
        assert series_titles[series] == heading
    assert all(title.strip() for title in series_titles.values())


def test_categories_follow_the_id_prefix(catalog: Catalog) -> None:
    for criterion in catalog.criteria:
        assert criterion.category is CATEGORY_OF_PREFIX[_prefix(criterion.id)], criterion.id
    counts = {category: len(catalog.in_scope([category])) for category in Category}
    assert counts == {
        Category.SECURITY: 33,
        Category.AVAILABILITY: 3,
        Category.CONFIDENTIALITY: 2,
        Category.PROCESSING_INTEGRITY: 5,
        Category.PRIVACY: 18,
    }


def test_summaries_are_distinct_and_not_empty(catalog: Catalog) -> None:
    summaries = [c.summary for c in catalog.criteria]
    assert all(s.strip() for s in summaries)
    assert len({" ".join(s.lower().split()) for s in summaries}) == 61


def test_positions_follow_catalog_order(catalog: Catalog) -> None:
    assert [c.position for c in catalog.criteria] == list(range(61))


def test_in_scope_keeps_catalog_order(catalog: Catalog) -> None:
    chosen = catalog.in_scope([Category.AVAILABILITY, Category.SECURITY])
    assert [c.id for c in chosen] == EXPECTED_IDS[:36]


def test_round_trip_through_data_gives_the_same_catalog(catalog: Catalog) -> None:
    again = parse_catalog(json.loads(json.dumps(catalog_to_data(catalog))))
    assert again.criteria == catalog.criteria
    assert (again.name, again.version) == (catalog.name, catalog.version)


# -- the validator ------------------------------------------------------------------------------------


def _criterion(data: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    return next(c for c in data["criteria"] if c["id"] == criterion_id)


def test_duplicate_id_is_refused(valid_data: dict[str, Any]) -> None:
    valid_data["criteria"].append({"id": "CC6.1", "series": "CC6", "summary": "A second CC6.1 with its own words."})
    with pytest.raises(CatalogError, match=r"criterion CC6\.1 appears twice"):
        parse_catalog(valid_data, "test.json")


def test_unknown_series_is_refused(valid_data: dict[str, Any]) -> None:
    valid_data["series"] = [s for s in valid_data["series"] if s["id"] != "A1"]
    with pytest.raises(CatalogError, match=r"criterion A1\.1 names an unknown series 'A1'"):
        parse_catalog(valid_data, "test.json")


@pytest.mark.parametrize(("heading", "series"), [("CC1.0", "CC1"), ("P1.0", "P1"), ("CC9.0", "CC9")])
def test_heading_style_ids_are_refused(valid_data: dict[str, Any], heading: str, series: str) -> None:
    valid_data["criteria"].append({"id": heading, "series": series, "summary": "A heading posing as a criterion."})
    with pytest.raises(CatalogError, match="bad id") as caught:
        parse_catalog(valid_data, "test.json")
    assert f"bad id '{heading}'" in caught.value.why


def test_duplicate_summary_is_refused_even_with_other_case_and_spacing(valid_data: dict[str, Any]) -> None:
    first = _criterion(valid_data, "CC1.1")["summary"]
    _criterion(valid_data, "CC2.3")["summary"] = "  " + first.upper().replace(" ", "   ") + " "
    with pytest.raises(CatalogError, match=r"criterion CC2\.3 repeats the summary of CC1\.1"):
        parse_catalog(valid_data, "test.json")


def test_bad_category_is_refused(valid_data: dict[str, Any]) -> None:
    next(s for s in valid_data["series"] if s["id"] == "PI1")["category"] = "integrity"
    with pytest.raises(CatalogError, match=r"series PI1 has an unknown category 'integrity'"):
        parse_catalog(valid_data, "test.json")


def test_criterion_in_the_wrong_series_is_refused(valid_data: dict[str, Any]) -> None:
    _criterion(valid_data, "CC6.1")["series"] = "CC7"
    with pytest.raises(CatalogError, match=r"criterion CC6\.1 does not belong to series CC7"):
        parse_catalog(valid_data, "test.json")


def test_empty_summary_is_refused(valid_data: dict[str, Any]) -> None:
    _criterion(valid_data, "C1.2")["summary"] = "   "
    with pytest.raises(CatalogError, match=r"criterion C1\.2 has no summary"):
        parse_catalog(valid_data, "test.json")


def test_error_names_the_source(valid_data: dict[str, Any]) -> None:
    del valid_data["criteria"]
    with pytest.raises(CatalogError) as caught:
        parse_catalog(valid_data, "my-catalog.json")
    assert caught.value.what == "my-catalog.json"
    assert str(caught.value) == "my-catalog.json : missing key 'criteria'"


def test_read_catalog_names_a_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        read_catalog(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot be read as JSON") as caught:
        read_catalog(broken)
    assert caught.value.what == str(broken)


# -- loosely written ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cc 6.1", "CC6.1"),
        ("CC6.1", "CC6.1"),
        ("  cc6 . 1 ", "CC6.1"),
        ("SOC 2 CC6.1", "CC6.1"),
        ("soc2 cc7.2", "CC7.2"),
        ("PI1.2", "PI1.2"),
        ("pi 1.5", "PI1.5"),
        ("p6.7", "P6.7"),
        ("a1.1", "A1.1"),
        ("C1.2", "C1.2"),
        ("CC06.01", "CC6.1"),
    ],
)
def test_normalize_criterion_id_accepts_loose_forms(text: str, expected: str) -> None:
    assert normalize_criterion_id(text) == expected


@pytest.mark.parametrize("text", ["", "junk", "CC", "CC6", "6.1", "XX6.1", "CC6.1a", "ISO 27001 A.5.1", "CC-6-1"])
def test_normalize_criterion_id_rejects_junk(text: str) -> None:
    assert normalize_criterion_id(text) is None
