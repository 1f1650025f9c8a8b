"""Loading, listing, metadata and golden values of the curated tables."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib.resources import files

import pandas as pd
import pandera.pandas as pa
import pytest

import unodc_metrics as um
from unodc_metrics import schemas

REPORT_PARAGRAPHS = 83


@pytest.mark.parametrize("name", um.TABLES)
def test_every_table_loads_and_validates(name: str) -> None:
    df = um.load(name)
    assert len(df) > 0
    pd.testing.assert_frame_equal(um.validate(df, table=name), df)


@pytest.mark.parametrize("name", um.TABLES)
def test_load_returns_an_independent_copy(name: str) -> None:
    first = um.load(name)
    before = first.copy(deep=True)
    first.iloc[0, 0] = None
    first["id" if "id" in first.columns else first.columns[0]] = "changed"
    pd.testing.assert_frame_equal(um.load(name), before)


def test_validate_does_not_mutate_its_input() -> None:
    df = um.load("trainings").astype({"value": "float64"})
    snapshot = df.copy(deep=True)
    out = um.validate(df, table="trainings")
    pd.testing.assert_frame_equal(df, snapshot)
    assert str(out["value"].dtype) == "Int64"


def test_tables_lists_every_table_with_its_size() -> None:
    overview = um.tables()
    assert list(overview["name"]) == list(um.TABLES)
    assert {"name", "description", "rows"} <= set(overview.columns)
    sizes = dict(zip(overview["name"], overview["rows"], strict=True))
    assert sizes == {name: len(um.load(name)) for name in um.TABLES}
    assert overview["description"].str.len().min() > 20


def test_dtypes_are_nullable_and_typed() -> None:
    df = um.load("trainings")
    assert str(df["value"].dtype) == "Int64"
    assert str(df["female"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(df["phrase"])
    assert pd.api.types.is_datetime64_any_dtype(df["period_start"])
    assert df["sex_split_derived"].dtype == bool
    assert df.loc[df["id"] == "TRN-52a", "female"].isna().all()


@pytest.mark.parametrize("name", um.TABLES)
def test_metadata_matches_the_shipped_file(name: str) -> None:
    meta = um.metadata(name)
    data = files("unodc_metrics.data").joinpath(f"{name}.csv").read_bytes()
    assert meta.sha256 == hashlib.sha256(data).hexdigest(), (
        f"{name}.csv changed: run python datasets/build/update_metadata.py"
    )
    assert meta.title and meta.description and meta.licence
    assert set(meta.units) <= set(um.load(name).columns)
    if meta.kind in ("figures", "registry"):
        assert meta.source is um.REPORT
    else:
        assert "Treaty Collection" in str(meta.source)


def test_metadata_lists_exactly_the_shipped_tables() -> None:
    shipped = {
        p.name[:-4] for p in files("unodc_metrics.data").iterdir() if p.name.endswith(".csv")
    }
    records = json.loads(files("unodc_metrics.data").joinpath("metadata.json").read_text("utf-8"))
    assert shipped == set(records["tables"]) == set(um.TABLES)


def test_report_citation_names_date_and_session() -> None:
    assert um.REPORT.date == dt.date(2022, 7, 22)
    assert um.SOURCE_EDITION == "2022-07-22"
    text = um.REPORT.text()
    for part in ("Eleventh session", "Vienna, 17-21 October 2022", "Report of the Secretariat"):
        assert part in text


def test_parties_carry_the_reference_limits() -> None:
    meta = um.metadata("parties")
    assert meta.limits == um.REFERENCE_LIMITS
    assert any("2023-02-20" in limit for limit in meta.limits)
    parties = um.load("parties")
    assert set(parties["flag"].dropna()) == {"derived_date", "date_unknown", "press_date", "ok"}
    assert parties.loc[~parties["iso3_is_iso3166"], "iso3"].tolist() == ["EUU"]


def test_unknown_table_names_are_refused_with_the_list() -> None:
    with pytest.raises(LookupError, match="trainings"):
        um.load("training")
    with pytest.raises(LookupError):
        um.metadata("nope")
    with pytest.raises(TypeError, match="DataFrame"):
        um.validate([1, 2], table="arrests")  # type: ignore[call-overload]


def all_figures() -> pd.DataFrame:
    return pd.concat(
        [um.load(name).assign(table=name) for name in um.FIGURE_TABLES], ignore_index=True
    )


def test_ids_are_unique_across_tables_and_paragraphs_exist() -> None:
    figs = all_figures()
    assert figs["id"].is_unique
    assert figs["paragraph"].between(1, REPORT_PARAGRAPHS).all()
    prefix = figs["id"].str.split("-").str[0]
    assert (
        figs.groupby("table")["id"].apply(lambda s: s.str.split("-").str[0].nunique()) == 1
    ).all()
    assert (figs["id"].str.slice(len("XXX-"), len("XXX-") + 2).str.lstrip("-") != "").all()
    assert prefix.notna().all()


def test_listed_items_point_at_figures() -> None:
    items = um.load("listed_items")
    assert set(items["figure_id"]) <= set(all_figures()["id"])


def test_each_measure_is_used_and_each_use_is_registered() -> None:
    measures = um.load("measures")
    used = set(map(tuple, all_figures()[["table", "measure"]].drop_duplicates().to_numpy()))
    registered = set(map(tuple, measures[["table", "measure"]].to_numpy()))
    assert used == registered


# Golden values: exact figures of the report.
GOLDEN: dict[str, dict[str, object]] = {
    "TRN-05a": {
        "value": 2776,
        "female": 1138,
        "male": 715,
        "unknown_sex": 919,
        "initiative": "GPTIP",
    },
    "TRN-06a": {
        "value": 1488,
        "female": 553,
        "male": 933,
        "unknown_sex": 2,
        "initiative": "GLO.ACT",
    },
    "TRN-68a": {
        "value": 62,
        "female": 15,
        "female_low": 15,
        "female_high": 15,
        "female_percent": 24,
    },
    "TRN-62a": {"value": 25, "female": 25, "country": "PAK"},
    "RES-05a": {"value": 63, "country": "COL", "status": "rescued"},
    "RES-05d": {"value": 7, "age": "child", "part_of": "RES-05c"},
    "RES-07a": {"value": 22, "initiative": "TRACK4TIP"},
    "RES-63a": {"value": 18, "status": "identified", "country": "MWI"},
    "RES-76b": {"value": 81, "period_text": "between 19 and 31 November 2020"},
    "RES-76c": {"value": 57, "sex": "female", "part_of": "RES-76b"},
    "ARR-05a": {"value": 17},
    "ARR-69a": {"value": 6},
    "ARR-76b": {"value": 13},
    "INV-07a": {"value": 12},
    "CTY-05a": {"value": 49, "qualifier": "at_least", "value_low": 49},
    "MTG-70a": {"value": 35, "qualifier": "more_than", "value_low": 36},
    "KB-47b": {"value": 1575},
    "KB-47d": {"value": 621},
    "PUB-53a": {"value": 80, "qualifier": "over", "value_low": 81},
    "PST-02a": {"value": 178, "period_kind": "stock"},
    "OTH-43a": {"value": 48},
}


@pytest.mark.parametrize("figure_id", sorted(GOLDEN))
def test_golden_values(figure_id: str) -> None:
    row = all_figures().set_index("id").loc[figure_id]
    expectations: dict[str, object] = GOLDEN[figure_id]
    for column, expected in expectations.items():
        assert row[column] == expected, (figure_id, column, row[column])
    if row["qualifier"] != "exact":
        assert pd.isna(row["value_high"])


def test_row_counts_per_table() -> None:
    counts = {name: len(um.load(name)) for name in um.TABLES}
    assert counts == {
        "trainings": 5,
        "rescues": 10,
        "arrests": 4,
        "investigations": 4,
        "countries_reached": 5,
        "meetings": 4,
        "knowledge_base": 6,
        "publications": 4,
        "protocol_status": 2,
        "other_counts": 8,
        "initiatives": 5,
        "measures": 32,
        "listed_items": 23,
        "parties": 183,
    }


def test_the_report_is_recorded_as_stated() -> None:
    """Contradictions are kept and flagged, never corrected."""
    figs = all_figures().set_index("id")
    t = figs.loc["TRN-05a"]
    assert t["value"] - (t["female"] + t["male"] + t["unknown_sex"]) == 4
    assert "parts_short_of_total" in t["flags"]
    nov = figs.loc[["RES-76b", "RES-76c", "RES-76d", "ARR-76b"]]
    assert (nov["flags"] == "nonexistent_date").all()
    assert (nov["period_end"] == pd.Timestamp("2020-11-30")).all()
    assert nov["inferred"].str.contains("period_end").all()
    early = figs.loc[["RES-76a", "ARR-76a"]]
    assert (early["flags"] == "outside_reporting_period").all()
    assert (early["period_end"] < pd.Timestamp(um.REPORTING_PERIOD[0])).all()


def test_inferred_attributes_are_explained() -> None:
    figs = all_figures()
    inferred = figs[figs["inferred"].notna()]
    assert inferred["inferred_reason"].str.len().min() > 20
    # Colombia's year and programme come from the opening of paragraph 5.
    col = figs.set_index("id").loc["RES-05a"]
    assert {"initiative", "period_start"} <= set(col["inferred"].split(","))


def test_schemas_are_public_with_a_description_on_every_field() -> None:
    for name in schemas.__all__:
        model = getattr(schemas, name)
        if not (isinstance(model, type) and issubclass(model, pa.DataFrameModel)):
            continue
        for column, spec in model.to_schema().columns.items():
            assert spec.description, (name, column)
