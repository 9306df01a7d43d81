"""Docstring fragments shared by the chart functions, written once.

A line of a chart's docstring that holds only ``{name}`` is replaced by the fragment
of that name, indented like the placeholder; see :func:`fill_doc`.
"""

from __future__ import annotations

import re

FRAGMENTS = {
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
}

_PLACEHOLDER = re.compile(r"^( *)\{(\w+)\}$", flags=re.M)


def fill_doc(func):
    """Replace each ``{name}`` line of ``func.__doc__`` with ``FRAGMENTS[name]``; returns ``func``.

    An unknown name raises ``KeyError`` when the module is imported, not later.
    """

    def fragment(match):
        indent, name = match.groups()
        return "\n".join(indent + line if line else line for line in FRAGMENTS[name].splitlines())

    func.__doc__ = _PLACEHOLDER.sub(fragment, func.__doc__)
    return func
