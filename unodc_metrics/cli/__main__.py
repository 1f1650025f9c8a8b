"""``python -m unodc_metrics.cli``: the same as the ``unodc-metrics`` command."""

from __future__ import annotations

import sys

from unodc_metrics.cli import main

if __name__ == "__main__":
    sys.exit(main())
