"""The scale benchmark of issue 7: one aggregation over 50 million rows, per engine.

Run from the repository's root::

    python benchmarks/scale.py                          # 50 million rows
    python benchmarks/scale.py --rows 50m --write docs/scale.md
    python benchmarks/scale.py --rows 2m --chunk 500k --pandas-rows 500k,1m   # a quick try

It writes a seeded trainings-shaped data set as a folder of Parquet files (one file per
chunk of ``--chunk`` rows, each made by ``generate.trainings_arrow(chunk, seed + i)``, so
that the generator never holds all the rows), then runs
``gender_breakdown(frame, by="initiative", validate=False)`` on it with each engine, every
run in a fresh child process (``python benchmarks/scale.py --child SPEC``):

- ``duckdb``: ``duckdb.connect().read_parquet("DIR/*.parquet")``; and ``duckdb_validate``,
  the same with ``validate=True`` (the checks run in DuckDB), stopped after
  ``--validate-timeout`` seconds;
- ``dask``: ``dask.dataframe.read_parquet(DIR)`` on a ``LocalCluster`` of 2 worker processes
  of 1 thread each;
- ``polars_lazy``: ``polars.scan_parquet("DIR/*.parquet")``;
- ``pandas``: ``pyarrow.parquet.read_table(files).to_pandas(types_mapper=...)`` (what
  ``pandas.read_parquet`` does, with the dtypes of ``unodc_metrics.load``) then the
  function, at 5 and 10 million rows; at the full size only where the line through those two
  peaks says it fits, else that line's value at the full size, marked extrapolated.

Each run's time covers reading the files and the aggregation, up to the result's numbers in
Python; the child's imports (and the Dask cluster's start) come before it. Peak memory is
Linux's high-water mark of resident memory (``VmHWM`` in ``/proc/PID/status``) at the end of
the child, so it covers the imports, the reading and the work. DuckDB, polars and pyarrow
allocate inside the child, so its mark holds them; Dask's workers are processes of their own,
so the Dask peak is the sum of the marks of the child and of every process under it (an
upper bound: the processes need not peak at the same moment), and the parent also samples the
resident size of the whole tree every 0.2 s. The parent stops any child whose tree outgrows
``--max-gib`` (18 GiB) or what the machine has available, and the pandas children also run
under ``RLIMIT_AS``, so that the machine neither swaps nor meets its OOM killer.

Every case's ``total``, ``female``, ``male``, ``unknown`` and ``unreconciled`` per initiative
are checked against a plain DuckDB SQL query of the same sums over the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the sibling modules, found through sys.path)
import run  # noqa: E402

TIMES = run.TIMES
SCALE_START = "<!-- scale:start -->"
SCALE_END = "<!-- scale:end -->"
DATA_DIR = Path(tempfile.gettempdir()) / "unodc-scale"
MANIFEST = "_dataset.json"  # pyarrow and Dask skip files whose names start with "_"
GIB = 2**30
MIB = 2**20

NUMBERS = ("total", "female", "male", "unknown", "unreconciled")
"""The numbers per initiative that every case must share with the SQL reference."""
MISSING = "(missing)"
"""The key of the group of rows without an initiative."""

CASES = ("pandas", "duckdb", "polars_lazy", "dask", "duckdb_validate")
LABELS = {
    "pandas": "pandas",
    "duckdb": "duckdb",
    "duckdb_validate": "duckdb, `validate=True`",
    "polars_lazy": "polars lazy",
    "dask": "dask, 2 workers",
}
HOW_PEAK = {
    "pandas": "VmHWM of the process",
    "duckdb": "VmHWM of the process (DuckDB's buffers are in it)",
    "duckdb_validate": "VmHWM of the process (DuckDB's buffers are in it)",
    "polars_lazy": "VmHWM of the process",
    "dask": "sum of the VmHWM of the client process (scheduler and nannies in it) and of its "
    "child processes (the 2 workers, multiprocessing's resource tracker)",
}

# The sums of gender_breakdown, written out in SQL: what a row's counts by sex leave over goes
# to unknown, or to unreconciled where the row states its unknown_sex; parts are left out.
REFERENCE_SQL = """
WITH rows AS (
    SELECT
        initiative,
        part_of IS NULL AS counted,
        value,
        coalesce(female, 0) AS f,
        coalesce(male, 0) AS m,
        coalesce(unknown_sex, 0) AS u,
        value - coalesce(female, 0) - coalesce(male, 0) - coalesce(other_sex, 0)
            - coalesce(unknown_sex, 0) AS rest,
        unknown_sex IS NULL AS no_unknown
    FROM trainings
), split AS (
    SELECT *, CASE WHEN rest > 0 AND no_unknown THEN rest ELSE 0 END AS to_unknown FROM rows
)
SELECT
    initiative,
    sum(value) FILTER (WHERE counted) AS total,
    sum(f) FILTER (WHERE counted) AS female,
    sum(m) FILTER (WHERE counted) AS male,
    sum(u + to_unknown) FILTER (WHERE counted) AS unknown,
    sum(rest - to_unknown) FILTER (WHERE counted) AS unreconciled
