"""Shared fixtures: the report's text, for the tests that check provenance against it, and
the lazy and distributed engines that the aggregations run on."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from unodc_metrics._base.engines import quiet
from unodc_metrics._catalogue import SCHEMA_NAMES
from unodc_metrics.schemas import pandera_schema

# With pyspark installed, pandera tries pyspark.pandas, which warns under pandas 3, when it is
# imported and whenever it builds a schema. The package silences that warning around its own
# calls (pandera_schema); tests and docstrings that call pandera themselves (`.to_schema()`)
# would see it, so every schema is built once here, quietly, before any test runs.
for _table in SCHEMA_NAMES:
    pandera_schema(_table)

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPORT_FILE = SHARED / "seeds" / "000_84e408440e65b4cf.txt"
GLOTIP_FILE = SHARED / "external" / "glotip" / "data_glotip_2025-04-14.xlsx"


def split_paragraphs(text: str) -> dict[int, str]:
    """Split the report into its numbered paragraphs, joining lines broken across pages.

    A paragraph runs from the line that opens with its number ("5. In 2021, ...") to the line
    that opens with the next number. Headings between paragraphs stay with the paragraph
    before them; they hold no figure.
    """
    paragraphs: dict[int, str] = {}
    current: int | None = None
    for line in text.splitlines():
        m = re.match(r"^(\d{1,2})\. (.*)", line)
        if m and int(m.group(1)) == (current or 0) + 1:
            current = int(m.group(1))
            paragraphs[current] = m.group(2)
        elif current is not None and line.strip():
            paragraphs[current] += "\n" + line.strip()
    return paragraphs


@pytest.fixture(scope="session")
def report_paragraphs() -> dict[int, str]:
    """The report's paragraphs by number; skips where ../shared is not beside the checkout."""
    if not REPORT_FILE.is_file():
        pytest.skip(f"the report's text is not at {REPORT_FILE} (a fresh clone without shared/)")
    return split_paragraphs(REPORT_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def glotip_file() -> Path:
    """The real GLOTIP download (the 2025-04-14 edition); skips where ../shared is absent."""
    if not GLOTIP_FILE.is_file():
        pytest.skip(f"the real GLOTIP download is not at {GLOTIP_FILE} (a clone without shared/)")
    return GLOTIP_FILE


# --- lazy and distributed engines ---------------------------------------------------------------

ENGINES = ("polars_lazy", "duckdb", "dask", "pyspark")


@dataclass(frozen=True)
class Engine:
    """How to hand a pandas frame to an engine, and how to bring its result back."""

    name: str
    native: Callable[[pd.DataFrame], Any]
    kind: type

    def to_pandas(self, frame: Any) -> pd.DataFrame:
        """The engine's frame, collected into pandas with its missing values as None."""
        import narwhals as nw

        # Through Arrow: PySpark's own conversion to pandas does not support pandas 3.
        with quiet():  # narwhals warns about its Dask support whenever it reads a Dask frame
            table = nw.from_native(frame).lazy().collect(backend="pyarrow").to_native()
        out: pd.DataFrame = table.to_pandas().astype(object)
        return out.where(out.notna(), None)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local PySpark session; skips where Java or pyspark is missing."""
    if shutil.which("java") is None:
        pytest.skip("PySpark needs Java, and no `java` is on PATH")
    sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed")
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("unodc-metrics-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A dask.distributed client on a LocalCluster of two worker processes."""
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is missing")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a busy default port: the cluster takes another
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    yield client
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.close()
        cluster.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each lazy engine in turn; the aggregations must give pandas' numbers on each."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    def arrow(df: pd.DataFrame) -> Any:
        return pa.Table.from_pandas(df, preserve_index=False)

    if request.param == "polars_lazy":
        pl = pytest.importorskip("polars", reason="polars is not installed")
        return Engine("polars_lazy", lambda df: pl.from_pandas(df).lazy(), pl.LazyFrame)
    if request.param == "duckdb":
        duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
        con = duckdb.connect()
        return Engine("duckdb", lambda df: con.from_arrow(arrow(df)), duckdb.DuckDBPyRelation)
    if request.param == "dask":
        request.getfixturevalue("dask_client")
        dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is missing")
        return Engine("dask", lambda df: dd.from_pandas(df, npartitions=2), dd.DataFrame)
    session = request.getfixturevalue("spark")
    from pyspark.sql import DataFrame as SparkFrame

    return Engine("pyspark", lambda df: session.createDataFrame(arrow(df)), SparkFrame)
