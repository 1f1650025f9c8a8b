"""The charts: each renders to a PNG that is not blank, and shows what the report leaves open.

The charts need matplotlib, from the ``plot`` extra; the test extra installs it.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl
import pytest
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.legend import Legend
from matplotlib.text import Annotation

import unodc_metrics as um
from unodc_metrics import plot
from unodc_metrics.plot import COLOURS, SEX_CATEGORIES, gender_chart, totals_chart

Image = npt.NDArray[np.float32]

SEGMENTS = ("female", "male", "other", "unknown", "unreconciled")
LEGEND_LABELS = [
    "female",
    "male",
    "other",
    "unknown sex (not stated)",
    "unreconciled (parts short of the total)",
]


def render(fig: Figure, dpi: int = 80) -> Image:
    """The figure as PNG bytes, read back as an RGBA array with values from 0 to 1."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")
    buffer.seek(0)
    image: Image = imread(buffer, format="png")
    return image


def assert_not_blank(image: Image) -> None:
    rgb = image[..., :3]
    ink = (rgb < 0.95).any(axis=-1).mean()
    colours = len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert ink > 0.03, f"only {ink:.1%} of the pixels are not white"
    assert colours > 50, f"only {colours} distinct colours"


def pixels_of(image: Image, colour: str) -> int:
    """How many pixels have this colour (to within antialiasing's small shifts)."""
    target = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(image[..., :3] - target) < 0.02).all(axis=-1).sum())


def legend_texts(fig: Figure) -> list[str]:
    legend = fig.axes[0].get_legend()
    assert isinstance(legend, Legend)
    return [t.get_text() for t in legend.get_texts()]


def caption(fig: Figure) -> str:
    text = fig.get_supxlabel()
    return " ".join(text.split())  # the caption is wrapped


def brackets(fig: Figure) -> list[tuple[float, float]]:
    """The (low, high) of each bracket of a gender chart, top to bottom."""
    out = []
    for container in fig.axes[0].containers:
        if isinstance(container, ErrorbarContainer):
            (lines,) = container.lines[2]
            assert isinstance(lines, LineCollection)
            ((x0, _), (x1, _)) = lines.get_segments()[0]
            out.append((float(x0), float(x1)))
    return out


def bars(fig: Figure) -> list[tuple[float, float, float, float]]:
    """The x, y, width and height of each bar, in the order drawn."""
    out = []
    for container in fig.axes[0].containers:
        if isinstance(container, BarContainer):
            for patch in container.patches:
                x, y = patch.get_xy()
                out.append((float(x), float(y), patch.get_width(), patch.get_height()))
    return out


def heights(fig: Figure) -> list[float]:
    return sorted(h for *_, h in bars(fig))


@pytest.fixture(scope="module")
def trainings() -> pd.DataFrame:
    return um.load("trainings")


@pytest.fixture(scope="module")
def by_initiative(trainings: pd.DataFrame) -> Figure:
    return gender_chart(trainings)


@pytest.fixture(scope="module")
def rescues_per_year() -> Figure:
    return totals_chart(um.load("rescues"), table="rescues")


# --- the module is cheap to import -------------------------------------------------------------


def test_the_public_names() -> None:
    assert sorted(plot.__all__) == ["COLOURS", "SEX_CATEGORIES", "gender_chart", "totals_chart"]
    assert SEX_CATEGORIES == SEGMENTS
    assert COLOURS == {
        "female": "#CC79A7",
        "male": "#0072B2",
        "other": "#E69F00",
        "unknown": "#B8B8B8",
        "unreconciled": "#D55E00",
    }