FROM split
GROUP BY initiative
ORDER BY initiative NULLS LAST
"""


# --------------------------------------------------------------------------------------------
# The data: a folder of Parquet files, one per chunk
# --------------------------------------------------------------------------------------------


def chunk_sizes(rows: int, chunk: int) -> list[int]:
    """The rows of each file: ``chunk`` each, and what is left in a last, smaller one."""
    full, rest = divmod(rows, chunk)
    sizes = [chunk] * full + ([rest] if rest else [])
    if min(sizes) < 10:
        raise ValueError(f"{rows:,} rows in chunks of {chunk:,} leave a file of under 10 rows")
    return sizes


def dataset_dir(root: Path, rows: int, seed: int, chunk: int) -> Path:
    """The folder of one data set, named by what makes it: reused when it is complete."""
    return root / f"trainings-{rows}-seed{seed}-chunk{chunk}"


def chunk_table(rows: int, seed: int, index: int) -> Any:
    """Chunk ``index``: ``trainings_arrow(rows, seed + index)`` with ids unique across chunks.

    Every id, and so every ``part_of``, gets the prefix ``C{index:04d}-``: ids stay unique
    over the whole folder and each part still points at its whole in the same chunk.
    """
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    table = generate.trainings_arrow(rows, seed + index)
    prefix = f"C{index:04d}-"
    for name in ("id", "part_of"):  # a missing part_of stays missing
        column = pc.binary_join_element_wise(prefix, table[name], "")
        table = table.set_column(table.schema.get_field_index(name), name, column)
    return table


def generate_dataset(folder: Path, rows: int, seed: int, chunk: int) -> dict[str, Any]:
    """Write the files that are not there yet, then the manifest; return the manifest."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, size in enumerate(chunk_sizes(rows, chunk)):
        path = folder / f"part-{index:04d}.parquet"
        if not path.exists():  # each file is written whole, then renamed: never half there
            t0 = time.perf_counter()
            table = chunk_table(size, seed, index)
            tmp = path.with_suffix(".tmp")
            pq.write_table(table, tmp)
            tmp.replace(path)
            del table
            run._release_memory()
            print(
                f"  wrote {path.name}: {size:,} rows in {time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        files.append({"name": path.name, "rows": size, "bytes": path.stat().st_size})
    manifest = {
        "rows": rows,
        "seed": seed,
        "chunk": chunk,
        "generator": "benchmarks/generate.py trainings_arrow(chunk rows, seed + i), ids prefixed",
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def read_manifest(folder: Path, rows: int, seed: int, chunk: int) -> dict[str, Any] | None:
    """The manifest of a complete data set in ``folder``, or None where it must be written."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    same = (manifest["rows"], manifest["seed"], manifest["chunk"]) == (rows, seed, chunk)
    if not same or not all((folder / f["name"]).exists() for f in manifest["files"]):
        return None
    return manifest


# --------------------------------------------------------------------------------------------
# Child processes: one run of one case each
# --------------------------------------------------------------------------------------------


def _number(value: Any) -> int | float | None:
    """A sum as a plain int (a float where it has a fraction); None where it is missing."""
    if value is None or value is getattr(sys.modules.get("pandas"), "NA", None):
        return None
    if isinstance(value, int):
        return value
    number = float(value)
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else number


def numbers_of(out: Any) -> dict[str, list[int | float | None]]:
    """The checked numbers of a result of any engine, per initiative, in plain Python."""
    import narwhals as nw

    if isinstance(out, tuple):
        out = out[0]
    frame = nw.from_native(out)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    result: dict[str, list[int | float | None]] = {}
    for key, *values in frame.select("initiative", *NUMBERS).rows():
        name = key if isinstance(key, str) else MISSING  # None, NaN or pandas.NA
        result[name] = [_number(v) for v in values]
    return result


def _peak_of(pid: int | str) -> tuple[float, str]:
    """The VmHWM of process ``pid`` in MiB, and what it is."""
    hwm = 0.0
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    if "resource_tracker" in command:
        name = "resource tracker"
    elif "spawn_main" in command or "forkserver" in command:
        name = "worker"
    else:
        name = command.split(" ", 1)[0].rsplit("/", 1)[-1] or "?"
    return hwm, name


def _descendants() -> list[int]:
    import psutil  # type: ignore[import-untyped]

    return [p.pid for p in psutil.Process().children(recursive=True)]


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One run of one case, as ``spec`` says; returns what the parent prints as JSON."""
    case: str = spec["case"]
    if spec.get("rlimit_bytes"):
        limit = int(spec["rlimit_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if case == "generate":
        return generate_dataset(Path(spec["folder"]), spec["rows"], spec["seed"], spec["chunk"])
    files: list[str] = spec["files"]
    folder: str = spec["folder"]
    notes: list[str] = []
    extra: dict[str, Any] = {}
    cleanup: Callable[[], None] = lambda: None  # noqa: E731
    work: Callable[[], Any]

    if case != "reference":
        import unodc_metrics as um

        # Called through a plain Callable: the keyword `validate` is newer than some stubs.
        gender_breakdown: Callable[..., Any] = um.gender_breakdown

        def breakdown(frame: Any, validate: bool) -> Any:
            return gender_breakdown(frame, by="initiative", validate=validate)

    if case == "reference":
        import duckdb

        con = duckdb.connect()

        def work() -> Any:
            con.read_parquet(files).create_view("trainings")
            return con.sql(REFERENCE_SQL).pl()

    elif case == "pandas":
        import pandas as pd
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

        # What pandas.read_parquet does (read_table, then to_pandas), with the dtypes of
        # unodc_metrics.load: Int64 and Float64 rather than float64 with NaN for missing.
        mapping = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}

        def work() -> Any:
            t0 = time.perf_counter()
            df = pq.read_table(files).to_pandas(types_mapper=mapping.get)
            extra["load_seconds"] = time.perf_counter() - t0
            extra["loaded_mb"] = run._status()["VmRSS"] / 1024
            return breakdown(df, validate=False)

    elif case in ("duckdb", "duckdb_validate"):
        import duckdb

        con = duckdb.connect()
        [(limit, threads)] = con.sql(
            "SELECT current_setting('memory_limit'), current_setting('threads')"
        ).fetchall()
        notes.append(f"DuckDB memory_limit {limit}, threads {threads}")

        def work() -> Any:
            rel = con.read_parquet(f"{folder}/*.parquet")
            return breakdown(rel, validate=case == "duckdb_validate")

    elif case == "polars_lazy":
        import polars as pl

        def work() -> Any:
            lf = pl.scan_parquet(f"{folder}/*.parquet")
            return breakdown(lf, validate=False)

    elif case == "dask":
        import logging

        import dask.dataframe as dd
        from dask import distributed

        # distributed is untyped: its classes are held as Any.
        local_cluster: Any = distributed.LocalCluster
        make_client: Any = distributed.Client

        cluster = local_cluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit=spec["dask_memory_limit"],
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
            local_directory=str(Path(folder).parent / "dask-scratch"),
        )
        client = make_client(cluster)
        notes.append(
            f"Dask LocalCluster: 2 worker processes, 1 thread each, memory_limit "
            f"{spec['dask_memory_limit']} each"
        )

        def work() -> Any:
            ddf = dd.read_parquet(folder)
            return breakdown(ddf, validate=False)

        def cleanup() -> None:
            client.close()
            cluster.close()

    else:
        raise ValueError(f"no such case: {case}")

    before = run._status()["VmRSS"] / 1024
    t0 = time.perf_counter()
    numbers = numbers_of(work())
    seconds = time.perf_counter() - t0
    own = run._status()["VmHWM"] / 1024
    processes = [{"pid": os.getpid(), "name": "child", "peak_mb": own}]
    for pid in _descendants():
        with contextlib.suppress(OSError):
            peak, name = _peak_of(pid)
            processes.append({"pid": pid, "name": name, "peak_mb": peak})
    cleanup()
    return {
        "case": case,
        "seconds": seconds,
        "peak_mb": sum(p["peak_mb"] for p in processes),
        "processes": processes,
        "before_mb": before,
        "numbers": numbers,
        "notes": notes,
        **extra,
    }


# --------------------------------------------------------------------------------------------
# The parent: start a child, watch its memory, collect its answer
# --------------------------------------------------------------------------------------------


def mem_available() -> int:
    """MemAvailable of /proc/meminfo, in bytes."""
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


@dataclass
class ChildRun:
    """What one child answered, or why it gave no answer."""

    answer: dict[str, Any] | None
    error: str | None
    sampled_peak_mb: float
    wall: float


def spawn(spec: dict[str, Any], *, cwd: Path, timeout: float, limit: int) -> ChildRun:
    """Run one child; stop it (its whole process group) past ``timeout`` s or ``limit`` bytes.

    The parent samples the resident size of the child and every process under it every 0.2 s:
    its highest sum is ``sampled_peak_mb``.
    """
    import psutil  # type: ignore[import-untyped,unused-ignore]

    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
        top = psutil.Process(proc.pid)
        sampled, stopped = 0, None
        while proc.poll() is None:
            total = 0
            with contextlib.suppress(psutil.Error):
                for p in (top, *top.children(recursive=True)):
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            sampled = max(sampled, total)
            elapsed = time.perf_counter() - started
            if total > limit:
                stopped = (
                    f"stopped at {total / MIB:,.0f} MB resident, over the limit of "
                    f"{limit / MIB:,.0f} MB"
                )
            elif elapsed > timeout:
                stopped = f"stopped after {elapsed:,.0f} s, over the time limit of {timeout:g} s"
            if stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the child's own group, nothing else
                proc.wait()
                break
            time.sleep(0.2)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if stopped:
        return ChildRun(None, stopped, sampled / MIB, wall)
    if proc.returncode != 0:
        print(stderr.rstrip()[-3000:], file=sys.stderr)
        return ChildRun(None, f"exit code {proc.returncode}: {_exception(stderr)}", 0.0, wall)
    answer: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return ChildRun(answer, None, sampled / MIB, wall)


def _exception(stderr: str) -> str:
    """The line of a traceback that names the exception (its message may run on)."""
    lines = stderr.strip().splitlines() or ["no message"]
    for line in reversed(lines):
        head = line.split(":", 1)[0]
        name = head.replace(".", "").replace("_", "")
        if name.isalnum() and head.endswith(("Error", "Exception", "Exit", "Interrupt")):
            return line[:300]
    return lines[-1][:300]


@dataclass
class Outcome:
    """The runs of one case at one size."""

    case: str
    rows: int
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    sampled: list[float] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    same_numbers: bool | None = None
    extrapolated: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.times)

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> float:
        return max(self.peaks)


@dataclass
class Settings:
    cwd: Path
    max_bytes: int
    runs: int
    slow: float
    timeout: float
    dask_memory_limit: str


def limit_now(settings: Settings) -> int:
    """The most a child may hold: ``--max-gib``, or what the machine has less 1.5 GiB."""
    return min(settings.max_bytes, mem_available() - int(1.5 * GIB))


def run_case(
    case: str,
    rows: int,
    files: list[Path],
    folder: Path,
    settings: Settings,
    reference: dict[str, list[Any]],
    *,
    timeout: float | None = None,
) -> Outcome:
    """Up to ``settings.runs`` runs, each in a fresh child; one only where a run is slow."""
    outcome = Outcome(case, rows)
    for i in range(settings.runs):
        limit = limit_now(settings)
        spec: dict[str, Any] = {
            "case": case,
            "files": [str(f) for f in files],
            "folder": str(folder),
            "dask_memory_limit": settings.dask_memory_limit,
        }
        if case == "pandas":
            spec["rlimit_bytes"] = limit
        got = spawn(spec, cwd=settings.cwd, timeout=timeout or settings.timeout, limit=limit)
        if got.answer is None:
            outcome.error = got.error
            print(f"  {case} {rows:,}: run {i + 1} failed: {got.error}", flush=True)
            break
        answer = got.answer
        same = answer["numbers"] == reference
        outcome.same_numbers = same if outcome.same_numbers is None else outcome.same_numbers & same
        outcome.times.append(answer["seconds"])
        outcome.peaks.append(answer["peak_mb"])
        outcome.sampled.append(got.sampled_peak_mb)
        outcome.answers.append(answer)
        print(
            f"  {case} {rows:,}: run {i + 1}: {answer['seconds']:.1f} s, peak "
            f"{answer['peak_mb']:,.0f} MB (sampled {got.sampled_peak_mb:,.0f} MB), numbers "
            f"{'equal' if same else 'DIFFER from'} the SQL reference",
            flush=True,
        )
        if not same:
            print(f"    got {answer['numbers']}\n    want {reference}", flush=True)
        if answer["seconds"] > settings.slow:
            break
    return outcome


def extrapolate(points: list[tuple[int, float]], rows: int) -> float:
    """The value at ``rows`` of the line through the first and the last of ``points``."""
    (x0, y0), (x1, y1) = points[0], points[-1]
    return y1 + (y1 - y0) / (x1 - x0) * (rows - x1)


# --------------------------------------------------------------------------------------------
# The table and the results page
# --------------------------------------------------------------------------------------------


def fmt_rows(rows: int) -> str:
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return f"{rows:,}"


def table_lines(outcomes: list[Outcome], pandas_at: dict[int, Outcome]) -> list[str]:
    head = (
        "| engine | rows | runs | median s | peak MB | peak ratio to pandas at the same rows "
        "| peak measured as | same numbers as SQL |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for o in outcomes:
        label = LABELS[o.case]
        if not o.ok:
            lines.append(
                f"| {label} | {fmt_rows(o.rows)} | 0 | - | - | - | {HOW_PEAK[o.case]} | "
                f"skipped: {o.error} |"
            )
            continue
        if o.extrapolated:
            lines.append(
                f"| {label} | {fmt_rows(o.rows)} | extrapolated | {run._fmt_s(o.seconds)} "
                f"(extrapolated) | {o.peak:,.0f} (extrapolated) | (pandas itself) | "
                f"line through the measured pandas peaks | - |"
            )
            continue
        base = pandas_at.get(o.rows)
        if o.case == "pandas":
            ratio = "(pandas itself)"
        elif base is None or not base.ok:
            ratio = "-"
        else:
            kind = "extrapolated" if base.extrapolated else "measured"
            ratio = f"{o.peak / base.peak:.2f}{TIMES} ({kind} pandas)"
        runs = f"{len(o.times)}"
        same = "-" if o.same_numbers is None else ("yes" if o.same_numbers else "**no**")
        lines.append(
            f"| {label} | {fmt_rows(o.rows)} | {runs} | {run._fmt_s(o.seconds)} | "
            f"{o.peak:,.0f} | {ratio} | {HOW_PEAK[o.case]} | {same} |"
        )
    return lines


def note_lines(outcomes: list[Outcome]) -> list[str]:
    """What the table leaves out: sampled peaks, Dask's processes, the engines' settings."""
    lines = []
    for o in outcomes:
        if not o.ok or o.extrapolated:
            continue
        sampled = max(o.sampled)
        text = f"{LABELS[o.case]}, {fmt_rows(o.rows)}: peak sampled by the parent {sampled:,.0f} MB"
        last = o.answers[-1]
        if o.case == "dask":
            parts = ", ".join(f"{p['name']} {p['peak_mb']:,.0f}" for p in last["processes"])
            text += f"; VmHWM per process (MB, last run): {parts}"
        if "loaded_mb" in last:
            text += (
                f"; resident after reading the files {last['loaded_mb']:,.0f} MB, reading took "
                f"{last['load_seconds']:.1f} s of the run"
            )
        notes = "; ".join(last.get("notes", []))
        if o.error:  # a later run failed: the table holds the runs before it
            notes += f"{'; ' if notes else ''}run {len(o.times) + 1} failed: {o.error}"
        lines.append(text + (f"; {notes}" if notes else ""))
    return lines


def versions_line() -> str:
    import dask
    import distributed
    import duckdb

    return (
        f"duckdb {duckdb.__version__}, dask {getattr(dask, '__version__', '?')}, distributed "
        f"{getattr(distributed, '__version__', '?')}"
    )


def write_results(path: Path, block: list[str]) -> None:
    """Write ``block`` between the page's scale markers (the page is made if absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    body = "\n".join([SCALE_START, *block, SCALE_END])
    if SCALE_START in text and SCALE_END in text:
        head, rest = text.split(SCALE_START, 1)
        _, tail = rest.split(SCALE_END, 1)
        text = head + body + tail
    else:
        text = (
            text
            or "# Scale: 50 million rows\n\n"
            "How much memory `gender_breakdown(..., validate=False)` takes over a data set far "
            "larger than a pandas frame can hold comfortably, on each engine that reads it "
            "lazily, against pandas. The script is `benchmarks/scale.py`; "
            "[benchmarks/README.md](../benchmarks/README.md) says how it measures.\n\n"
        )
        text = text + body + "\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(child(json.loads(argv[1]))))
        return 0
    parser = argparse.ArgumentParser(
        prog="python benchmarks/scale.py",
        description="gender_breakdown over 50 million rows: DuckDB, Dask and polars vs pandas.",
    )
    parser.add_argument("--rows", default="50m", help="rows of the data set (default 50m)")
    parser.add_argument("--chunk", default="5m", help="rows per Parquet file (default 5m)")
    parser.add_argument(
        "--pandas-rows", default="5m,10m", help="sizes that pandas is measured at (default 5m,10m)"
    )
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument(
        "--data-dir", default=str(DATA_DIR), help=f"where the data sets live (default {DATA_DIR})"
    )
    parser.add_argument("--only", default=None, help="comma-separated cases: " + ", ".join(CASES))
    parser.add_argument("--runs", type=int, default=3, help="runs of a fast case (default 3)")
    parser.add_argument(
        "--slow", type=float, default=120.0, help="a run longer than this (s) is not repeated"
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds one run may take")
    parser.add_argument(
        "--validate-timeout",
        type=float,
        default=1200.0,
        help="seconds the duckdb_validate run may take before it is stopped (default 1200)",
    )
    parser.add_argument(
        "--max-gib", type=float, default=18.0, help="memory one child may hold (default 18)"
    )
    parser.add_argument("--dask-memory-limit", default="6GiB", help="per Dask worker")
    parser.add_argument("--write", default=None, metavar="FILE", help="write the results there")
    args = parser.parse_args(argv)

    rows = generate.parse_size(args.rows)
    chunk = min(generate.parse_size(args.chunk), rows)
    names = list(CASES) if args.only is None else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {unknown}; the cases are {', '.join(CASES)}")
    sizes = chunk_sizes(rows, chunk)
    pandas_rows = sorted({generate.parse_size(s) for s in args.pandas_rows.split(",") if s})
    starts = [sum(sizes[:i]) for i in range(len(sizes) + 1)]
    bad = [n for n in pandas_rows if n not in starts[1:]]
    if bad:
        parser.error(f"--pandas-rows must be whole files of the data set; {bad} are not")

    root = Path(args.data_dir)
    root.mkdir(parents=True, exist_ok=True)
    available_at_start = mem_available()
    folder = dataset_dir(root, rows, args.seed, chunk)
    settings = Settings(
        cwd=root,
        max_bytes=int(args.max_gib * GIB),
        runs=args.runs,
        slow=args.slow,
        timeout=args.timeout,
        dask_memory_limit=args.dask_memory_limit,
    )

    manifest = read_manifest(folder, rows, args.seed, chunk)
    reused = manifest is not None
    if manifest is None:
        need = rows * 25  # about 23 bytes a row in Parquet
        free = shutil.disk_usage(root).free
        if need > free - 2 * GIB:
            raise SystemExit(
                f"{root} has {free / GIB:.1f} GiB free; the data need ~{need / GIB:.1f}"
            )
        print(f"writing {rows:,} rows to {folder} in {len(sizes)} files", flush=True)
        spec = {"case": "generate", "folder": str(folder), "rows": rows, "seed": args.seed}
        got = spawn({**spec, "chunk": chunk}, cwd=root, timeout=7200, limit=limit_now(settings))
        if got.answer is None:
            raise SystemExit(f"generating the data failed: {got.error}")
        manifest = got.answer
        print(f"  done in {got.wall:.0f} s", flush=True)
    else:
        print(f"reusing {folder}", flush=True)
    files = [folder / f["name"] for f in manifest["files"]]
    disk = sum(f["bytes"] for f in manifest["files"])

    # The reference numbers, per set of files, from plain SQL (in a child, like the cases).
    references: dict[int, dict[str, list[Any]]] = {}
    reference_run: dict[str, Any] = {}
    for n in sorted({*(pandas_rows if "pandas" in names else []), rows}):
        subset = files[: starts.index(n)]
        got = spawn(
            {"case": "reference", "files": [str(f) for f in subset], "folder": str(folder)},
            cwd=root,
            timeout=args.timeout,
            limit=limit_now(settings),
        )
        if got.answer is None:
            raise SystemExit(f"the SQL reference failed: {got.error}")
        references[n] = got.answer["numbers"]
        reference_run = got.answer  # the last is the full size
        print(f"reference at {n:,} rows ({got.answer['seconds']:.1f} s): {references[n]}")

    outcomes: list[Outcome] = []
    pandas_at: dict[int, Outcome] = {}
    notes: list[str] = []
    if "pandas" in names:
        for n in pandas_rows:
            if n == rows:
                continue
            o = run_case("pandas", n, files[: starts.index(n)], folder, settings, references[n])
            outcomes.append(o)
            pandas_at[n] = o
        measured = [(o.rows, o) for o in pandas_at.values() if o.ok]
        if len(measured) >= 2:
            peak_line = [(n, o.peak) for n, o in measured]
            time_line = [(n, o.seconds) for n, o in measured]
            guess = extrapolate(peak_line, rows)
            room = limit_now(settings) / MIB
            if rows in pandas_rows or guess < 0.85 * room:
                print(f"pandas at {rows:,}: the line says {guess:,.0f} MB; measuring", flush=True)
                o = run_case("pandas", rows, files, folder, settings, references[rows])
            else:
                o = Outcome("pandas", rows, extrapolated=True)
                o.times = [extrapolate(time_line, rows)]
                o.peaks = [guess]
                print(
                    f"pandas at {rows:,}: not run; the line through its peaks at "
                    f"{', '.join(fmt_rows(n) for n, _ in measured)} rows gives {guess:,.0f} MB, "
                    f"over 85% of the {room:,.0f} MB a child may hold",
                    flush=True,
                )
                slope = (peak_line[-1][1] - peak_line[0][1]) / (
                    (peak_line[-1][0] - peak_line[0][0]) / 1e6
                )
                notes.append(
                    f"pandas at {fmt_rows(rows)} was not run: the line through its measured "
                    f"peaks ({', '.join(f'{p:,.0f} MB at {fmt_rows(n)}' for n, p in peak_line)};"
                    f" {slope:,.0f} MB per million rows) gives {guess:,.0f} MB, more than 85% of "
                    f"the {room:,.0f} MB a child could hold here. Its time is extrapolated "
                    "the same way."
                )
            outcomes.append(o)
            pandas_at[rows] = o
        elif rows in pandas_rows:
            o = run_case("pandas", rows, files, folder, settings, references[rows])
            outcomes.append(o)
            pandas_at[rows] = o

    for name in ("duckdb", "polars_lazy", "dask", "duckdb_validate"):
        if name not in names:
            continue
        timeout = args.validate_timeout if name == "duckdb_validate" else None
        o = run_case(name, rows, files, folder, settings, references[rows], timeout=timeout)
        outcomes.append(o)

    lines = table_lines(outcomes, pandas_at)
    print()
    print("\n".join(lines))
    checks = [o for o in outcomes if o.ok and not o.extrapolated]
    all_same = all(o.same_numbers for o in checks)
    summary = [
        f"Data: {rows:,} rows in {len(files)} Parquet files of up to {chunk:,} rows "
        f"({disk / 1e9:.2f} GB on disk), file i made by `generate.trainings_arrow(rows, "
        f"{args.seed} + i)` with its ids prefixed by the file's number; the folder was "
        f"{'reused' if reused else 'written by this run'}.",
        "Time: reading the files and the aggregation, up to the result's numbers in Python "
        "(imports and the Dask cluster's start come before it). `runs`: one fresh child "
        f"process per run, up to {args.runs} run{'s' if args.runs != 1 else ''}, no more "
        f"after a run over {args.slow:g} s; "
        "`median s` is their median and `peak MB` the highest of their peaks.",
        "Peak: Linux's `VmHWM` (highest resident size) of the child at its end: imports, "
        "reading and work. DuckDB and polars work inside the child, so its mark holds their "
        "memory. Dask's workers are processes of their own (its scheduler and nannies run in "
        "the child): its peak is the sum of their marks and the child's, an upper bound, as "
        "they need not peak together.",
        "Checks: every run's `total`, `female`, `male`, `unknown` and `unreconciled` per "
        "initiative were compared with a plain DuckDB SQL query over the same files: "
        + ("all equal." if all_same else "**some differ** (the table says which)."),
        f"Memory guard: {available_at_start / GIB:.1f} GiB were available at the start; the "
        f"parent stops a child whose processes hold more than {args.max_gib:g} GiB or than "
        "what the machine has available less 1.5 GiB, checked every 0.2 s (pandas children "
        "also run under `RLIMIT_AS` at that limit).",
        *notes,
        f"For scale, not in the table: the SQL reference itself, on DuckDB over the "
        f"{fmt_rows(rows)} rows, took {reference_run['seconds']:.1f} s and peaked at "
        f"{reference_run['peak_mb']:,.0f} MB (one run, VmHWM of its child).",
        *note_lines(outcomes),
    ]
    skipped = [o for o in outcomes if not o.ok]
    summary += [f"{LABELS[o.case]} at {fmt_rows(o.rows)}: not measured, {o.error}" for o in skipped]
    for line in summary:
        print(f"- {line}")
    if args.write:
        command = "python benchmarks/scale.py " + " ".join(argv)
        if os.environ.get("PYTHONPATH"):  # a copy of the package, not the work tree
            command = f"PYTHONPATH={os.environ['PYTHONPATH']} {command}"
        block = [
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
            "",
            "```bash",
            command.strip(),
            "```",
            "",
            *run.machine_lines(),
            f"- {versions_line()}",
            "",
            *lines,
            "",
            *(f"- {line}" for line in summary),
        ]
        write_results(Path(args.write), block)
        print(f"\nwrote {args.write}")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
