"""The charts: each renders to a PNG that is not blank, and shows what the report leaves open.

A chart never draws a total that may count the same persons twice as one bar: it draws the
interval. A bar drawn as a share says what its denominator is. A count that no row states is
not drawn as 0. The charts need matplotlib, from the ``plot`` extra; the test extra
installs it. The tests on the real GLOTIP download skip where it is absent.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
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
from matplotlib.text import Annotation, Text

import unodc_metrics as um
from unodc_metrics import plot
from unodc_metrics.plot import COLOURS, SEX_CATEGORIES, gender_chart, totals_chart

Image = npt.NDArray[np.float32]

GLOTIP_FILE = (
    Path(__file__).resolve().parents[2] / "shared" / "external" / "glotip"
) / "data_glotip_2025-04-14.xlsx"

SEGMENTS = ("female", "male", "other", "unknown", "unreconciled")
LEGEND_LABELS = [
    "female",
    "male",
    "other",
    "unknown sex (not stated)",
    "unreconciled (parts short of the total)",
]
LEAST, MAY_ADD = "total is a range: its least total", "total is a range: what it may add"
BOUNDED = "sex known only as a range (censored)"
EN_DASH = "\u2013"


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


def assert_nothing_cut_off(fig: Figure) -> None:
    """Every text of the figure lies wholly inside it, once drawn: no label is cut off."""
    fig.canvas.draw()  # lays the figure out, as savefig does at the figure's dpi
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.bbox
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    for text in texts:
        extent = text.get_window_extent(renderer)
        inside = (
            extent.x0 >= box.x0 - 1
            and extent.x1 <= box.x1 + 1
            and extent.y0 >= box.y0 - 1
            and extent.y1 <= box.y1 + 1
        )
        assert inside, f"cut off: {text.get_text()!r} at {extent}, figure {box}"


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


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def tick_labels(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


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


def widths(fig: Figure) -> dict[str, list[float]]:
    """The width of each bar of each container of a gender chart, by the container's label."""
    return {
        str(c.get_label()): [float(p.get_width()) for p in c.patches]
        for c in fig.axes[0].containers
        if isinstance(c, BarContainer)
    }


def heights(fig: Figure) -> list[float]:
    return sorted(h for *_, h in bars(fig))


def glotip_file(lines: list[tuple[str, str, str, str, object]]) -> pd.DataFrame:
    """A made-up GLOTIP download: (iso3 and country, sex, age, year, value) per line."""
    header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,"
    header += "Unit of measurement,txtVALUE,Source"
    place = ",Europe,Western Europe,Detected trafficking victims,Total,Total,"
    text = [header] + [f"{c}{place}{s},{a},{y},Counts,{v},GLOTIP" for c, s, a, y, v in lines]
    return um.read_glotip(io.StringIO("\n".join(text) + "\n"))


@pytest.fixture(scope="module")
def trainings() -> pd.DataFrame:
    return um.load("trainings")


@pytest.fixture(scope="module")
def by_initiative(trainings: pd.DataFrame) -> Figure:
    return gender_chart(trainings)


@pytest.fixture(scope="module")
def all_rows(trainings: pd.DataFrame) -> Figure:
    """One bar per basis: the period figures hold rows that may count the same persons."""
    return gender_chart(um.gender_breakdown(trainings, unknown="bounds"))


@pytest.fixture(scope="module")
def rescues_per_year() -> Figure:
    return totals_chart(um.load("rescues"), table="rescues")


@pytest.fixture(scope="module")
def censored() -> pd.DataFrame:
    """22 victims in the Netherlands: 17 women, fewer than 5 men, fewer than 5 of unknown sex."""
    nld = "NLD,Netherlands"
    return glotip_file(
        [
            (nld, "Total", "Total", "2022", 22),
            (nld, "Female", "Total", "2022", 17),
            (nld, "Male", "Total", "2022", "<5"),
            (nld, "Unknown", "Unknown", "2022", "<5"),
        ]
    )


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
        "gender_chart(trainings).savefig(sys.argv[1] + '/g.png')\n"
        "gender_chart(um.gender_breakdown(trainings, unknown='bounds'))"
        ".savefig(sys.argv[1] + '/r.png')\n"
        "totals_chart(rescues, table='rescues').savefig(sys.argv[1] + '/t.png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-c", code, folder], check=True)


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