def test_importing_the_module_imports_no_matplotlib() -> None:
    code = (
        "import sys, unodc_metrics, unodc_metrics.plot\n"
        "heavy = sorted({'matplotlib', 'pandas', 'numpy'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_charts_never_touch_pyplot() -> None:
    # Any warning while drawing is an error; loading the tables is not under test here.
    code = (
        "import sys, warnings, unodc_metrics as um\n"
        "from unodc_metrics.plot import gender_chart, totals_chart\n"
        "trainings, rescues = um.load('trainings'), um.load('rescues')\n"
        "warnings.simplefilter('error')\n"
        "gender_chart(trainings)\n"
        "totals_chart(rescues, table='rescues')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_matplotlib_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, trainings: pd.DataFrame
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"unodc-metrics\[plot\]"):
        gender_chart(trainings)
    with pytest.raises(ImportError, match=r"unodc-metrics\[plot\]"):
        totals_chart(trainings, table="trainings")


# --- the gender chart --------------------------------------------------------------------------


def test_gender_chart_renders_a_figure_that_is_not_blank(by_initiative: Figure) -> None:
    assert isinstance(by_initiative, Figure)
    image = render(by_initiative, dpi=120)
    assert_not_blank(image)
    for segment in ("female", "male", "unknown"):
        assert pixels_of(image, COLOURS[segment]) > 200, f"no {segment} segment is visible"
    # Unreconciled is 4 of 2,776 persons: its legend patch and its callout carry its colour.
    assert pixels_of(image, COLOURS["unreconciled"]) > 50


def test_gender_chart_names_unknown_and_unreconciled_in_its_legend(by_initiative: Figure) -> None:
    labels = legend_texts(by_initiative)
    assert labels[:5] == LEGEND_LABELS
    assert any(label.startswith("unknown sex") for label in labels)
    assert any(label.startswith("unreconciled") for label in labels)
    assert "possible share of women (bounds)" in labels


def test_gender_chart_has_one_bar_per_initiative_and_basis(by_initiative: Figure) -> None:
    ax = by_initiative.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "GLO.ACT, to date\nn = 1,488",
        "GLO.ACT, Oct 2020 to Jul 2022\nn = 25",
        "GPTIP, 2021\nn = 2,776",
        "no initiative, until Sep 2021\nn = 97",
    ]
    # Five segments per bar; each bar's segments add up to the whole bar.
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(containers) == len(SEGMENTS)
    widths = np.array([[p.get_width() for p in c.patches] for c in containers])
    assert widths.sum(axis=0) == pytest.approx([1, 1, 1, 1])
    gptip = dict(zip(SEGMENTS, widths[:, 2], strict=True))
    assert gptip["female"] == pytest.approx(1138 / 2776)
    assert gptip["unknown"] == pytest.approx(919 / 2776)
    assert gptip["unreconciled"] == pytest.approx(4 / 2776)
    unreconciled = containers[-1].patches[2]
    assert unreconciled.get_hatch() == "////"


def test_gender_chart_brackets_the_share_of_women_where_it_is_uncertain(
    by_initiative: Figure, trainings: pd.DataFrame
) -> None:
    expected = um.trainees_per_initiative(trainings, unknown="bounds")
    uncertain = expected[expected["female_share_low"] < expected["female_share_high"]]
    assert brackets(by_initiative) == [
        pytest.approx((float(lo), float(hi)))
        for lo, hi in zip(
            uncertain["female_share_low"], uncertain["female_share_high"], strict=True
        )
    ]
    # GPTIP: 1,138 women of 2,776 at least; at most those plus the 919 unknown and 4 unreconciled.
    assert brackets(by_initiative)[1] == pytest.approx((1138 / 2776, (1138 + 919 + 4) / 2776))
    texts = [t.get_text() for t in by_initiative.axes[0].texts]
    assert "women: 41% to 74%" in texts
    assert "women: 37.2% to 37.3%" in texts  # the two unknown of 1,488 barely move it


def test_gender_chart_calls_out_segments_too_small_to_label(by_initiative: Figure) -> None:
    callouts = [a.get_text() for a in by_initiative.axes[0].texts if isinstance(a, Annotation)]
    assert callouts == ["unknown sex: 2", "unreconciled: 4"]


def test_gender_chart_caption_explains_the_segments(by_initiative: Figure) -> None:
    text = caption(by_initiative)
    assert "Unknown sex: persons whose sex the report does not give." in text
    assert "Unreconciled: persons by which the report's parts fall short of its total." in text
    assert "The bracket spans the possible share of women" in text


def test_gender_chart_takes_a_breakdown(trainings: pd.DataFrame) -> None:
    separate = gender_chart(um.gender_breakdown(trainings, by="initiative"))
    ax = separate.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "GLO.ACT\nn = 1,513",
        "GPTIP\nn = 2,776",
        "no initiative\nn = 97",
    ]
    assert brackets(separate) == []
    assert "Make it with unknown='bounds'" in caption(separate)
    assert_not_blank(render(separate, dpi=50))

    bounds = gender_chart(um.gender_breakdown(trainings, by="initiative", unknown="bounds"))
    assert len(brackets(bounds)) == 3

    estimated = gender_chart(um.gender_breakdown(trainings, unknown="proportional"))
    assert "are estimates" in caption(estimated)
    assert any(t.get_text().startswith("~") for t in estimated.axes[0].texts)


