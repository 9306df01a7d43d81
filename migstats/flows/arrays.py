"""Checked numeric inputs shared by :mod:`migstats.flows` and :mod:`migstats.flows.indices`.

Every flow estimator and index accepts numpy arrays or labelled pandas
objects. The functions here turn them into float arrays plus region labels
and refuse what no estimator can use, with a migstats error that names the
argument and the region:

* non-numeric values (strings, objects) -> :class:`InputError`;
* NaN or infinite values -> :class:`MissingValueError`;
* no values at all -> :class:`EmptyTableError`;
* a region label used twice -> :class:`InputError`;
* negative values where counts are expected (``nonneg=True``) -> :class:`InputError`.

Labels travel with the numbers: a labelled input keeps its labels; a bare
array gets ``"R1" .. "Rn"``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from migstats._deprecation import changed_arguments
from migstats.errors import EmptyTableError, InputError, MissingValueError

__all__ = ["default_labels", "as_number", "as_vector", "as_matrix", "as_square", "as_cube", "offset_array",
           "require_positive_cell", "safe_ratio"]


def default_labels(n: int) -> list[str]:
    """Region labels for unlabelled input.

    Parameters
    ----------
    n : int
        Number of regions.

    Returns
    -------
    list of str
        ``["R1", ..., "Rn"]``.

    See Also
    --------
    as_vector, as_matrix : they label unlabelled input with these.

    Examples
    --------
    >>> default_labels(3)
    ['R1', 'R2', 'R3']
    """
    return [f"R{i + 1}" for i in range(n)]


def as_number(x, name: str, *, minimum: float | None = None, strict: bool = False) -> float:
    """A finite real number, checked.

    Parameters
    ----------
    x : int or float (numpy scalars included)
        The value; strings and booleans are refused.
    name : str
        The argument's name, for messages.
    minimum : float, optional
        Lower bound; ``strict=True`` makes it exclusive.
    strict : bool
        Whether ``x == minimum`` is refused.

    Returns
    -------
    float

    Raises
    ------
    InputError
        Not a real number, or below the bound.
    MissingValueError
        NaN or infinite.

    See Also
    --------
    as_vector : the same checks for a vector.

    Examples
    --------
    >>> as_number(3, "tol", minimum=0, strict=True)
    3.0
    >>> as_number(0, "tol", minimum=0, strict=True)
    Traceback (most recent call last):
    ...
    migstats.errors.InputError: tol must be greater than 0, got 0
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise InputError(f"{name} must be a number, got {x!r} ({type(x).__name__})")
    value = float(x)
    if not np.isfinite(value):
        raise MissingValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and (value < minimum or (strict and value == minimum)):
        bound = f"greater than {minimum:g}" if strict else f"at least {minimum:g}"
        raise InputError(f"{name} must be {bound}, got {value:g}")
    return value


def _floats(values, name: str) -> np.ndarray:
    """``values`` as a float array, or InputError naming ``name`` when they are not numbers."""
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a regular array of numbers") from None
    if arr.dtype.kind in "iuf":
        return arr.astype(float, copy=False)
    if arr.dtype.kind == "O":
        bad = [v for v in arr.flat if isinstance(v, (str, bytes, bool, np.bool_))
               or not (isinstance(v, numbers.Real) or v is None or v is pd.NA)]
        if not bad:
            return np.array([np.nan if v is None or v is pd.NA else float(v) for v in arr.flat],
                            dtype=float).reshape(arr.shape)
        raise InputError(f"{name} must hold numbers, got {bad[0]!r} ({type(bad[0]).__name__})")
    raise InputError(f"{name} must hold numbers, got values of type {arr.dtype}")


def _pandas_floats(x, name: str) -> np.ndarray:
    dtypes = {x.dtype} if isinstance(x, pd.Series) else set(x.dtypes)
    if all(pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d) for d in dtypes):
        return x.to_numpy(dtype=float, na_value=np.nan)
    return _floats(x.to_numpy(dtype=object), name)


def _check_labels(labels, name: str, what: str = "region label") -> None:
    index = pd.Index(list(labels))
    if index.has_duplicates:
        dup = sorted({str(v) for v in index[index.duplicated()]})
        raise InputError(f"{name} has duplicate {what}(s) {dup}; each region must appear once")


