"""The example notebook runs from top to bottom, with and without a GLOTIP download.

The notebook runs in a Jupyter kernel: the ``python3`` kernel that the ipykernel package
installs into the environment (the test extra brings it, with nbclient and nbformat). The
kernel is started with this interpreter, so it imports the same unodc_metrics. The notebook
is run from a copy in a temporary folder: the file in docs/ stays without outputs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "docs" / "example.ipynb"
GLOTIP_DIR = Path(__file__).resolve().parents[2] / "shared" / "external" / "glotip"
GLOTIP_FILE = GLOTIP_DIR / "data_glotip_2025-04-14.xlsx"
TIMEOUT = 300  # seconds, per cell

# nbformat has no type hints; its read returns a NotebookNode (a dict with attribute access).
read_notebook = cast(Callable[..., Any], nbformat.read)


@pytest.fixture(autouse=True)
def _source_checkout() -> None:
    if not NOTEBOOK.is_file():
        pytest.skip("not run from a source checkout: docs/example.ipynb is absent")


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment the kernel inherits: no GLOTIP file unless a test sets one."""
    monkeypatch.delenv("UNODC_GLOTIP_FILE", raising=False)
    return monkeypatch


def execute(tmp_path: Path) -> Any:
    """Run a copy of the notebook in tmp_path; return the executed notebook."""
    copy = tmp_path / NOTEBOOK.name
    shutil.copyfile(NOTEBOOK, copy)
    nb = read_notebook(copy, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    return nb


def outputs_text(nb: Any) -> str:
    """Everything the code cells printed or displayed, as text."""
    parts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{out.ename}: {out.evalue}"
            if out.output_type == "stream":
                parts.append(out.text)
            else:
                parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def images(nb: Any) -> int:
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def test_the_committed_notebook_has_no_outputs() -> None:
    nb = read_notebook(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], "save docs/example.ipynb without outputs"
            assert cell.execution_count is None


def test_notebook_runs_without_a_glotip_file(
    tmp_path: Path, kernel_env: pytest.MonkeyPatch
) -> None:
    nb = execute(tmp_path)
    text = outputs_text(nb)
    assert "UNODC_GLOTIP_FILE is not set: the GLOTIP comparison is skipped." in text
    assert "download data_glotip.xlsx from the dataUNODC portal" in text
    assert "No GLOTIP file: skipped" in text
    # The rest of the notebook ran: tables, breakdowns, totals, the figures' status, charts.
    assert "trainings" in text
    assert "2776" in text and "1138" in text
    assert "RES-76c" in text
    assert "reproduced      18" in text and "stated          37" in text
    assert images(nb) == 2
    assert NOTEBOOK.read_text(encoding="utf-8").count('"outputs": []') > 0


def test_notebook_compares_malawi_with_glotip(
    tmp_path: Path, kernel_env: pytest.MonkeyPatch
) -> None:
    if not GLOTIP_FILE.is_file():
        pytest.skip(f"the GLOTIP download is not at {GLOTIP_FILE} (a clone without shared/)")
    kernel_env.setenv("UNODC_GLOTIP_FILE", str(GLOTIP_FILE))
    nb = execute(tmp_path)
    text = outputs_text(nb)
    assert "Read 58,769 rows of the GLOTIP edition of 2025-04-14." in text
    assert "Detected trafficking victims" in text
    lines = text.splitlines()
    # The report's 43 and 81 rescued in 2020, beside GLOTIP's 15 detected for the year.
    assert any("(RES-76a)" in line and "43    43" in line for line in lines)
    assert any("(RES-76b)" in line and "81    81" in line for line in lines)
    assert any("the two added" in line and "124   124" in line for line in lines)
    assert any("line 30447" in line and "15    15" in line for line in lines)
    assert any("forms of exploitation added" in line and "0    12" in line for line in lines)
    assert "skipped" not in text