def test_gender_chart_cuts_off_no_label(
    by_initiative: Figure, all_rows: Figure, censored: pd.DataFrame
) -> None:
    assert_nothing_cut_off(by_initiative)
    assert_nothing_cut_off(all_rows)
    assert_nothing_cut_off(gender_chart(censored, by="year"))
    assert_nothing_cut_off(gender_chart(censored, by="year", width=5.0))


def test_gender_chart_names_unknown_and_unreconciled_in_its_legend(by_initiative: Figure) -> None:
    labels = legend_texts(by_initiative)
    assert labels[:5] == LEGEND_LABELS
    assert "possible share of women (bounds)" in labels
    # No bar of the curated trainings by initiative is a range, or has censored counts.
    assert not {LEAST, MAY_ADD, BOUNDED} & set(labels)


def test_gender_chart_has_one_bar_per_output_row(by_initiative: Figure) -> None:
    labels = tick_labels(by_initiative)
    # Each bar says its denominator, n, and its basis: 1,488 to date and 25 of a period are
    # two bars, never one of 1,513.
    assert labels[:3] == [
        "GLO.ACT\nn = 1,488 (to date)",
        "GLO.ACT\nn = 25 (Oct 2020 to Jul 2022)",
        "GPTIP\nn = 2,776 (2021)",
    ]
    # Rows without an initiative are bars of their own, named by their id and description,
    # not one group of unrelated figures.
    assert labels[3].startswith("TRN-52a: Thai judges trained\nbefore the launch")
    assert labels[3].endswith("\nn = 35 (until Oct 2020)")
    assert labels[4].startswith("TRN-68a: Participants in the\ninter-regional workshop")
    assert labels[4].endswith("\nn = 62 (1 to 2 Sep 2021)")
    assert not any("1,513" in label or "97" in label for label in labels)
    assert not any("no initiative" in label for label in labels)


def test_gender_chart_draws_the_stated_counts_as_shares(by_initiative: Figure) -> None:
    ax = by_initiative.axes[0]
    # Five segments, always drawn; each bar's segments add up to the whole bar.
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [c.get_label() for c in containers] == LEGEND_LABELS
    drawn = np.array([[p.get_width() for p in c.patches] for c in containers])
    assert drawn.sum(axis=0) == pytest.approx([1, 1, 1, 1, 1])
    gptip = dict(zip(SEGMENTS, drawn[:, 2], strict=True))
    assert gptip["female"] == pytest.approx(1138 / 2776)
    assert gptip["male"] == pytest.approx(715 / 2776)
    assert gptip["unknown"] == pytest.approx(919 / 2776)
    assert gptip["unreconciled"] == pytest.approx(4 / 2776)
    assert containers[-1].patches[2].get_hatch() == "////"
    # TRN-68a: 15 women (from "24 per cent") of 62, the other 47 of unknown sex.
    trn68 = dict(zip(SEGMENTS, drawn[:, 4], strict=True))
    assert trn68["female"] == pytest.approx(15 / 62)
    assert trn68["unknown"] == pytest.approx(47 / 62)
    assert "15*" in texts(by_initiative)
    assert "derived from a percentage that the report states (TRN-68a)" in caption(by_initiative)


def test_gender_chart_never_draws_a_missing_count_as_0(by_initiative: Figure) -> None:
    ax = by_initiative.axes[0]
    male = next(c for c in ax.containers if c.get_label() == "male")
    assert isinstance(male, BarContainer)
    # GLO.ACT's 25 officers of a period: 25 women, no count of men; TRN-52a: no count by sex.
    assert [p.get_visible() for p in male.patches] == [True, False, True, False, False]
    assert widths(by_initiative)["unknown sex (not stated)"][3] == pytest.approx(1.0)
    assert "35: no split by sex" in texts(by_initiative)
    text = caption(by_initiative)
    assert "Not stated by any row, so not drawn (and not 0)." in text
    assert "Men: GLO.ACT (Oct 2020 to Jul 2022), TRN-68a." in text
    assert "Other sex: in every bar." in text
    assert "No count by sex at all (no split by sex): TRN-52a." in text
    assert "no bar" not in " ".join(texts(by_initiative))


def test_gender_chart_says_what_the_shares_are_over(by_initiative: Figure) -> None:
    text = caption(by_initiative)
    assert "drawn as shares of its own total, n: all bars have the same length" in text
    assert "the counts are not to scale; n beside each bar is what its shares are over" in text
    assert "not to scale" in by_initiative.axes[0].get_xlabel()
    known = gender_chart(um.gender_breakdown(um.load("trainings"), unknown="known_only"))
    assert "The breakdown's own shares are over the persons of known sex (share_of)" in caption(
        known
    )


