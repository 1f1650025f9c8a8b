"""``python -m unodc_metrics``: print what the package holds and where it comes from."""

from __future__ import annotations

import sys


def main() -> int:
    """Print the source citation and one line per table, then exit 0."""
    import pandas as pd

    import unodc_metrics as um

    print(f"unodc-metrics {um.__version__}: the figures of one UNODC report, as validated tables")
    print(f"Source: {um.REPORT.text()}")
    start, end = um.REPORTING_PERIOD
    print(f"Reporting period: {start:%B %Y} to {end:%d %B %Y}")
    print()
    overview = um.tables()[["name", "kind", "rows", "title"]]
    with pd.option_context("display.max_colwidth", 60, "display.width", 120):
        print(overview.to_string(index=False))
    figures = sum(len(um.load(name)) for name in um.FIGURE_TABLES)
    print()
    print(f"{figures} figures in {len(um.FIGURE_TABLES)} tables, every one with its paragraph")
    print("and verbatim phrase. Load one with unodc_metrics.load(name).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
