"""dpia-check: audit a Data Protection Impact Assessment against the Serbian LPDP.

The library API lives in :mod:`dpia_check.api`; the CLI in :mod:`dpia_check.cli` is a
thin layer over it.
"""

__version__ = "0.1.0"
