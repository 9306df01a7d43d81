"""Deprecated alias of :mod:`migstats.flows.indices` (moved after migstats 0.1.0; this alias goes in the next release).

Importing it issues a ``DeprecationWarning`` at the importing line; every name still works.
"""

from __future__ import annotations

import warnings

from migstats.flows.indices import *  # noqa: F401,F403
from migstats.flows.indices import __all__  # noqa: F401


warnings.warn("migstats.indices has moved to migstats.flows.indices; import it from there "
              "(the old module will be removed in the next release)", DeprecationWarning,
              stacklevel=2)  # warnings skips the import machinery's frames
