"""A Parquet copy of a read download, named by the SHA-256 of its bytes."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from unodc_metrics._readers.glotip.format import CACHE_ENV, COLUMNS, READER_VERSION

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cache_file", "read_cache", "write_cache"]


def cache_file(cache_dir: str | os.PathLike[str] | None, sha256: str, kind: str) -> Path | None:
    """Where the copy of a file goes: in ``cache_dir``, else in the folder named by the
    environment variable ``UNODC_METRICS_CACHE_DIR``; None when neither is given."""
    if cache_dir is not None:
        directory = Path(cache_dir).expanduser()
    else:
        env = os.environ.get(CACHE_ENV, "").strip()
        if not env:
            return None
        directory = Path(env).expanduser()
    return directory / f"glotip-{sha256}-{kind}-r{READER_VERSION}.parquet"


def read_cache(path: Path) -> pd.DataFrame | None:
    """The cached table, or None where there is none, or it is unreadable or stale."""
    import pandas as pd

    if not path.is_file():
        return None
    try:
        df = pd.read_parquet(path)
    except (OSError, ValueError):  # unreadable: read the source again and rewrite it
        return None
    meta = df.attrs.get("glotip")
    if tuple(df.columns) != COLUMNS or not isinstance(meta, dict):
        return None
    if meta.get("reader_version") != READER_VERSION or len(df) != meta.get("data_lines"):
        return None
    return df


def write_cache(path: Path, df: pd.DataFrame) -> None:
    """Write the copy, atomically; warn (and go on) where it cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        warnings.warn(f"could not write the GLOTIP cache {path}: {exc}", UserWarning, stacklevel=4)