def _check_values(values: np.ndarray, name: str, row_labels, col_labels=None, *, nonneg: bool) -> None:
    """Empty, missing and negative checks, naming the region (and column) of the first bad cell.

    ``row_labels`` may be a function of the row position, so labels are only
    built for a cell that is reported.
    """
    if values.size == 0:
        raise EmptyTableError(f"{name} is empty")

    def where(pos) -> str:
        row = row_labels(pos[0]) if callable(row_labels) else row_labels[pos[0]]
        if col_labels is None:
            return f"region {row!r}"
        return f"row {row!r}, column {col_labels[pos[1]]!r}"

    # two reductions settle the common case; NaN propagates into min and max
    lo, hi = values.min(), values.max()
    if np.isfinite(lo) and np.isfinite(hi) and (lo >= 0 or not nonneg):
        return
    finite = np.isfinite(values)
    if not finite.all():
        pos = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise MissingValueError(f"{name} has a missing or infinite value ({float(values[pos])}) for {where(pos)}")
    if nonneg and np.any(values < 0):
        pos = tuple(int(i) for i in np.argwhere(values < 0)[0])
        raise InputError(f"{name} is negative ({values[pos]:.6g}) for {where(pos)}; it must not be negative")


@changed_arguments(positional=("labels",))
def as_vector(x, name: str, *, labels=None, nonneg: bool = False) -> tuple[np.ndarray, list]:
    """A vector (Series, dict, one-column DataFrame, sequence, array) as floats with region labels.

    Parameters
    ----------
    x : Series, dict, one-column DataFrame, sequence or 1-d array
        The values. A labelled input is reordered to ``labels`` when they are
        given; an unlabelled one must already be in that order.
    name : str
        The argument's name, for messages.
    labels : list, optional
        The regions the values must cover.
    nonneg : bool
        Refuse negative values (counts).

    Returns
    -------
    (numpy.ndarray, list)
        Float values and their labels.

    Raises
    ------
    InputError
        Not numeric, not one-dimensional, duplicate labels, a region of
        ``labels`` without a value, the wrong length, or (``nonneg``) a
        negative value.
    EmptyTableError
        No values.
    MissingValueError
        NaN or infinite values.

    See Also
    --------
    as_matrix, as_square : the same for tables.

    Examples
    --------
    >>> import pandas as pd
    >>> values, labels = as_vector(pd.Series({"B": 2, "A": 1}), "pop", labels=["A", "B"])
    >>> values.tolist(), labels
    ([1.0, 2.0], ['A', 'B'])
    >>> as_vector([1, -1], "pop", nonneg=True)
    Traceback (most recent call last):
    ...
    migstats.errors.InputError: pop is negative (-1) for region 'R2'; it must not be negative
    """
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise InputError(f"{name} must be a vector, got a table with {x.shape[1]} columns")
        x = x.iloc[:, 0]
    if isinstance(x, dict):
        x = pd.Series(x, dtype=object)
    if isinstance(x, pd.Series):
        _check_labels(x.index, name)
        own = list(x.index)
        if labels is not None and own != list(range(len(own))):
            missing = [lab for lab in labels if lab not in x.index]
            if missing:
                raise InputError(f"{name} has no value for region(s) {missing}")
            x = x.reindex(labels)
            own = list(labels)
        elif labels is not None:
            own = list(labels)
        values = _pandas_floats(x, name)
    else:
        if isinstance(x, (str, bytes)) or np.ndim(x) != 1:
            raise InputError(f"{name} must be one-dimensional, got {x!r}" if np.ndim(x) == 0
                             else f"{name} must be one-dimensional, got shape {np.shape(x)}")
        values = _floats(x, name)
        own = list(labels) if labels is not None else default_labels(values.size)
    if labels is not None and len(values) != len(labels):
        raise InputError(f"{name} has {len(values)} values for {len(labels)} regions")
    _check_values(values, name, own, nonneg=nonneg)
    return values, own


