"""The documentation site: generated table pages are current, and the site builds strictly.

The page generators and the MkDocs hook are build tooling in ``tools/``, outside the package:
they are loaded here by path, and the tests skip where ``tools/`` is absent (a wheel, or an
sdist, installed without the repository).
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import unodc_metrics as um

REPO = Path(__file__).resolve().parents[1]
TABLE_DIR = REPO / "docs" / "tables"
TOOLS = REPO / "tools"
REGENERATE = "regenerate them with: python tools/table_pages.py"


def _tool(name: str) -> ModuleType:
    """The build tool ``tools/<name>.py``, loaded by path; the test skips where it is absent."""
    path = TOOLS / f"{name}.py"
    if not path.is_file():
        pytest.skip(f"tools/{name}.py is absent: not run from a source checkout")
    spec = importlib.util.spec_from_file_location(f"_unodc_tools_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _source_checkout() -> None:
    if not (REPO / "mkdocs.yml").is_file():
        pytest.skip("not run from a source checkout: mkdocs.yml and docs/ are absent")


@pytest.fixture(scope="module")
def table_pages() -> ModuleType:
    return _tool("table_pages")


@pytest.fixture(scope="module")
def rendered(table_pages: ModuleType) -> dict[str, str]:
    pages: dict[str, str] = table_pages.pages()
    return pages


def test_every_table_has_a_generated_page(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == sorted(["index.md", *(f"{name}.md" for name in um.TABLES)])
    committed = sorted(p.name for p in TABLE_DIR.glob("*.md"))
    assert committed == sorted(rendered), f"docs/tables/ has the wrong pages; {REGENERATE}"


@pytest.mark.parametrize("file_name", ["index.md", *(f"{name}.md" for name in um.TABLES)])
def test_committed_table_page_is_current(file_name: str, rendered: dict[str, str]) -> None:
    path = TABLE_DIR / file_name
    assert path.is_file(), f"docs/tables/{file_name} is missing; {REGENERATE}"
    committed = path.read_text(encoding="utf-8")
    assert committed == rendered[file_name], (
        f"docs/tables/{file_name} differs from what the schemas and metadata give; {REGENERATE}"
    )


def test_main_writes_the_pages_and_removes_stale_ones(
    tmp_path: Path,
    table_pages: ModuleType,
    rendered: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "dropped_table.md").write_text("# gone\n", encoding="utf-8")
    assert table_pages.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.md")) == sorted(rendered)
    assert (tmp_path / "rescues.md").read_text(encoding="utf-8") == rendered["rescues.md"]
    assert "removed" in capsys.readouterr().out


def test_the_script_writes_the_pages(tmp_path: Path, rendered: dict[str, str]) -> None:
    # As the README says: python tools/table_pages.py [folder]
    subprocess.run(
        [sys.executable, str(TOOLS / "table_pages.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    assert written == rendered


def test_rendering_is_deterministic(table_pages: ModuleType) -> None:
    assert table_pages.render_table_page("rescues") == table_pages.render_table_page("rescues")


def test_table_page_lists_every_column_with_its_description_and_unit(
    table_pages: ModuleType,
) -> None:
    page = table_pages.render_table_page("trainings")
    schema = um.schemas.Trainings.to_schema()
    for column, spec in schema.columns.items():
        assert f"| `{column}` |" in page
        assert " ".join(str(spec.description).split()) in page
    assert "| `female_percent` | Float64 | yes | percent |" in page
    assert um.metadata("trainings").sha256 in page


def test_table_page_lists_the_cross_column_rules(table_pages: ModuleType) -> None:
    page = table_pages.render_table_page("rescues")
    rules = um.schemas.rules_of(um.schemas.Rescues)
    assert len(rules) == len(um.schemas.Rescues.to_schema().checks)
    for rule in rules:
        columns = ", ".join(f"`{c}`" for c in rule.columns)
        assert f"`{rule.id}`: {rule.message} ({columns})." in page


def test_shared_rules_come_first_and_unique_combinations_last(table_pages: ModuleType) -> None:
    page = table_pages.render_table_page("trainings").splitlines()
    numbered = [line for line in page if line[:1].isdigit() and ". `" in line]
    assert numbered[0].startswith("1. `bounds_follow_qualifier`: the bounds must follow")
    assert numbered[-1].startswith(f"{len(numbered)}. `female_bounds`: ")
    measures = table_pages.render_table_page("measures")
    assert (
        "1. `multiple_fields_uniqueness`: each combination of `table`, `measure` must be unique "
        "(`table`, `measure`)." in measures
    )


def test_parties_page_carries_its_limits(table_pages: ModuleType) -> None:
    page = table_pages.render_table_page("parties")
    for limit in um.metadata("parties").limits:
        assert f"- {limit}" in page


@pytest.mark.parametrize("name", um.TABLES)
def test_table_page_examples_run(name: str) -> None:
    # tests/test_docs.py runs docs/*.md; the table pages sit one folder down.
    result = doctest.testfile(
        str(TABLE_DIR / f"{name}.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        encoding="utf-8",
    )
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) failed in docs/tables/{name}.md"


def test_nav_lists_every_table_page() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for name in um.TABLES:
        assert f"- tables/{name}.md\n" in config, f"mkdocs.yml's nav lacks tables/{name}.md"


def test_home_page_quick_start_is_the_readme_one() -> None:
    def quick_start(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return text.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]

    assert quick_start(REPO / "docs" / "index.md") == quick_start(REPO / "README.md")


def test_site_builds_strictly(tmp_path: Path) -> None:
    # Not skipped when mkdocs is missing: CI must build the site. It comes with the docs
    # extra: pip install ".[docs]".
    assert importlib.util.find_spec("mkdocs") is not None, (
        "mkdocs is not installed: pip install '.[docs]'"
    )
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    for name in um.TABLES:
        page = site / "tables" / name / "index.html"
        assert page.is_file(), f"no page for table {name}"
        assert f"<code>{name}</code>" in page.read_text(encoding="utf-8")
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="unodc_metrics.load"' in api
    assert 'id="unodc_metrics.schemas.Rescues"' in api
    # The hook in tools/table_pages.py turns the docstrings' Sphinx roles into code.
    assert ":func:<code>" not in api
    assert ":data:<code>" not in api


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Material for MkDocs prints a banner about MkDocs 2.0 on every build; it is no warning
    # of this site's, and strict mode does not count it.
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@pytest.mark.parametrize("name", ["table_pages", "figures_page"])
def test_tool_examples_run(name: str) -> None:
    # tests/test_package.py runs the package's doctests; the tools sit outside it.
    result = doctest.testmod(_tool(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) failed in tools/{name}.py"
