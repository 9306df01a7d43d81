"""Old public names and call forms kept for one release (see CHANGELOG.md, "Unreleased").

This module is the one place where deprecated names are declared:

- :func:`renamed_function` makes a warning alias of a renamed function;
- :func:`changed_arguments` lets a function accept, with a warning, a renamed
  argument or an option passed by position that is now keyword-only.

Both record what they do in :data:`DEPRECATED`, which the vocabulary test
(``tests/test_api_vocabulary.py``) reads: a deprecated alias is exempt from
the vocabulary rules, and every entry must be listed in CHANGELOG.md.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import warnings

__all__ = ["DEPRECATED", "renamed_function", "changed_arguments", "bundled_when_missing", "moved_names"]

#: "module.old_name" or "module.function(old=)" -> what replaces it, as CHANGELOG.md states it
DEPRECATED: dict[str, str] = {}


def _warn(message: str) -> None:
    # stacklevel 3: past this helper and the wrapper, at the caller's line
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def renamed_function(new, old_name: str, module: str, *, replacement: str | None = None):
    """A warning alias of ``new`` under its former name ``old_name``.

    Parameters
    ----------
    new : callable
        The function under its new name.
    old_name : str
        The name it had.
    module : str
        The module whose namespace holds the alias (for the message and :data:`DEPRECATED`).
    replacement : str, optional
        The full name to use instead, when it is not ``module.<new name>``.

    Returns
    -------
    callable
        A function that warns with :class:`DeprecationWarning` naming the new
        name, then calls ``new``.

    Examples
    --------
    >>> import warnings
    >>> def interval_add(a, b):
    ...     '''Add.'''
    ...     return a + b
    >>> add = renamed_function(interval_add, "add", "example")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     add(1, 2)
    3
    >>> str(caught[0].message)
    'example.add is deprecated and will be removed in the next release; use example.interval_add'
    """
    replacement = replacement or f"{module}.{new.__name__}"
    message = f"{module}.{old_name} is deprecated and will be removed in the next release; use {replacement}"

    @functools.wraps(new)
    def alias(*args, **kwargs):
        _warn(message)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__doc__ = f"Deprecated alias of :func:`{new.__name__}` (warns with DeprecationWarning)."
    alias.__deprecated_alias_of__ = new
    DEPRECATED[f"{module}.{old_name}"] = replacement
    return alias


def changed_arguments(*, renamed: dict | None = None, positional: tuple = ()):
    """Decorator: accept the former call forms of a function for one release, with a warning.

    Parameters
    ----------
    renamed : dict, optional
        Former argument name -> new name (``{"entity": "by"}``), or -> ``(new
        name, function)`` when the value changes form too (the function
        turns a former value into a new one).
    positional : tuple of str
        Options that used to be positional and are now keyword-only, in
        their former order (the function's positional parameters come first).

    Returns
    -------
    callable
        The decorator. The decorated function keeps its new signature
        (``inspect.signature`` shows it); a call with a former name or an
        extra positional argument warns with :class:`DeprecationWarning`
        naming the new form, then proceeds.

    Examples
    --------
    >>> import warnings
    >>> @changed_arguments(renamed={"entity": "by"}, positional=("by",))
    ... def growth(data, *, by=None):
    ...     '''Growth.'''
    ...     return by
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     growth(1, entity="code"), growth(1, "code")
    ('code', 'code')
    >>> [str(w.message) for w in caught][0]
    'growth(entity=) is deprecated and will be removed in the next release; use growth(by=)'
    """
    renamed = dict(renamed or {})
    positional = tuple(positional)

    def decorate(func):
        params = inspect.signature(func).parameters.values()
        n_positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
        name = func.__name__
        targets = {old: new if isinstance(new, tuple) else (new, None) for old, new in renamed.items()}
        for old, (new, _) in targets.items():
            DEPRECATED[f"{func.__module__}.{name}({old}=)"] = f"{name}({new}=)"
        if positional:
            DEPRECATED[f"{func.__module__}.{name}(positional {', '.join(positional)})"] = (
                f"{name}({', '.join(f'{targets.get(p, (p,))[0]}=' for p in positional)}) by keyword")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if len(args) > n_positional:
                extra = args[n_positional:]
                if len(extra) > len(positional):
                    raise TypeError(f"{name}() takes {n_positional} positional arguments but {len(args)} were given")
                names = positional[: len(extra)]
                _warn(f"passing {', '.join(names)} to {name}() by position is deprecated and will be removed in "
                      f"the next release; use {', '.join(f'{targets.get(n, (n,))[0]}=' for n in names)}")
                for n, value in zip(names, extra):
                    if n in kwargs:
                        raise TypeError(f"{name}() got multiple values for argument {n!r}")
                    kwargs[n] = value
                args = args[:n_positional]
            for old, (new, convert) in targets.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{name}() got both {old}= (deprecated) and {new}=; use {new}= only")
                    _warn(f"{name}({old}=) is deprecated and will be removed in the next release; use {name}({new}=)")
                    value = kwargs.pop(old)
                    kwargs[new] = value if convert is None else convert(value)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def bundled_when_missing(convenience: str, **loaders: str):
    """Decorator: a call that omits leading table arguments loads the bundled tables, with a warning.

    Analysis functions take their tables as arguments; until the next
    release a call that leaves them out still works, warns with
    :class:`DeprecationWarning` and points at the top-level convenience
    function that loads the bundled data.

    Parameters
    ----------
    convenience : str
        The function to use instead (``"migstats.audit"``).
    **loaders : str
        Table argument -> ``"module:function"`` that loads its bundled
        default, in the order of the function's positional parameters.

    Returns
    -------
    callable
        The decorator; the decorated function keeps its signature.

    Examples
    --------
    >>> import warnings
    >>> @bundled_when_missing("example.total_of_bundled", values="builtins:list")
    ... def total(values):
    ...     '''Total.'''
    ...     return sum(values)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     total()
    0
    >>> "use example.total_of_bundled()" in str(caught[0].message)
    True
    """
    names = list(loaders)

    def decorate(func):
        DEPRECATED[f"{func.__module__}.{func.__name__}() without {', '.join(names)}"] = f"{convenience}()"

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            missing = [n for i, n in enumerate(names) if i >= len(args) and n not in kwargs]
            if missing:
                _warn(f"calling {func.__name__}() without {', '.join(missing)} is deprecated and will be removed "
                      f"in the next release; pass the tables, or use {convenience}() for the bundled data")
                for n in missing:
                    module, _, attr = loaders[n].partition(":")
                    kwargs[n] = getattr(importlib.import_module(module), attr)()
            return func(*args, **kwargs)

        return wrapper

    return decorate


def moved_names(module: str, moved: dict):
    """A module ``__getattr__`` that serves names which moved elsewhere, with a warning.

    Parameters
    ----------
    module : str
        The module the names used to live in.
    moved : dict
        Former name -> ``(new full name, function returning the value)``.

    Returns
    -------
    callable
        ``__getattr__(name)`` for the module: a moved name warns with
        :class:`DeprecationWarning` naming its new home and returns the
        value; any other name raises :class:`AttributeError`.

    Examples
    --------
    >>> import warnings
    >>> getattr_ = moved_names("example", {"OLD": ("example.other.NEW", lambda: 42)})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     getattr_("OLD")
    42
    >>> str(caught[0].message)
    'example.OLD is deprecated and will be removed in the next release; use example.other.NEW'
    """
    for old, (new, _) in moved.items():
        DEPRECATED[f"{module}.{old}"] = new

    def __getattr__(name: str):
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        new, value = moved[name]
        warnings.warn(f"{module}.{name} is deprecated and will be removed in the next release; use {new}",
                      DeprecationWarning, stacklevel=2)
        return value()

    return __getattr__