@changed_arguments(positional=("rows", "cols"))
def as_matrix(x, name: str, *, rows=None, cols=None, nonneg: bool = False) -> tuple[np.ndarray, list, list]:
    """A 2-d table as floats with row and column labels.

    Parameters
    ----------
    x : DataFrame or 2-d array-like
        The table. A DataFrame is reordered to ``rows``/``cols`` when they
        are given, so tables with the same regions in another order line up.
    name : str
        The argument's name, for messages.
    rows, cols : list, optional
        Row and column labels the table must have.
    nonneg : bool
        Refuse negative cells (counts, offsets).

    Returns
    -------
    (numpy.ndarray, list, list)
        Float values, row labels, column labels.

    Raises
    ------
    InputError
        Not numeric, not 2-d, duplicate or missing labels, the wrong shape,
        or (``nonneg``) a negative cell (the message names its row and column).
    EmptyTableError
        No cells.
    MissingValueError
        NaN or infinite cells.

    See Also
    --------
    as_square : a region x region table.
    as_vector : the same for a vector.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame([[1, 2], [3, 4]], index=["A", "B"], columns=["X", "Y"])
    >>> values, rows, cols = as_matrix(table, "offset", cols=["Y", "X"])
    >>> values.tolist(), rows, cols
    ([[2.0, 1.0], [4.0, 3.0]], ['A', 'B'], ['Y', 'X'])
    """
    if isinstance(x, pd.DataFrame):
        _check_labels(x.index, name, "row label")
        _check_labels(x.columns, name, "column label")
        if rows is not None or cols is not None:
            want_r = list(rows) if rows is not None else list(x.index)
            want_c = list(cols) if cols is not None else list(x.columns)
            missing = [r for r in want_r if r not in x.index] + [c for c in want_c if c not in x.columns]
            if missing:
                raise InputError(f"{name} lacks region(s) {sorted(set(map(str, missing)))}")
            x = x.loc[want_r, want_c]
        values = _pandas_floats(x, name)
        r, c = list(x.index), list(x.columns)
    else:
        if np.ndim(x) != 2:
            raise InputError(f"{name} must be two-dimensional, got shape {np.shape(x)}")
        values = _floats(x, name)
        r = list(rows) if rows is not None else default_labels(values.shape[0])
        c = list(cols) if cols is not None else default_labels(values.shape[1])
        if (len(r), len(c)) != values.shape:
            raise InputError(f"{name} has shape {values.shape}, expected {(len(r), len(c))}")
    _check_values(values, name, r, c, nonneg=nonneg)
    return values, r, c


@changed_arguments(positional=("labels",))
def as_square(x, name: str, *, labels=None, nonneg: bool = False) -> tuple[np.ndarray, list]:
    """A square region x region table whose row and column labels name the same regions.

    Parameters
    ----------
    x : DataFrame or 2-d array-like
        The table; a DataFrame's columns are put in the order of its rows.
    name : str
        The argument's name, for messages.
    labels : list, optional
        The regions, in order.
    nonneg : bool
        Refuse negative cells.

    Returns
    -------
    (numpy.ndarray, list)
        Float values (rows and columns in the order of the labels) and the labels.

    Raises
    ------
    InputError, EmptyTableError, MissingValueError
        As :func:`as_matrix`; also a table that is not square, or whose rows
        and columns name different regions.

    See Also
    --------
    as_matrix : any table.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame([[1, 2], [3, 4]], index=["A", "B"], columns=["B", "A"])
    >>> values, labels = as_square(table, "flows")
    >>> values.tolist(), labels
    ([[2.0, 1.0], [4.0, 3.0]], ['A', 'B'])
    """
    values, r, c = as_matrix(x, name, rows=labels, cols=labels, nonneg=nonneg)
    if values.shape[0] != values.shape[1]:
        raise InputError(f"{name} must be square, got shape {values.shape}")
    if isinstance(x, pd.DataFrame) and labels is None and list(r) != list(c):
        if set(r) != set(c):
            raise InputError(f"{name} rows and columns name different regions")
        values, r, c = as_matrix(x, name, rows=r, cols=r, nonneg=nonneg)
    return values, r


