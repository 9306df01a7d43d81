"""Docstring fragments shared across the package (written once, filled in by :func:`fill_doc`).

A docstring names a fragment as ``%(name)s`` alone on a line; :func:`fill_doc`
replaces that line by the fragment, indented like the marker.
"""

from __future__ import annotations

import re
import textwrap

FRAGMENTS = {
    "data_by_year": """\
data : pandas.Series or pandas.DataFrame
    Values indexed by year, or a long table with ``year`` (see ``year=``)
    and ``value`` columns, an optional entity column and ``unit`` (converted
    to one unit per entity).""",
    "by_entity": """\
by : str or list of str, optional
    Column(s) that split the table into independent series, one per
    entity; default the entity column found in the table (the first of
    ``entity_code``, ``code``, ``entity``; none: the table is one series).""",
    "year": """\
year : str, default "year"
    The year column (``year_start`` for the report's figure table).""",
    "undefined": """\
undefined : {"mark", "raise"}, default "mark"
    What to do where a relative measure does not exist (a zero start; a
    start and end of opposite signs; a zero end has no log rate):
    ``"mark"`` leaves it NaN and says why in ``note``; ``"raise"`` raises.
    Official series have such cases (the KNOMAD table has zeros), so
    marking is the default.""",
    "interval_pair": """\
a, b : pandas.DataFrame
    Interval tables (:func:`hedged_figure`, :func:`as_intervals` or a
    previous result), 1 row or the same number of rows.""",
    "interval_result": """\
pandas.DataFrame
    As :func:`propagate`: ``value, low, high, kind, approximate,
    qualifier`` and ``unit`` when the inputs have units.""",
    "approx_rel": """\
approx_rel : float, default 0.05
    Relative half-width given to approximate ("about", "almost") figures;
    a convention, not something the report states (see
    :func:`~migstats.analysis.as_intervals`).""",
    "root": """\
root : path, optional
    Folder holding ``datapackage.json``; the bundled data by default.""",
    "official_source": """\
source : {"bundled", "latest"} or path-like
    ``bundled`` (default): the snapshot, offline; ``latest``: the newest
    release, fetched or reused from the cache (:func:`migstats.fetch`);
    a path: that file, in the publisher's format.""",
    "unknown_series": """\
UnknownNameError
    If ``series`` is not one of the two.""",
    "world_flows_raises": """\
SpanError
    A period the data do not cover.
UnknownNameError
    An unknown method, ``others`` rule or pseudo-Bayes sample size name.""",
    "example_framework": """\
>>> fw = Framework.from_spec({"index": {"code": "I"}, "aggregate": [{"code": "P", "parent": "I"}],
...     "indicator": [{"code": "a", "parent": "P"}, {"code": "b", "parent": "P", "direction": -1}]})""",
    # charts (filled in by migstats.charts._style.house_chart)
    "figures_data": """\
data : pandas.DataFrame, optional
    A figure table like :func:`migstats.figures` (the bundled report by default).
    (Formerly ``figs``: that keyword still works for one release, with a DeprecationWarning.)""",
    "reconciled_data": """\
data : pandas.DataFrame, optional
    A table like :func:`migstats.reconcile` (computed from the bundled data by default).
    (Formerly ``table``: that keyword still works for one release, with a DeprecationWarning.)""",
    "ax": """\
ax : matplotlib.axes.Axes, optional
    Axes to draw into; a new figure of standard size otherwise.""",
    "figure": """\
matplotlib.figure.Figure
    The figure drawn (that of ``ax`` when one is given), in the house style.""",
    "see_also_registry": """\
migstats.charts.render : draw a chart by its registered name.
migstats.charts.write_charts : draw charts to files.""",
    "three_valued": """\
The answer is a pandas nullable ``boolean``: True, False, or ``<NA>``
where the data cannot tell; the neighbouring ``*_note`` column says why.""",
}

_MARKER = re.compile(r"^(?P<indent>[ \t]*)%\((?P<name>\w+)\)s[ \t]*$", re.MULTILINE)


def fill_doc(func):
    """Replace each ``%(name)s`` marker line of ``func.__doc__`` by its fragment; return ``func``."""

    def fragment(match: re.Match) -> str:
        return textwrap.indent(FRAGMENTS[match["name"]], match["indent"])

    if func.__doc__:
        func.__doc__ = _MARKER.sub(fragment, func.__doc__)
    return func
