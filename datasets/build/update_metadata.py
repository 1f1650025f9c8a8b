"""Refresh the checksums in ``datasets/metadata.json`` after editing a table.

Run it from anywhere after changing any ``datasets/*.csv``::

    python datasets/build/update_metadata.py

It rewrites only the ``sha256`` fields, and fails if a table in metadata.json has no file
or a CSV file has no entry in metadata.json. The tests check that the checksums are current.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[1]


def main() -> int:
    path = DATASETS / "metadata.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    on_disk = {p.stem for p in DATASETS.glob("*.csv")}
    listed = set(meta["tables"])
    if on_disk != listed:
        print(
            "metadata.json and datasets/ disagree: "
            f"files without metadata {sorted(on_disk - listed)}, "
            f"metadata without files {sorted(listed - on_disk)}",
            file=sys.stderr,
        )
        return 1
    for name, rec in meta["tables"].items():
        rec["sha256"] = hashlib.sha256((DATASETS / f"{name}.csv").read_bytes()).hexdigest()
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"updated {len(listed)} checksums in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
