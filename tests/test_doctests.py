"""Every Examples block of the package runs as a doctest (one test per module).

The doctests run against the imported ``migstats``: the installed wheel in CI
(``pip install .`` then ``pytest -q``), the source tree in a checkout. This is
why they are collected here rather than with ``--doctest-modules migstats``:
with a non-editable install, pytest would import ``migstats/units.py`` from
the source folder while ``migstats.units`` is already the installed module,
and stop with "import file mismatch" (tried: see tests/README.md).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import migstats

#: modules not imported for inspection: __main__ runs the command line; migstats.indices is the
#: deprecated alias of migstats.flows.indices (importing it warns; its examples are that module's)
NOT_IMPORTABLE = {"migstats.__main__", "migstats.indices"}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules() -> list[str]:
    names = ["migstats"]
    names += [m.name for m in pkgutil.walk_packages(migstats.__path__, "migstats.") if m.name not in NOT_IMPORTABLE]
    return sorted(names)


def _tests(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    return [t for t in doctest.DocTestFinder(exclude_empty=True).find(module, name) if t.examples]


MODULES = [name for name in _modules() if _tests(name)]


def test_the_package_has_doctests():
    assert len(MODULES) >= 10, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    failures = []
    for test in _tests(name):
        result = runner.run(test, out=failures.append)
        assert result.attempted, test.name
    assert not failures, "".join(failures)
