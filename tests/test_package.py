"""The package as a user installs it: version, cheap import, doctests, and the wheel."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import unodc_metrics as um

REPO = Path(__file__).resolve().parents[1]


def test_version_comes_from_the_package_metadata() -> None:
    pyproject = REPO / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip("not run from a source checkout")
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert um.__version__ == declared


def test_import_reads_no_data_and_skips_heavy_modules() -> None:
    # An audit hook sees every file that the interpreter opens.
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0]))"
        " if event == 'open' else None)\n"
        "import unodc_metrics as um\n"
        "data = [p for p in opened if p.endswith(('.csv', '.json'))]\n"
        "assert not data, f'data read at import time: {data}'\n"
        "for heavy in ('pandas', 'pandera', 'pyarrow', 'narwhals', 'polars'):\n"
        "    assert heavy not in sys.modules, f'{heavy} imported at import time'\n"
        "assert um.schemas.Trainings is not None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_leaves_the_warning_filters_alone() -> None:
    code = "import sys, warnings; n = len(warnings.filters); import unodc_metrics; "
    code += "assert len(warnings.filters) == n, (n, len(warnings.filters))"
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


def test_unknown_attributes_raise() -> None:
    with pytest.raises(AttributeError):
        um.no_such_thing  # noqa: B018


def _modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(um.__path__, prefix="unodc_metrics.")
        if not m.name.startswith("unodc_metrics.data")
    )


@pytest.mark.parametrize("module", ["unodc_metrics", *_modules()])
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(mod, module):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not run from a source checkout")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
    )
    (built,) = out.glob("unodc_metrics-*.whl")
    return built


def test_wheel_contains_the_data_and_no_build_scripts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in um.TABLES:
        assert f"unodc_metrics/data/{table}.csv" in names
    assert "unodc_metrics/data/metadata.json" in names
    assert "unodc_metrics/py.typed" in names
    assert not any("build_parties" in n or "update_metadata" in n for n in names)
    # Every layer ships; the page generators and the MkDocs hook (tools/) do not.
    packages = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    for layer in ("_base", "_catalogue", "_rules", "schemas", "_validation", "_tables"):
        assert f"unodc_metrics/{layer}" in packages
    for layer in ("_readers", "_aggregations", "_figures", "export", "plot", "cli"):
        assert f"unodc_metrics/{layer}" in packages
    assert not any(
        n.startswith("tools/") or "table_pages" in n or "figures_page" in n for n in names
    )


def test_wheel_installs_in_a_fresh_environment_and_loads_every_table(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
    )
    # Then the dependencies come from this environment, appended after the new environment's
    # own site-packages (written after the install, so that pip cannot see this environment's
    # copy of the package and skip the wheel).
    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(new_site, "_parent_env.pth").write_text("\n".join(sorted(here)) + "\n")
    code = (
        "import unodc_metrics as um, pathlib\n"
        "here = pathlib.Path(um.__file__).resolve()\n"
        f"assert here.is_relative_to(pathlib.Path({str(env_dir)!r}).resolve()), here\n"
        "for name in um.TABLES:\n"
        "    assert len(um.load(name)) > 0, name\n"
        "print(um.tables().to_string())\n"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "trainings" in done.stdout
