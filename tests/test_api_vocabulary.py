"""The public API follows docs/api.md, and keeps following it as the package grows.

Walks every public function and method of the package: everything exported
in ``__all__`` of every public module (no module path part starting with
``_``), plus the public methods of the classes exported there. Three rules:

``banned-name``
    No parameter has a name docs/api.md bans ("never call it"). ``column``
    names a cell's column only beside ``row`` or ``rows`` (the file/row/column
    of an error); as a grouping or entity argument it is ``by`` or ``entity``.
``keyword-only``
    Everything after the data arguments is keyword-only. The data arguments
    are the leading parameters without a default; so a positional parameter
    with a default is a violation, unless it is named ``data`` (the main
    table, which charts load from the bundled data when it is left out) or is
    listed in :data:`OPTIONAL_DATA` (a data argument that may be left out,
    with the reason).
``docstring``
    A numpydoc docstring with ``Parameters`` (when the function takes any),
    ``Returns`` (unless it is annotated ``-> None``) and ``Examples``.

Deprecated aliases (``migstats._deprecation.DEPRECATED``, the one place that
lists them) are exempt, and each of them must be named in CHANGELOG.md.
Functions of other parts of the package that predate these rules are listed
in :data:`PENDING` with the rules they still break; an entry that no longer
breaks its rule fails too, so the list only shrinks.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import migstats
from migstats._deprecation import DEPRECATED

REPO = Path(__file__).resolve().parents[1]

#: docs/api.md, "never call it": banned name -> the name to use
BANNED = {
    "df": "data", "frame": "data", "table": "data",
    "group": "by", "groups": "by", "column": "by (grouping) or entity (lookup)", "id_col": "entity",
    "keys": "on", "join": "on",
    "time": "year", "date_col": "year",
    "interval": "period", "span": "period",
    "measure": "series (a published series) or relative (absolute/relative)", "kind": "series", "variant": "series",
    "algorithm": "method", "how": "method",
    "units": "unit", "unit_str": "unit",
    "origin": "source", "from_": "source",
    "version": "vintage", "release": "vintage",
    "iso": "countries", "codes": "countries",
    "eps": "tol", "maxit": "max_iter",
    "random_state": "seed", "rng": "seed",
    "n_jobs": "executor", "parallel": "executor", "client": "executor",
    "verbose": "progress", "quiet": "progress",
    "variable": "series", "filename": "path", "fname": "path", "folder": "out_dir", "outdir": "out_dir",
    "fmt": "format", "n_years": "years", "limit": "top", "callback": "on_written",
}

#: (function, parameter) -> why a positional parameter with a default is a data argument
#: modules kept for one release as aliases of their new place (importing them warns)
DEPRECATED_MODULES = {"migstats.indices": "migstats.flows.indices"}

OPTIONAL_DATA = {
    ("migstats.flows.world.estimate.global_flows", "period"): "the period estimated (default 2015-2020)",
    ("migstats.flows.world.estimate.flow_adjustments", "periods"): "the periods assembled (default: all)",
    ("migstats.flows.world.sensitivity.flow_sensitivity", "period"): "the period perturbed (default 2015-2020)",
    ("migstats.composite.spec.load_spec", "path"): "the spec file (default: the bundled exposure index)",
    ("migstats.analysis.revision.vintage_revisions", "previous"): "the earlier vintage (default: the one before the newest)",
    ("migstats.analysis.revision.vintage_revisions", "revised"): "the later vintage (default: the newest)",
    ("migstats.catalog.cache.clear_cache", "source"): "the registered source whose files go (default: all)",
    ("migstats.catalog.cache.read_records", "source"): "the registered source (default: all)",
    ("migstats.catalog.cache.read_records", "indicator"): "the indicator of a source that takes one",
    ("migstats.catalog.cache.vintages", "source"): "the registered source (default: all)",
    ("migstats.catalog.tables.read_vintage", "vintage"): "the vintage to read (default: the newest)",
    ("migstats.analysis.growth.log_growth_rate", "years"): "the span of the two values (default one year)",
    ("migstats.cli.main", "argv"): "the command line (default: sys.argv[1:])",
    ("migstats.charts.write_charts", "names"): "the charts to write (default: all of them)",
    ("migstats.flows.ffs.example_stocks", "n_regions"): "the size of the example, its one input (default 8)",
    ("migstats.analysis.intervals.hedged_figure", "value"): "the stated number (absent for a plain range)",
    ("migstats.analysis.intervals.hedged_figure", "qualifier"): "the hedge of the stated number",
    ("migstats.flows.ffs.ffs_demo", "births"): "an input table (births by place of birth)",
    ("migstats.flows.ffs.ffs_demo", "deaths"): "an input table (deaths by place of birth)",
    ("migstats.flows.ffs.ffs_rates", "stock_end"): "an input table (the end stocks)",
    ("migstats.flows.ipf.ipf2", "row_tot"): "an input margin",
    ("migstats.flows.ipf.ipf2", "col_tot"): "an input margin",
    **{(f"migstats.flows.{name}", "offset"): "an input table (migest's offset matrix)"
       for name in ("ipf.ipf2", "ipf.ipf3", "cm.cm2", "net.cm_net", "net.cm_net_tot", "net.net_matrix_ipf",
                    "net.net_matrix_entropy", "net.net_matrix_lp", "net.net_matrix_optim")},
}

#: functions of other parts of the package that predate the rules: qualified name -> rules still broken.
#: Their owners bring them in line; delete an entry when its function follows the rule (the test says when).
PENDING: dict[str, set[str]] = {}


# --------------------------------------------------------------------------- the walk


def _public_modules() -> list:
    names = ["migstats"] + [m.name for m in pkgutil.walk_packages(migstats.__path__, "migstats.")
                            if not any(part.startswith("_") for part in m.name.split(".")[1:])
                            and m.name not in DEPRECATED_MODULES]
    return [importlib.import_module(name) for name in sorted(names)]


def _qualified(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _is_deprecated(obj) -> bool:
    return hasattr(obj, "__deprecated_alias_of__")


def public_callables() -> dict[str, object]:
    """Qualified name -> function or method, for every public function and method of the package."""
    found: dict[str, object] = {}
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj):
                if not obj.__module__.startswith("migstats") or issubclass(obj, (BaseException, Warning)):
                    continue
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found[_qualified(member)] = member
            elif inspect.isfunction(obj) and obj.__module__.startswith("migstats"):
                found[_qualified(obj)] = obj
    return found


# --------------------------------------------------------------------------- the rules


def _parameters(func) -> list[inspect.Parameter]:
    params = list(inspect.signature(func).parameters.values())
    return params[1:] if "." in func.__qualname__ and params and params[0].name in ("self", "cls") else params


def banned_names(name: str, func) -> list[str]:
    params = _parameters(func)
    names = {p.name for p in params}
    out = []
    for p in params:
        if p.name in BANNED and not (p.name == "column" and names & {"row", "rows"}):
            out.append(f"{name}: rule banned-name: parameter {p.name!r} is banned by docs/api.md; "
                       f"use {BANNED[p.name]}")
    return out


def positional_options(name: str, func) -> list[str]:
    return [
        f"{name}: rule keyword-only: parameter {p.name!r} has a default but can be passed by position; "
        f"put it after '*' (docs/api.md: everything after the data arguments is keyword-only), or list it "
        f"in OPTIONAL_DATA if it is a data argument"
        for p in _parameters(func)
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty and p.name != "data"
        and (name, p.name) not in OPTIONAL_DATA
    ]


def _section(doc: str, title: str) -> bool:
    return re.search(rf"^{title}\n-{{{len(title)}}}\s*$", doc, re.MULTILINE) is not None


def missing_sections(name: str, func) -> list[str]:
    doc = inspect.getdoc(func) or ""
    wanted = ["Examples"]
    if _parameters(func):
        wanted.insert(0, "Parameters")
    if inspect.signature(func).return_annotation not in (None, "None"):
        wanted.insert(-1, "Returns")
    missing = [title for title in wanted if not _section(doc, title)]
    if not missing:
        return []
    return [f"{name}: rule docstring: the docstring has no {', '.join(missing)} section"
            + ("s" if len(missing) > 1 else "") + " (numpydoc, docs/api.md 'Docstrings')"]


RULES = {"banned-name": banned_names, "keyword-only": positional_options, "docstring": missing_sections}


def violations() -> dict[str, dict[str, list[str]]]:
    """Qualified name -> rule -> messages, for every public callable that breaks a rule."""
    out: dict[str, dict[str, list[str]]] = {}
    for name, func in sorted(public_callables().items()):
        if _is_deprecated(func):
            continue
        for rule, check in RULES.items():
            messages = check(name, func)
            if messages:
                out.setdefault(name, {})[rule] = messages
    return out


# --------------------------------------------------------------------------- the tests


def test_the_walk_sees_the_public_api():
    found = public_callables()
    for name in ("migstats.analysis.growth.period_changes", "migstats.datasets.official.wdi_remittances",
                 "migstats.bundled.audit", "migstats.units.convert", "migstats.flows.ffs.ffs_demo"):
        assert name in found, name
    assert len(found) > 100


def test_public_api_follows_the_vocabulary():
    problems = []
    for name, rules in violations().items():
        for rule, messages in rules.items():
            if rule not in PENDING.get(name, set()):
                problems.extend(messages)
    assert not problems, "\n" + "\n".join(problems)


def test_every_argument_name_is_in_the_guide():
    """docs/api.md names every argument of the public API, so a new module reuses a name instead of a synonym."""
    guide = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    missing = sorted({f"{p.name} ({name})" for name, func in public_callables().items() if not _is_deprecated(func)
                      for p in _parameters(func)
                      if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and f"`{p.name}`" not in guide})
    assert not missing, "arguments docs/api.md does not name: " + ", ".join(missing)


def test_pending_entries_still_break_their_rules():
    found = violations()
    stale = [f"{name}: rule {rule}: no longer broken; remove it from PENDING in tests/test_api_vocabulary.py"
             for name, rules in PENDING.items() for rule in rules if rule not in found.get(name, {})]
    assert not stale, "\n" + "\n".join(stale)


def test_optional_data_entries_exist():
    params = {(name, p.name) for name, func in public_callables().items() for p in _parameters(func)}
    unknown = [f"{name}({param}=)" for name, param in OPTIONAL_DATA if (name, param) not in params]
    assert not unknown, f"OPTIONAL_DATA names parameters that do not exist: {unknown}"


def _changelog_names(key: str) -> list[str]:
    """The words a CHANGELOG line must contain for a DEPRECATED entry."""
    function, _, detail = key.partition("(")
    short = function.rsplit(".", 1)[-1]
    if not detail:
        return [f"`{function}`"]
    if detail.endswith("=)"):
        return [f"`{short}({detail}`"]
    if detail.startswith("positional "):
        return [f"`{short}`", "position", *detail[len("positional "):-1].split(", ")]
    return [f"`{short}()`", "without"]


def test_every_deprecated_name_is_in_the_changelog():
    _public_modules()  # importing the modules fills DEPRECATED
    assert DEPRECATED
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = changelog.split("## Unreleased", 1)[-1].split("\n## ", 1)[0]
    lines = unreleased.splitlines()
    # the Examples of migstats._deprecation register made-up names ("example.add"); only the package's count
    package = [key for key in DEPRECATED if key.startswith("migstats.") and not key.startswith("migstats._")]
    missing = [key for key in package
               if not any(all(word in line for word in _changelog_names(key)) for line in lines)]
    assert not missing, "deprecated names missing from CHANGELOG.md (Unreleased): " + ", ".join(missing)


# --------------------------------------------------------------------------- the old names still work, and warn


def _figs():
    import pandas as pd

    return pd.DataFrame({"entity_code": ["A", "A", "B", "B"], "year": [2000, 2005, 2000, 2005],
                         "value": [100.0, 125.0, 50.0, 40.0]})


def _same(a, b):
    import pandas as pd

    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        assert a == b


def _old_and_new():
    """(description, old call, new call, words the warning must contain)."""
    import pandas as pd

    import migstats
    from migstats import analysis, flows, units
    from migstats.datasets import official, report, schema
    from migstats.flows import arrays

    hedged = pd.DataFrame({"value": [20.0], "qualifier": ["more_than"], "unit": ["billion USD"]})
    revised = _figs().assign(value=[110.0, 125.0, 50.0, 44.0])
    stocks = (official.undesa_bilateral_regions(), official.undesa_population_regions())
    square = pd.DataFrame([[0.0, 5.0], [7.0, 0.0]], index=["A", "B"], columns=["A", "B"])
    return [
        ("period_changes(entity=)", lambda: analysis.period_changes(_figs(), entity="entity_code"),
         lambda: analysis.period_changes(_figs(), by="entity_code"), ["entity=", "by="]),
        ("average_growth positional years", lambda: analysis.average_growth(_figs(), 2000, 2005),
         lambda: analysis.average_growth(_figs(), year_start=2000, year_end=2005), ["year_start="]),
        ("index_to_base(base=)", lambda: analysis.index_to_base(_figs(), 2000, base=1.0),
         lambda: analysis.index_to_base(_figs(), 2000, scale=1.0), ["scale="]),
        ("index_to_base positional base", lambda: analysis.index_to_base(_figs(), 2000, 1.0),
         lambda: analysis.index_to_base(_figs(), 2000, scale=1.0), ["scale="]),
        ("relative_to(column=)", lambda: analysis.relative_to(_figs(), "A", column="entity_code", by="year"),
         lambda: analysis.relative_to(_figs(), "A", entity="entity_code", by="year"), ["entity="]),
        ("shares positional by", lambda: analysis.shares(_figs(), "year"),
         lambda: analysis.shares(_figs(), by="year"), ["by="]),
        ("threshold_test positional op", lambda: analysis.threshold_test(hedged, 20, ">="),
         lambda: analysis.threshold_test(hedged, 20, op=">="), ["op="]),
        ("revision_summary(measure=)",
         lambda: analysis.revision_summary(analysis.revisions(_figs(), revised), measure="relative"),
         lambda: analysis.revision_summary(analysis.revisions(_figs(), revised), relative=True), ["relative="]),
        ("rounding_interval positional decimals", lambda: analysis.rounding_interval(7.5, 1),
         lambda: analysis.rounding_interval(7.5, decimals=1), ["decimals="]),
        ("estimate", lambda: analysis.estimate(20, "more_than"), lambda: analysis.hedged_figure(20, "more_than"),
         ["hedged_figure"]),
        ("migstats.estimate", lambda: migstats.estimate(20, "more_than"),
         lambda: migstats.hedged_figure(20, "more_than"), ["hedged_figure"]),
        ("add", lambda: analysis.add(analysis.hedged_figure(1), analysis.hedged_figure(2)),
         lambda: analysis.interval_add(analysis.hedged_figure(1), analysis.hedged_figure(2)), ["interval_add"]),
        ("divide", lambda: analysis.divide(analysis.hedged_figure(1), analysis.hedged_figure(2)),
         lambda: analysis.interval_divide(analysis.hedged_figure(1), analysis.hedged_figure(2)),
         ["interval_divide"]),
        ("units.add", lambda: units.add(units.quantity(1, "USD"), units.quantity(2, "USD")).magnitude,
         lambda: units.add_quantities(units.quantity(1, "USD"), units.quantity(2, "USD")).magnitude,
         ["add_quantities"]),
        ("convert_values(units=)", lambda: list(units.convert_values([1.0], units="billion USD", to_unit="USD")),
         lambda: list(units.convert_values([1.0], unit="billion USD", to_unit="USD")), ["unit="]),
        ("load_claims", lambda: migstats.load_claims(), lambda: migstats.claims(), ["claims"]),
        ("analysis.load_claims", lambda: analysis.load_claims(), lambda: report.claims(), ["claims"]),
        ("wdi_remittances(measure=)", lambda: official.wdi_remittances(measure="pct_gdp"),
         lambda: official.wdi_remittances(series="pct_gdp"), ["series="]),
        ("wdi_remittances positional", lambda: official.wdi_remittances("pct_gdp"),
         lambda: official.wdi_remittances(series="pct_gdp"), ["series="]),
        ("undesa_stock(by=)", lambda: official.undesa_stock(by="origin"),
         lambda: official.undesa_stock(series="origin"), ["series="]),
        ("oecd_inflows positional", lambda: official.oecd_inflows("standardised"),
         lambda: official.oecd_inflows(series="standardised"), ["series="]),
        ("figures positional", lambda: report.figures("census"), lambda: report.figures(topic="census"), ["topic="]),
        ("read_table positional root", lambda: schema.read_table("report-links", None),
         lambda: schema.read_table("report-links"), ["root="]),
        ("analysis.audit() without tables", lambda: analysis.audit(), lambda: migstats.audit(), ["migstats.audit()"]),
        ("analysis.reconcile() without tables", lambda: analysis.reconcile(), lambda: migstats.reconcile(),
         ["migstats.reconcile()"]),
        ("matrix_to_long(frame=)", lambda: flows.matrix_to_long(frame=square), lambda: flows.matrix_to_long(square),
         ["data="]),
        ("as_vector positional labels", lambda: arrays.as_vector({"B": 2, "A": 1}, "x", ["A", "B"])[0].tolist(),
         lambda: arrays.as_vector({"B": 2, "A": 1}, "x", labels=["A", "B"])[0].tolist(), ["labels="]),
        ("as_square positional labels", lambda: arrays.as_square(square, "x", ["B", "A"])[0].tolist(),
         lambda: arrays.as_square(square, "x", labels=["B", "A"])[0].tolist(), ["labels="]),
        ("as_matrix positional rows, cols", lambda: arrays.as_matrix(square, "x", ["B", "A"], ["A"])[0].tolist(),
         lambda: arrays.as_matrix(square, "x", rows=["B", "A"], cols=["A"])[0].tolist(), ["rows=", "cols="]),
        ("region_stock_tables(start=, end=)",
         lambda: flows.region_stock_tables(*stocks, start=2015, end=2020)[1],
         lambda: flows.region_stock_tables(*stocks, year_start=2015, year_end=2020)[1], ["year_start=", "year_end="]),
        ("offset_array positional name", lambda: arrays.offset_array(None, 2, ["A", "B"], "seed").tolist(),
         lambda: arrays.offset_array(None, 2, ["A", "B"], name="seed").tolist(), ["name="]),
    ]


def test_old_names_warn_name_the_new_one_and_give_the_same_result():
    import warnings

    for what, old, new, words in _old_and_new():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = old()
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert deprecations, f"{what}: no DeprecationWarning"
        message = " ".join(str(w.message) for w in deprecations)
        assert all(word in message for word in words), f"{what}: {message!r} does not name {words}"
        # the warning points at the caller's line (this file), not inside migstats
        assert all(w.filename == __file__ for w in deprecations), (what, [w.filename for w in deprecations])
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            _same(got, new())


def test_old_module_attributes_warn():
    import importlib
    import warnings

    reconcile_module = importlib.import_module("migstats.analysis.reconcile")
    audit_module = importlib.import_module("migstats.analysis.audit")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counterparts = reconcile_module.COUNTERPARTS
        claims = audit_module.load_claims()
    assert len(caught) == 2 and all(issubclass(w.category, DeprecationWarning) for w in caught)
    # the former shape: tuples, M49 region codes as int
    assert ("mig_lcn_2000", "point", "un_orig", 904, 2000) in [row[:5] for row in counterparts]
    assert len(claims) == 25