def test_gender_chart_brackets_the_share_of_women_where_it_is_uncertain(
    by_initiative: Figure, trainings: pd.DataFrame
) -> None:
    expected = um.trainees_per_initiative(trainings, unknown="bounds")
    uncertain = expected[expected["female_share_low"] < expected["female_share_high"]]
    assert len(uncertain) == 3
    assert brackets(by_initiative) == [
        pytest.approx((float(lo), float(hi)))
        for lo, hi in zip(
            uncertain["female_share_low"], uncertain["female_share_high"], strict=True
        )
    ]
    # GPTIP: 1,138 women of 2,776 at least; at most those plus the 919 unknown and 4 unreconciled.
    assert brackets(by_initiative)[1] == pytest.approx((1138 / 2776, (1138 + 919 + 4) / 2776))
    assert "women: 41% to 74%" in texts(by_initiative)
    assert "women: 37.2% to 37.3%" in texts(by_initiative)  # the 2 unknown of 1,488 barely move it
    # TRN-52a: any of the 35 judges may be women; the label sits on its bracket, in the chart.
    (label,) = [t for t in by_initiative.axes[0].texts if t.get_text() == "women: 0% to 100%"]
    assert label.get_position()[0] == pytest.approx(0.5)
    assert label.get_horizontalalignment() == "center"


def test_gender_chart_calls_out_segments_too_small_to_label(by_initiative: Figure) -> None:
    callouts = [a.get_text() for a in by_initiative.axes[0].texts if isinstance(a, Annotation)]
    assert callouts == ["unknown sex: 2", "unreconciled: 4"]


def test_gender_chart_caption_explains_the_segments(by_initiative: Figure) -> None:
    text = caption(by_initiative)
    assert "Unknown sex: persons whose sex the report does not give." in text
    assert "Unreconciled: persons by which the report's parts fall short of its total." in text
    assert "The bracket spans the possible share of women" in text
    assert "Figures 'to date' are kept apart from those of a period" in text


def test_gender_chart_draws_a_total_that_may_double_count_as_an_interval(all_rows: Figure) -> None:
    labels = tick_labels(all_rows)
    assert labels[0] == "figures to date\nn = 1,488"
    # The period figures: 2,776 (GPTIP), 25, 35 and 62, of which TRN-68a's 62 may be among
    # GPTIP's 2,776. Never one exact bar: from 2,836 to 2,898, and the label says why.
    assert " ".join(labels[1].split()) == (
        "figures of a period n = 2,836 to 2,898, may double count: TRN-05a, TRN-68a"
    )
    drawn = widths(all_rows)
    for label in LEGEND_LABELS:
        assert drawn[label][1] == 0  # no segment is drawn for a range
    assert drawn[LEAST] == pytest.approx([0, 2836 / 2898])
    assert drawn[MAY_ADD] == pytest.approx([0, 62 / 2898])
    hatched = next(c for c in all_rows.axes[0].containers if c.get_label() == MAY_ADD)
    assert isinstance(hatched, BarContainer)
    assert hatched.patches[1].get_x() == pytest.approx(2836 / 2898)
    assert hatched.patches[1].get_hatch() == "xx"
    assert {LEAST, MAY_ADD} <= set(legend_texts(all_rows))
    # Its counts by sex are ranges too: written on the bar, not drawn.
    (written,) = [t for t in texts(all_rows) if t.startswith("women 1,163 to 1,178")]
    assert " ".join(written.split()) == (
        "women 1,163 to 1,178, men 715, unknown sex 943 to 1,001, unreconciled 0 to 4 "
        "share of women 40% to 75%"
    )
    assert len(brackets(all_rows)) == 1  # only the figures to date have a bracket
    text = caption(all_rows)
    assert "A bar whose total is a range is no single total" in text
    assert (
        "Figures of a period: rows TRN-05a, TRN-68a may count the same persons, so n is 2,836 "
        "(what must be distinct) to 2,898 (all of it)." in text
    )


