"""Where the bundled data lives.

In a wheel the repository's ``data/`` folder is installed as ``migstats/_data``
(see pyproject.toml); in a source checkout it is ``<repo>/data``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..errors import ValidationError


@cache
def data_dir() -> Path:
    """The folder holding ``datapackage.json`` and the bundled tables."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_data", here.parent / "data"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise ValidationError(
        "bundled data not found (looked for datapackage.json in migstats/_data and data/)",
        file=str(here),
    )
