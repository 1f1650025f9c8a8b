"""The curated tables' source files, shipped inside the wheel as ``unodc_metrics.data``.

This folder holds the reviewable source of truth: one CSV per table and ``metadata.json``.
pyproject.toml maps it to the subpackage ``unodc_metrics.data``, which the package reads
with :mod:`importlib.resources`. Edit the CSV files here, then run
``python datasets/build/update_metadata.py`` to refresh the checksums.
"""