def test_gender_chart_takes_a_breakdown(trainings: pd.DataFrame) -> None:
    separate = gender_chart(um.gender_breakdown(trainings, by="initiative"))
    labels = tick_labels(separate)
    assert labels[:3] == [
        "GLO.ACT\nn = 1,488 (to date)",
        "GLO.ACT\nn = 25 (for a period)",
        "GPTIP\nn = 2,776 (for a period)",
    ]
    assert [label.split(":")[0] for label in labels[3:]] == ["TRN-52a", "TRN-68a"]
    assert brackets(separate) == []
    assert "Make it with unknown='bounds'" in caption(separate)
    assert_not_blank(render(separate, dpi=50))

    bounds = gender_chart(um.gender_breakdown(trainings, by="initiative", unknown="bounds"))
    assert len(brackets(bounds)) == 3

    estimated = gender_chart(um.gender_breakdown(trainings, unknown="proportional"))
    assert "are estimates" in caption(estimated)
    assert "~554" in texts(estimated)  # 553 women of 1,488 and 0.74 of the 2 unknown


def test_gender_chart_takes_polars(trainings: pd.DataFrame, by_initiative: Figure) -> None:
    fig = gender_chart(pl.from_pandas(trainings))
    np.testing.assert_allclose(bars(fig), bars(by_initiative))
    np.testing.assert_allclose(brackets(fig), brackets(by_initiative))
    assert tick_labels(fig) == tick_labels(by_initiative)


def test_gender_chart_groups_a_table_by_the_given_columns(trainings: pd.DataFrame) -> None:
    fig = gender_chart(trainings, by="period_kind", title="By kind of period")
    labels = [label.split("\n")[0] for label in tick_labels(fig)]
    assert labels == ["calendar year", "cumulative", "date range", "unspecified"]
    assert fig.get_suptitle() == "By kind of period"


def test_gender_chart_draws_the_known_counts_of_a_censored_group(censored: pd.DataFrame) -> None:
    # GLOTIP's "<5" is 0 to 4 persons: 17 women are drawn, the other 5 of 22 are dotted,
    # their bounds written out; the bar is not left out.
    fig = gender_chart(censored, by="year")
    assert fig.get_suptitle() == "Detected trafficking victims, by sex"
    assert tick_labels(fig) == ["2022\nn = 22"]
    drawn = widths(fig)
    assert drawn["female"] == pytest.approx([17 / 22])
    assert drawn["male"] == [0]
    assert drawn[BOUNDED] == pytest.approx([5 / 22])
    assert "bounded: men 0 to 4, unknown sex 0 to 4" in texts(fig)
    assert BOUNDED in legend_texts(fig)
    assert "Bounded: counts known only as a range (censored counts, <5" in caption(fig)
    assert brackets(fig) == [pytest.approx((17 / 22, 1.0))]


def test_gender_chart_writes_out_a_censored_count_of_a_breakdown(trainings: pd.DataFrame) -> None:
    frame = um.gender_breakdown(trainings, by="initiative", unknown="bounds")
    gptip = frame.index[frame["initiative"] == "GPTIP"][0]
    frame["male"] = frame["male"].astype("Float64")
    frame.loc[gptip, "male"] = pd.NA
    frame.loc[gptip, ["male_low", "male_high"]] = [713, 717]
    fig = gender_chart(frame)
    assert widths(fig)["male"][gptip] == 0
    assert widths(fig)[BOUNDED][gptip] == pytest.approx(715 / 2776)
    assert "bounded: men 713 to 717" in texts(fig)
    assert len(brackets(fig)) == 3  # the bounds of the share of women are still known


