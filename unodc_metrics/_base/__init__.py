"""The base layer: what every other layer may use, and which uses no other layer.

- :mod:`.vocabulary`: the codes the tables use (qualifiers, period kinds, flags, sexes, ...);
- :mod:`.values`: reading a cell as missing or as text, the same way everywhere;
- :mod:`.failures`: the one shape of a validation failure, and the frame of them;
- :mod:`.errors`: :class:`~unodc_metrics.ValidationError`;
- :mod:`.source`: the report's citation and its reporting period;
- :mod:`.version`: the package's version, read from its installed metadata.

Nothing here imports pandas at import time.
"""