def test_gender_chart_takes_polars(trainings: pd.DataFrame, by_initiative: Figure) -> None:
    fig = gender_chart(pl.from_pandas(trainings))
    np.testing.assert_allclose(bars(fig), bars(by_initiative))
    np.testing.assert_allclose(brackets(fig), brackets(by_initiative))


def test_gender_chart_groups_a_table_by_the_given_columns(trainings: pd.DataFrame) -> None:
    fig = gender_chart(trainings, by="period_kind", title="By kind of period")
    labels = [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]
    assert labels == ["calendar year", "cumulative", "date range", "unspecified"]
    assert fig.get_suptitle() == "By kind of period"


def test_gender_chart_writes_out_censored_counts(trainings: pd.DataFrame) -> None:
    # A count censored as GLOTIP's "<5" has bounds and no value: no bar can show it.
    frame = um.gender_breakdown(trainings, by="initiative", unknown="bounds")
    frame["male_low"] = frame["male"]
    frame["male_high"] = frame["male"]
    frame.loc[1, "male"] = pd.NA
    frame.loc[1, ["male_low", "male_high"]] = [713, 717]
    fig = gender_chart(frame)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert (
        "no bar, counts censored: female 1,138, male 713 to 717, other 0, unknown 919, "
        "unreconciled 4" in texts
    )
    widths = [
        [p.get_width() for p in c.patches]
        for c in fig.axes[0].containers
        if isinstance(c, BarContainer)
    ]
    assert [w[1] for w in widths] == [0, 0, 0, 0, 0]
    assert sum(w[0] for w in widths) == pytest.approx(1)
    assert len(brackets(fig)) == 3  # the bounds of the share of women are still known


def test_gender_chart_says_where_the_share_of_women_is_certain(trainings: pd.DataFrame) -> None:
    frame = um.gender_breakdown(trainings, by="initiative", unknown="bounds")
    frame = frame[frame["initiative"] == "GLO.ACT"].reset_index(drop=True)
    frame["female_share_high"] = frame["female_share_low"]
    fig = gender_chart(frame)
    assert brackets(fig) == []
    assert legend_texts(fig) == [*LEGEND_LABELS, "no bracket: the share of women is certain"]


def test_gender_chart_draws_no_bar_for_a_group_of_nobody(trainings: pd.DataFrame) -> None:
    frame = um.gender_breakdown(trainings, by="initiative")
    frame.loc[0, [*SEGMENTS, "total"]] = 0
    fig = gender_chart(frame)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0] == "nothing summed"
    assert "1,138" in texts  # the other groups are labelled as before
    assert [p.get_visible() for p in fig.axes[0].patches][::3] == [False] * 5


def test_gender_chart_refuses_what_it_cannot_draw(trainings: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="trainings table"):
        gender_chart(um.load("rescues"))
    with pytest.raises(ValueError, match="already a breakdown"):
        gender_chart(um.gender_breakdown(trainings), by="initiative")
    with pytest.raises(ValueError, match=r"got the columns: \(none\)"):
        gender_chart([[1, 2]])  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore::polars.exceptions.PerformanceWarning")  # its .columns
def test_the_charts_refuse_lazy_frames(trainings: pd.DataFrame) -> None:
    lazy = pl.from_pandas(um.gender_breakdown(trainings)).lazy()
    with pytest.raises(ValueError, match="expected a pandas or a polars DataFrame; got LazyFrame"):
        gender_chart(lazy)  # type: ignore[arg-type]
    lazy = pl.from_pandas(um.totals_by_year(trainings, table="trainings")).lazy()
    with pytest.raises(ValueError, match="expected a pandas or a polars DataFrame; got LazyFrame"):
        totals_chart(lazy)  # type: ignore[arg-type]


def test_calls_share_no_state(trainings: pd.DataFrame) -> None:
    first = gender_chart(trainings)
    second = gender_chart(trainings)
    assert first is not second
    assert len(first.axes) == len(second.axes) == 1
    assert legend_texts(first) == legend_texts(second)
    assert len(first.axes[0].patches) == len(second.axes[0].patches)


# --- the totals chart --------------------------------------------------------------------------


def test_totals_chart_renders_rescues_per_year(rescues_per_year: Figure) -> None:
    assert isinstance(rescues_per_year, Figure)
    assert_not_blank(render(rescues_per_year))
    ax = rescues_per_year.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    assert legend_texts(rescues_per_year) == ["identified", "rescued"]
    # rescued: 43 + 81 in 2020, 63 + 22 in 2021; identified: 18 in 2021
    assert heights(rescues_per_year) == [18, 85, 124]
    assert ax.get_ylabel() == "victims"