def as_cube(x, name: str, rows, cols, layers, *, nonneg: bool = False) -> np.ndarray:
    """A 3-d array (orig x dest x pob or type) as floats, checked cell by cell.

    Parameters
    ----------
    x : array-like of shape (len(rows), len(cols), len(layers))
        The values.
    name : str
        The argument's name, for messages.
    rows, cols, layers : list
        Labels of the three axes; a bad cell is named by its three labels.
    nonneg : bool
        Refuse negative cells.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    InputError, EmptyTableError, MissingValueError
        As :func:`as_matrix`.

    See Also
    --------
    as_matrix : a 2-d table.

    Examples
    --------
    >>> import numpy as np
    >>> cube = np.ones((2, 2, 2))
    >>> cube[1, 0, 1] = np.nan
    >>> as_cube(cube, "offset", ["A", "B"], ["A", "B"], ["A", "B"])
    Traceback (most recent call last):
    ...
    migstats.errors.MissingValueError: offset has a missing or infinite value (nan) for row ('B', 'A'), column 'B'
    """
    shape = (len(rows), len(cols), len(layers))
    if np.shape(x) != shape:
        raise InputError(f"{name} must have shape {shape}, got {np.shape(x)}")
    values = _floats(x, name)
    pair = lambda p: (rows[p // shape[1]], cols[p % shape[1]])  # noqa: E731
    _check_values(values.reshape(shape[0] * shape[1], shape[2]), name, pair, list(layers), nonneg=nonneg)
    return values


@changed_arguments(positional=("name",))
def offset_array(offset, n: int, labels, *, name: str = "offset") -> np.ndarray:
    """An orig x dest (2-d) or orig x dest x pob (3-d) prior, non-negative with a positive cell.

    Parameters
    ----------
    offset : None, DataFrame or array-like of shape (n, n) or (n, n, n)
        The prior m; None gives all ones.
    n : int
        Number of regions.
    labels : list
        Region labels (a DataFrame offset is aligned on them).
    name : str
        The argument's name, for messages.

    Returns
    -------
    numpy.ndarray
        Shape (n, n) or (n, n, n).

    Raises
    ------
    InputError
        Wrong shape, a negative cell, or no positive cell (every fitted flow
        would be 0); also as :func:`as_matrix`.
    MissingValueError
        NaN or infinite cells.

    See Also
    --------
    as_square, as_cube : the checks of a 2-d and a 3-d prior.

    Examples
    --------
    >>> offset_array(None, 2, ["A", "B"]).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    >>> offset_array([[0, 0], [0, 0]], 2, ["A", "B"], name="seed")
    Traceback (most recent call last):
    ...
    migstats.errors.InputError: seed has no positive cell, so every fitted flow would be 0
    """
    if offset is None:
        return np.ones((n, n))
    if isinstance(offset, pd.DataFrame) or np.ndim(offset) == 2:
        values, _ = as_square(offset, name, labels=labels, nonneg=True)
    else:
        if np.shape(offset) != (n, n, n):
            raise InputError(f"{name} must have shape {(n, n)} or {(n, n, n)}, got {np.shape(offset)}")
        values = as_cube(offset, name, labels, labels, labels, nonneg=True)
    require_positive_cell(values, name)
    return values


def require_positive_cell(values: np.ndarray, name: str) -> None:
    """Raise InputError when a prior has no positive cell (every fit to it would be 0).

    Parameters
    ----------
    values : numpy.ndarray
        The prior.
    name : str
        The argument's name, for messages.

    Raises
    ------
    InputError
        No cell of ``values`` is positive.

    See Also
    --------
    offset_array : checks a prior, this included.

    Examples
    --------
    >>> import numpy as np
    >>> require_positive_cell(np.array([0.0, 0.5]), "offset")
    >>> require_positive_cell(np.zeros(2), "offset")
    Traceback (most recent call last):
    ...
    migstats.errors.InputError: offset has no positive cell, so every fitted flow would be 0
    """
    if not np.any(values > 0):
        raise InputError(f"{name} has no positive cell, so every fitted flow would be 0")


def safe_ratio(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    """``target / current`` with 0 where either is 0 (the IPF convention).

    Parameters
    ----------
    target, current : numpy.ndarray
        Broadcastable arrays.

    Returns
    -------
    numpy.ndarray
        The elementwise ratio, 0 where ``target == 0`` or ``current == 0``.

    See Also
    --------
    migstats.flows.ipf2 : the fits that scale by it.

    Examples
    --------
    >>> import numpy as np
    >>> safe_ratio(np.array([2.0, 0.0, 3.0]), np.array([4.0, 5.0, 0.0])).tolist()
    [0.5, 0.0, 0.0]
    """
    out = np.zeros(np.broadcast_shapes(np.shape(target), np.shape(current)))
    np.divide(target, current, out=out, where=(current != 0) & (target != 0))
    return out