def test_gender_chart_marks_parts_that_exceed_their_total() -> None:
    # GLOTIP's parts do not always add up: 104 women, 57 men and 1,117 of unknown sex, of 161.
    row = {"female": 104, "male": 57, "other": 0, "unknown": 1117, "unreconciled": -1117}
    fig = gender_chart(pd.DataFrame([{**row, "total": 161}]))
    drawn = widths(fig)
    assert drawn["female"] == pytest.approx([104 / 1278])
    assert drawn["unreconciled (parts short of the total)"] == [0]
    (line,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    assert line.get_segments()[0][0][0] == pytest.approx(161 / 1278)
    assert "total 161: the parts exceed it by 1,117" in texts(fig)
    assert "A black line marks a total that its parts exceed" in caption(fig)


def test_gender_chart_says_where_the_share_of_women_is_certain(trainings: pd.DataFrame) -> None:
    frame = um.gender_breakdown(trainings, by="initiative", unknown="bounds")
    frame = frame[frame["initiative"] == "GLO.ACT"].reset_index(drop=True)
    frame["female_share_high"] = frame["female_share_low"]
    fig = gender_chart(frame)
    assert brackets(fig) == []
    assert legend_texts(fig) == [*LEGEND_LABELS, "no bracket: the share of women is certain"]


def test_gender_chart_draws_no_bar_for_a_group_of_nobody(trainings: pd.DataFrame) -> None:
    frame = um.gender_breakdown(trainings, by="initiative")
    frame.loc[0, [*SEGMENTS, "total", "total_low", "total_high"]] = 0
    fig = gender_chart(frame)
    assert texts(fig)[0] == "nothing summed"
    assert "1,138" in texts(fig)  # the other groups are labelled as before
    assert [p.get_visible() for p in fig.axes[0].patches][:: len(frame)] == [False] * 5


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
    assert_nothing_cut_off(rescues_per_year)
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


def test_totals_chart_names_the_counts_outside_the_reporting_period(
    rescues_per_year: Figure,
) -> None:
    # The 43 victims rescued in the first half of 2020 are in 2020's 124, and named.
    assert (
        "Counted, though outside the reporting period: RES-76a (43) of 124 in rescued, 2020. "
        "Pass within=um.REPORTING_PERIOD to leave such rows out." in caption(rescues_per_year)
    )
    within = um.totals_by_year(um.load("rescues"), table="rescues", within=um.REPORTING_PERIOD)
    fig = totals_chart(within)
    assert "outside the reporting period" not in caption(fig).split("Left out")[0]
    assert heights(fig) == [18, 81, 85]


def test_totals_chart_draws_a_total_that_may_double_count_as_an_interval(
    trainings: pd.DataFrame,
) -> None:
    fig = totals_chart(um.totals_by_year(trainings, table="trainings"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2020-2022\n(spans years)"]
    # 2021: GPTIP's 2,776 and TRN-68a's 62, who may be among them. A bar to the 2,776 that
    # must be distinct, and a hatched part of 62 on it, up to 2,838; never "none summed".
    assert heights(fig) == [25, 62, 2776]
    (hatched,) = [b for b in bars(fig) if b[3] == 62]
    assert hatched[1] == 2776
    (interval,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    (lines,) = interval.lines[2]
    assert isinstance(lines, LineCollection)
    assert [y for _, y in lines.get_segments()[0]] == [2776, 2838]
    assert f"2,776{EN_DASH}2,838" in texts(fig)
    assert not any("none" in t for t in texts(fig))
    assert "no one total: bar to the least, hatched up to the most" in legend_texts(fig)
    text = caption(fig)
    assert (
        f"2021: 2,776{EN_DASH}2,838, not one total: rows TRN-05a, TRN-68a may count the same "
        "persons. The bar rises to the 2,776 that must be distinct; the hatched part, 62 more, "
        "may double count." in text
    )
    assert_nothing_cut_off(fig)


def test_totals_chart_notes_spans_and_rows_in_no_year(trainings: pd.DataFrame) -> None:
    fig = totals_chart(um.totals_by_year(trainings, table="trainings"))
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
    assert "at least 36" in texts(fig)
    assert_not_blank(render(fig, dpi=50))
    # A total written below its lower bound says so, over its bar and in the caption.
    frame = um.totals_by_year(um.load("meetings"), table="meetings")
    frame.loc[frame["measure"] == "participants", "total"] = 35
    fig = totals_chart(frame)
    assert "35\n(at least 36)" in texts(fig)
    assert "'more than 35' means at least 36" in caption(fig)


def test_totals_chart_draws_bounded_ranges() -> None:
    frame = um.totals_by_year(um.load("rescues"), table="rescues")
    ranged = frame.copy()
    ranged.loc[2, "qualifier"] = "approximately"
    ranged.loc[2, ["total_low", "total_high"]] = [80, 90]
    fig = totals_chart(ranged)
    errorbars = [c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer)]
    assert len(errorbars) == 1
    assert "possible range (bounds)" in legend_texts(fig)
    assert "85\n(80 to 90)" in texts(fig)


def test_totals_chart_names_a_single_status_in_its_title() -> None:
    rescues = um.load("rescues")
    fig = totals_chart(rescues[rescues["status"] == "rescued"], table="rescues")
    assert fig.get_suptitle() == "Rescued victims, per year"
    assert legend_texts(fig) == ["victims"]
    assert totals_chart(um.load("arrests"), table="arrests", title="T").get_suptitle() == "T"


def test_totals_chart_marks_totals_it_cannot_draw() -> None:
    frame = um.totals_by_year(um.load("rescues"), table="rescues")
    frame["total"] = frame["total"].astype("Float64")
    frame.loc[0, ["total", "total_low", "total_high"]] = pd.NA
    fig = totals_chart(frame)
    assert texts(fig) == ["none\nsummed", "124", "85"]
    # A total that is missing, with its bounds, is a range; with no upper bound, an arrow.
    frame.loc[0, ["total_low", "total_high"]] = [16, 20]
    fig = totals_chart(frame)
    assert texts(fig) == [f"16{EN_DASH}20", "124", "85"]
    frame.loc[0, "total_high"] = pd.NA
    fig = totals_chart(frame)
    assert texts(fig)[-3:] == ["at least 16", "124", "85"]
    assert "no upper bound: at least the lower bound" in legend_texts(fig)
    frame["years"] = None
    fig = totals_chart(frame)
    assert texts(fig) == ["no figure lies within a year"]
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


def test_totals_chart_takes_glotip(censored: pd.DataFrame) -> None:
    # Malta's count is censored: 0 to 4 victims; the Netherlands' 22 are exact.
    malta = glotip_file([("MLT,Malta", "Total", "Total", "2022", "<5")])
    malta["line"] += 100  # a line of its own in the one download
    both = pd.concat([censored, malta], ignore_index=True)
    output = um.totals_by_year(both, table="glotip")
    for fig in (totals_chart(both), totals_chart(both, table="glotip"), totals_chart(output)):
        assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2022"]
        assert fig.get_suptitle() == "Detected trafficking victims per year"
        assert texts(fig) == [f"22{EN_DASH}26"]
        assert heights(fig) == [4, 22]
        assert "Totals that hold censored counts (<5, 0 to 4 each) are ranges" in caption(fig)
        assert "Left out, a part of a breakdown (by sex, age or dimension)" in caption(fig)


def test_png_files_can_be_written(tmp_path: Path, by_initiative: Figure) -> None:
    path = tmp_path / "chart.png"
    by_initiative.savefig(path)
    assert path.read_bytes().startswith(b"\x89PNG")


# --- the real GLOTIP download ------------------------------------------------------------------


@pytest.fixture(scope="module")
def glotip(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    if not GLOTIP_FILE.is_file():
        pytest.skip(f"the real GLOTIP download is not at {GLOTIP_FILE} (a fresh clone)")
    df = um.read_glotip(GLOTIP_FILE, cache_dir=tmp_path_factory.mktemp("glotip-cache"))
    victims = (df["indicator"] == "Detected trafficking victims") & (df["dimension"] == "Total")
    return df[victims & df["iso3"].isin(["CIV", "MLT", "NLD"])].reset_index(drop=True)


def test_gender_chart_draws_the_real_glotip_download(glotip: pd.DataFrame) -> None:
    fig = gender_chart(glotip[glotip["year"] == 2019], by=["country", "year"])
    assert fig.get_suptitle() == "Detected trafficking victims, by sex"
    labels = tick_labels(fig)
    assert labels == [
        "Côte d\u2019Ivoire, 2019\nn = 161",
        "Malta, 2019\nn = 0 to 4, censored counts (<5)",
        "Netherlands (Kingdom of the), 2019\nn = 1,372",
    ]
    drawn = widths(fig)
    # Côte d'Ivoire: its parts (104 + 57 + 1,117) exceed its total of 161: drawn to the parts.
    assert drawn["female"][0] == pytest.approx(104 / 1278)
    assert "total 161: the parts exceed it by 1,117" in texts(fig)
    # Malta: all censored; its total is a range, never one bar.
    assert drawn[MAY_ADD][1] == pytest.approx(1.0)
    assert all(drawn[label][1] == 0 for label in LEGEND_LABELS)
    # The Netherlands, 2019: a total with no part by sex.
    assert drawn["unknown sex (not stated)"][2] == pytest.approx(1.0)
    assert "1,372: no split by sex" in texts(fig)
    assert_nothing_cut_off(fig)


def test_totals_chart_draws_the_real_glotip_download(glotip: pd.DataFrame) -> None:
    malta = glotip[glotip["iso3"] == "MLT"]
    fig = totals_chart(malta, table="glotip")
    labels = texts(fig)
    assert f"0{EN_DASH}4" in labels
    assert "35" in labels
    ranged = [t for t in labels if EN_DASH in t]
    assert caption(fig).count("are ranges") == 1
    assert len(ranged) == len(
        um.totals_by_year(malta, table="glotip").query("total.isna() and total_low.notna()")
    )
    assert_nothing_cut_off(fig)