def test_totals_chart_caption_lists_the_rows_left_out(rescues_per_year: Figure) -> None:
    text = caption(rescues_per_year)
    assert (
        "Left out, not summed, as parts of another row: RES-76c, RES-76d, RES-05b, RES-05c, "
        "RES-05d." in text
    )
    assert "A missing bar: the report gives no figure for that group and year." in text


def test_totals_chart_notes_spans_and_rows_in_no_year(trainings: pd.DataFrame) -> None:
    fig = totals_chart(um.totals_by_year(trainings, table="trainings"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2020-2022\n(spans years)"]
    assert heights(fig) == [25, 2838]
    text = caption(fig)
    assert "Hatched bars (2020-2022) sum figures whose period runs across years" in text
    assert "Left out, in no year, as figures 'to date': TRN-06a." in text
    assert "the start or the end of their period is not known: TRN-52a." in text
    assert "period spans years: not split" in legend_texts(fig)
    assert_not_blank(render(fig, dpi=50))


def test_totals_chart_draws_open_upper_bounds_as_arrows() -> None:
    fig = totals_chart(um.load("meetings"), table="meetings")
    ax = fig.axes[0]
    arrows = [a for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]
    assert len(arrows) == 1  # "More than 35 Network members": at least 36, no upper bound
    (arrow,) = arrows
    assert arrow.xy[1] > 36
    assert "no upper bound: at least the lower bound" in legend_texts(fig)
    assert "35\n(at least 36)" in [t.get_text() for t in ax.texts]
    assert "'more than 35' means at least 36" in caption(fig)
    assert_not_blank(render(fig, dpi=50))


def test_totals_chart_draws_bounded_ranges(trainings: pd.DataFrame) -> None:
    frame = um.totals_by_year(trainings, table="trainings")
    ranged = frame.copy()
    ranged.loc[0, "qualifier"] = "approximately"
    ranged.loc[0, "total_low"] = 2800
    ranged.loc[0, "total_high"] = 2900
    fig = totals_chart(ranged)
    errorbars = [c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer)]
    assert len(errorbars) == 1
    assert "possible range (bounds)" in legend_texts(fig)
    assert "2,838\n(2,800 to 2,900)" in [t.get_text() for t in fig.axes[0].texts]


def test_totals_chart_names_a_single_status_in_its_title() -> None:
    rescues = um.load("rescues")
    fig = totals_chart(rescues[rescues["status"] == "rescued"], table="rescues")
    assert fig.get_suptitle() == "Rescued victims, per year"
    assert legend_texts(fig) == ["victims"]
    assert totals_chart(um.load("arrests"), table="arrests", title="T").get_suptitle() == "T"


def test_totals_chart_marks_totals_it_cannot_draw() -> None:
    frame = um.totals_by_year(um.load("rescues"), table="rescues")
    frame["total"] = frame["total"].astype("Float64")
    frame.loc[0, "total"] = pd.NA
    fig = totals_chart(frame)
    assert [t.get_text() for t in fig.axes[0].texts] == ["none\nsummed", "124", "85"]
    frame["years"] = None
    fig = totals_chart(frame)
    assert [t.get_text() for t in fig.axes[0].texts] == ["no figure lies within a year"]
    assert fig.axes[0].get_legend() is None


def test_totals_chart_takes_polars(rescues_per_year: Figure) -> None:
    fig = totals_chart(pl.from_pandas(um.load("rescues")), table="rescues")
    assert bars(fig) == bars(rescues_per_year)


def test_totals_chart_refuses_what_it_cannot_draw(trainings: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="name it"):
        totals_chart(trainings)
    with pytest.raises(ValueError, match="already an output"):
        totals_chart(um.totals_by_year(trainings, table="trainings"), table="trainings")
    with pytest.raises(ValueError, match="not additive"):
        totals_chart(um.load("protocol_status"), table="protocol_status")
    with pytest.raises(ValueError, match="needs the output of totals_by_year"):
        totals_chart(pd.DataFrame({"x": [1]}))


def test_png_files_can_be_written(tmp_path: Path, by_initiative: Figure) -> None:
    path = tmp_path / "chart.png"
    by_initiative.savefig(path)
    assert path.read_bytes().startswith(b"\x89PNG")
