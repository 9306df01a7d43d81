"""The framework of a composite index: indicators, aggregates and their hierarchy.

A framework is a tree. Its leaves are indicators (with a direction, a weight,
a unit, an optional denominator and target); its inner nodes are aggregates
(pillars, sub-indices, ...) with a weight inside their own parent; its root is
the index. The tree may have any depth. It is checked when it is built: a
cycle, an orphan (a parent that is not defined, an aggregate without
children), a weight that is not a finite non-negative number and a direction
other than 1 or -1 raise :class:`~migstats.errors.InputError` naming the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._docstrings import fill_doc
from ..errors import InputError, ValidationError

__all__ = ["Framework", "Node"]


@dataclass(frozen=True)
class Node:
    """One indicator or aggregate of a framework.

    ``level`` is 1 for indicators and one more than the highest child for an
    aggregate (so the index is the highest level).
    """

    code: str
    role: str  # "indicator" or "aggregate"
    parent: str | None
    weight: float = 1.0
    direction: int = 1
    name: str = ""
    unit: str = ""
    denominator: str | None = None
    target: float | None = None
    goalposts: tuple | None = None  # (lower, upper, scale)
    level: int = field(default=1, compare=False)


_ROLES = ("indicator", "aggregate")
# keys a spec file may give (the data keys are read by migstats.composite.spec); a typo is an error
_DATA_KEYS = {"source", "series", "year", "scale"}
_SPEC_KEYS = {
    "aggregate": {"code", "name", "parent", "weight"},
    "indicator": {"code", "name", "parent", "weight", "direction", "unit", "denominator", "target", "goalposts"}
    | _DATA_KEYS,
    "denominator": {"code", "name", "unit"} | _DATA_KEYS,
}


class Framework:
    """An indicator framework: a tree of indicators and aggregates, checked on construction.

    Parameters
    ----------
    nodes : iterable of Node
        Every indicator and aggregate. Exactly one node (the index) has no
        parent.

    Raises
    ------
    InputError
        A duplicated code, a parent that is not an aggregate of the framework
        (an orphan), an aggregate without children, a cycle, more or fewer than
        one root, a weight that is not finite and non-negative, a direction
        other than 1 or -1. The message names the code.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = pd.DataFrame({"code": ["a", "b", "index"], "role": ["indicator", "indicator", "aggregate"],
    ...                      "parent": ["index", "index", None], "direction": [1, -1, 1]})
    >>> fw = Framework.from_frame(spec)
    >>> fw.indicators, fw.root, fw.depth
    (['a', 'b'], 'index', 2)
    """

    def __init__(self, nodes):
        nodes = list(nodes)
        by_code: dict[str, Node] = {}
        for node in nodes:
            if not isinstance(node.code, str) or not node.code:
                raise InputError(f"framework: a node without a code ({node!r})")
            if node.code in by_code:
                raise InputError(f"framework: code {node.code!r} is defined twice")
            if node.role not in _ROLES:
                raise InputError(f"framework: {node.code!r} has role {node.role!r}; use 'indicator' or 'aggregate'")
            _check_number(node.code, "weight", node.weight)
            if node.weight < 0:
                raise InputError(f"framework: {node.code!r} has a negative weight ({node.weight})")
            if node.role == "indicator" and node.direction not in (1, -1):
                raise InputError(f"framework: {node.code!r} has direction {node.direction!r}; it must be 1 or -1")
            by_code[node.code] = node
        for node in nodes:
            if node.parent is None:
                continue
            parent = by_code.get(node.parent)
            if parent is None:
                raise InputError(f"framework: {node.code!r} is an orphan: its parent {node.parent!r} is not defined")
            if parent.role != "aggregate":
                raise InputError(f"framework: {node.code!r} has the indicator {node.parent!r} as parent")
        roots = [n.code for n in nodes if n.parent is None]
        for node in nodes:  # walking up from every node finds a cycle before anything else can loop
            seen = [node.code]
            up = node.parent
            while up is not None:
                if up in seen:
                    raise InputError(f"framework: cycle through {up!r} ({' -> '.join(seen + [up])})")
                seen.append(up)
                up = by_code[up].parent
        if len(roots) != 1:
            raise InputError(f"framework: {len(roots)} nodes without a parent ({', '.join(map(repr, roots)) or 'none'}); "
                             "exactly one (the index) must have none")
        children: dict[str, list[str]] = {n.code: [] for n in nodes if n.role == "aggregate"}
        for node in nodes:
            if node.parent is not None:
                children[node.parent].append(node.code)
        for code, kids in children.items():
            if not kids:
                raise InputError(f"framework: the aggregate {code!r} has no children (an orphan aggregate)")
        levels: dict[str, int] = {}

        def level(code: str) -> int:
            if code not in levels:
                kids = children.get(code)
                levels[code] = 1 if not kids else 1 + max(level(k) for k in kids)
            return levels[code]

        self._nodes = {n.code: Node(**{**n.__dict__, "level": level(n.code)}) for n in nodes}
        self._children = children
        self.root = roots[0]

    # -- access ---------------------------------------------------------------
    @property
    @fill_doc
    def nodes(self) -> dict[str, Node]:
        """Every node by code.

        Returns
        -------
        dict of str to Node

        Examples
        --------
        %(example_framework)s
        >>> sorted(fw.nodes)
        ['I', 'P', 'a', 'b']
        """
        return dict(self._nodes)

    @property
    @fill_doc
    def indicators(self) -> list[str]:
        """Indicator codes, in the order they were given.

        Returns
        -------
        list of str

        Examples
        --------
        %(example_framework)s
        >>> fw.indicators
        ['a', 'b']
        """
        return [c for c, n in self._nodes.items() if n.role == "indicator"]

    @property
    @fill_doc
    def aggregates(self) -> list[str]:
        """Aggregate codes, lowest level first (the order they are computed in), the index last.

        Returns
        -------
        list of str

        Examples
        --------
        %(example_framework)s
        >>> fw.aggregates
        ['P', 'I']
        """
        aggs = [c for c, n in self._nodes.items() if n.role == "aggregate"]
        return sorted(aggs, key=lambda c: self._nodes[c].level)

    @property
    @fill_doc
    def depth(self) -> int:
        """Number of levels, indicators included.

        Returns
        -------
        int

        Examples
        --------
        %(example_framework)s
        >>> fw.depth
        3
        """
        return self._nodes[self.root].level

    @fill_doc
    def children(self, code: str) -> list[str]:
        """The codes directly below an aggregate.

        Parameters
        ----------
        code : str
            An aggregate.

        Returns
        -------
        list of str

        Examples
        --------
        %(example_framework)s
        >>> fw.children("I")
        ['P']
        """
        return list(self._children[code])

    @fill_doc
    def level_codes(self, level: int) -> list[str]:
        """Codes at one level (1: indicators).

        Parameters
        ----------
        level : int
            The level.

        Returns
        -------
        list of str

        Examples
        --------
        %(example_framework)s
        >>> fw.level_codes(2)
        ['P']
        """
        return [c for c, n in self._nodes.items() if n.level == level]

    @fill_doc
    def indicators_under(self, code: str) -> list[str]:
        """Every indicator below a node (itself, for an indicator).

        Parameters
        ----------
        code : str
            A node.

        Returns
        -------
        list of str

        Examples
        --------
        %(example_framework)s
        >>> fw.indicators_under("I")
        ['a', 'b']
        """
        if self._nodes[code].role == "indicator":
            return [code]
        return [i for k in self._children[code] for i in self.indicators_under(k)]

    @fill_doc
    def weights(self) -> pd.Series:
        """Weights of every node, as given (not rescaled), indexed by code.

        Returns
        -------
        Series

        Examples
        --------
        %(example_framework)s
        >>> fw.weights().tolist()
        [1.0, 1.0, 1.0, 1.0]
        """
        return pd.Series({c: n.weight for c, n in self._nodes.items()}, name="weight", dtype=float)

    @fill_doc
    def directions(self) -> pd.Series:
        """Directions of the indicators, indexed by code.

        Returns
        -------
        Series

        Examples
        --------
        %(example_framework)s
        >>> fw.directions().to_dict()
        {'a': 1, 'b': -1}
        """
        return pd.Series({c: self._nodes[c].direction for c in self.indicators}, name="direction", dtype=int)

    def to_frame(self) -> pd.DataFrame:
        """The framework as a long table: one row per node, lowest level first.

        Returns
        -------
        DataFrame
            code, name, role, level, parent (empty for the index), weight, direction,
            unit, denominator, target, goalpost_lower, goalpost_upper, goalpost_scale;
            :meth:`from_frame` reads it back.

        Examples
        --------
        >>> fw = Framework.from_spec({"index": {"code": "I"}, "indicator": [{"code": "a", "parent": "I"}]})
        >>> fw.to_frame()[["code", "role", "level", "parent"]].values.tolist()
        [['a', 'indicator', 1, 'I'], ['I', 'aggregate', 2, '']]
        """
        rows = []
        for code in self.indicators + self.aggregates:
            n = self._nodes[code]
            gp = n.goalposts or (math.nan, math.nan, math.nan)
            rows.append({"code": code, "name": n.name, "role": n.role, "level": n.level, "parent": n.parent or "",
                         "weight": n.weight, "direction": n.direction, "unit": n.unit, "denominator": n.denominator,
                         "target": math.nan if n.target is None else n.target, "goalpost_lower": gp[0],
                         "goalpost_upper": gp[1], "goalpost_scale": gp[2]})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (f"Framework({len(self.indicators)} indicators, {len(self._nodes) - len(self.indicators)} aggregates, "
                f"{self.depth} levels, index {self.root!r})")

    # -- readers ----------------------------------------------------------------
    @classmethod
    def from_frame(cls, data: pd.DataFrame) -> Framework:
        """A framework from a long table, one row per node.

        Parameters
        ----------
        data : DataFrame
            Columns ``code``, ``role`` ("indicator" or "aggregate") and ``parent``
            (empty for the index); optional ``weight`` (default 1), ``direction``
            (default 1), ``name``, ``unit``, ``denominator``, ``target``,
            ``goalpost_lower``, ``goalpost_upper``, ``goalpost_scale``.

        Returns
        -------
        Framework

        Raises
        ------
        InputError
            A missing column, or any of the checks of :class:`Framework`.

        Examples
        --------
        >>> import pandas as pd
        >>> fw = Framework.from_frame(pd.DataFrame({"code": ["x", "y", "top"],
        ...     "role": ["indicator", "indicator", "aggregate"], "parent": ["top", "top", ""]}))
        >>> fw.children("top")
        ['x', 'y']
        """
        missing = [c for c in ("code", "role", "parent") if c not in data.columns]
        if missing:
            raise InputError(f"framework table lacks the column(s) {', '.join(missing)}")
        nodes = []
        for rec in data.to_dict("records"):
            nodes.append(_node(rec))
        return cls(nodes)

    @classmethod
    def from_coinr(cls, data: pd.DataFrame) -> Framework:
        """A framework from COINr's ``iMeta`` layout.

        Parameters
        ----------
        data : DataFrame
            Columns ``Level``, ``iCode``, ``Direction``, ``Weight``, ``Parent``,
            ``Type`` (rows of type ``Indicator`` and ``Aggregate`` are used; groups
            and denominators are data columns, not nodes); optional ``iName``,
            ``Unit``, ``Target``, ``Denominator``, ``goalpost_lower``,
            ``goalpost_upper``, ``goalpost_scale``.

        Returns
        -------
        Framework

        Raises
        ------
        InputError
            A missing column, or any of the checks of :class:`Framework`.

        Examples
        --------
        >>> import pandas as pd
        >>> meta = pd.DataFrame({"Level": [1, 1, 2], "iCode": ["a", "b", "Index"], "Direction": [1, -1, 1],
        ...     "Weight": [1, 2, 1], "Parent": ["Index", "Index", None], "Type": ["Indicator", "Indicator", "Aggregate"]})
        >>> Framework.from_coinr(meta).weights().to_dict()
        {'a': 1.0, 'b': 2.0, 'Index': 1.0}
        """
        missing = [c for c in ("iCode", "Direction", "Weight", "Parent", "Type") if c not in data.columns]
        if missing:
            raise InputError(f"iMeta table lacks the column(s) {', '.join(missing)}")
        rows = data[data["Type"].isin(["Indicator", "Aggregate"])]
        renamed = rows.rename(columns={"iCode": "code", "iName": "name", "Direction": "direction", "Weight": "weight",
                                       "Parent": "parent", "Unit": "unit", "Target": "target",
                                       "Denominator": "denominator"})
        renamed = renamed.assign(role=rows["Type"].str.lower())
        return cls.from_frame(renamed)

    @classmethod
    def from_toml(cls, path) -> Framework:
        """A framework from the ``[index]``, ``[[aggregate]]`` and ``[[indicator]]`` tables of a TOML file.

        Parameters
        ----------
        path : str or Path
            The spec file. ``[index]`` has ``code`` (and ``name``);
            each ``[[aggregate]]`` has ``code``, ``parent`` (and ``name``,
            ``weight``); each ``[[indicator]]`` has ``code``, ``parent`` (and
            ``name``, ``direction``, ``weight``, ``unit``, ``denominator``,
            ``target``, ``goalposts = [lower, upper, scale]``).

        Returns
        -------
        Framework

        Raises
        ------
        ValidationError
            The file does not parse, or the framework fails a check (the message
            names the file and the code).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> spec = pathlib.Path(tempfile.mkdtemp()) / "spec.toml"
        >>> _ = spec.write_text('[index]\\ncode = "idx"\\n[[indicator]]\\ncode = "a"\\nparent = "idx"\\n')
        >>> Framework.from_toml(spec).indicators
        ['a']
        """
        spec = read_spec(path)
        try:
            return cls.from_spec(spec)
        except InputError as exc:
            raise ValidationError(str(exc), file=path) from None

    @classmethod
    def from_spec(cls, spec: dict) -> Framework:
        """A framework from a parsed spec (the dict :func:`read_spec` returns).

        Parameters
        ----------
        spec : dict
            ``index`` (a table with ``code``), ``aggregate`` and ``indicator``
            (lists of tables), as in :meth:`from_toml`.

        Returns
        -------
        Framework

        Raises
        ------
        InputError
            No ``[index]`` code, an unknown key in a table (a misspelt
            ``direction`` must not pass silently), or any of the checks of
            :class:`Framework`.

        Examples
        --------
        >>> Framework.from_spec({"index": {"code": "i"}, "indicator": [{"code": "a", "parent": "i"}]}).root
        'i'
        """
        index = spec.get("index", {})
        for role in ("aggregate", "indicator", "denominator"):
            for rec in spec.get(role, []):
                unknown = sorted(set(rec) - _SPEC_KEYS[role])
                if unknown:
                    raise InputError(f"[[{role}]] {rec.get('code')!r}: unknown key {unknown[0]!r}; "
                                     f"use {', '.join(sorted(_SPEC_KEYS[role]))}")
        if "code" not in index:
            raise InputError("the spec has no [index] table with a code")
        nodes = [_node({"code": index["code"], "name": index.get("name", ""), "role": "aggregate", "parent": None})]
        for role in ("aggregate", "indicator"):
            for rec in spec.get(role, []):
                rec = dict(rec)
                gp = rec.pop("goalposts", None)
                if gp is not None:
                    if len(gp) != 3:
                        raise InputError(f"framework: {rec.get('code')!r}: goalposts must be [lower, upper, scale]")
                    rec.update(goalpost_lower=gp[0], goalpost_upper=gp[1], goalpost_scale=gp[2])
                nodes.append(_node({**rec, "role": role}))
        return cls(nodes)


def read_spec(path) -> dict:
    """Parse a TOML spec file.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    dict
        The parsed tables.

    Raises
    ------
    ValidationError
        The file cannot be read or is not valid TOML (with the line TOML reports).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = p.write_text('[index]\\ncode = "i"\\n')
    >>> read_spec(p)
    {'index': {'code': 'i'}}
    """
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ValidationError(f"cannot read the spec: {exc.strerror or exc}", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"not valid TOML: {exc}", file=path) from None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == ""


def _check_number(code, what, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"framework: {code!r} has {what} {value!r}; it must be a finite number")


def _node(rec: dict) -> Node:
    code = rec.get("code")
    code = None if _missing(code) else str(code)
    if code is None:
        raise InputError(f"framework: a row without a code ({rec})")

    def number(key, default):
        value = rec.get(key)
        if _missing(value):
            return default
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise InputError(f"framework: {code!r} has {key} {value!r}; it must be a number") from None
        _check_number(code, key, value)
        return float(value)

    direction = number("direction", 1.0)
    if direction not in (1.0, -1.0):
        raise InputError(f"framework: {code!r} has direction {direction:g}; it must be 1 or -1")
    bounds = [number(k, None) for k in ("goalpost_lower", "goalpost_upper", "goalpost_scale")]
    goalposts = None
    if any(b is not None for b in bounds):
        if any(b is None for b in bounds):
            raise InputError(f"framework: {code!r} has incomplete goalposts; give lower, upper and scale")
        if bounds[0] == bounds[1]:
            raise InputError(f"framework: {code!r} has equal lower and upper goalposts")
        goalposts = tuple(bounds)
    parent = rec.get("parent")
    denominator = rec.get("denominator")
    return Node(
        code=code,
        role=str(rec.get("role", "")).lower(),
        parent=None if _missing(parent) else str(parent),
        weight=number("weight", 1.0),
        direction=int(direction),
        name="" if _missing(rec.get("name")) else str(rec["name"]),
        unit="" if _missing(rec.get("unit")) else str(rec["unit"]),
        denominator=None if _missing(denominator) else str(denominator),
        target=number("target", None),
        goalposts=goalposts,
    )
