"""Run many independent tasks the same way, whatever runs them.

Grid runs (flows: periods x methods; composite indices: uncertainty draws) hand
their tasks to :func:`run_tasks`, which runs them sequentially, in a local
process pool, on any :class:`concurrent.futures.Executor`, or on a
``dask.distributed.Client`` the caller passes. The results come back in task
order, so a grid gives the same numbers bit for bit whichever executor ran it:
each task must be a pure function of its arguments (randomness comes from a
seed inside the task, never from a shared generator).

dask is an optional extra (``pip install "migstats[dask]"``) and is never
imported here; a Client is recognised by its ``submit``/``gather`` methods.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import InputError

__all__ = ["run_tasks", "EXECUTORS", "progress_bar"]

#: the executor names :func:`run_tasks` accepts as strings
EXECUTORS = ("sequential", "process")


def _is_dask_client(obj) -> bool:
    return type(obj).__name__ == "Client" and hasattr(obj, "gather") and hasattr(obj, "submit")


def progress_bar(total: int, *, desc: str, progress: bool | None = None):
    """A progress bar on stderr, or a silent stand-in.

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        What is being counted, shown before the bar.
    progress : bool or None
        ``True`` always shows a bar, ``False`` never; ``None`` shows one only when
        stderr is a terminal (so logs and pipes stay clean).

    Returns
    -------
    object
        Something with ``update(n)`` and ``close()``; a ``tqdm`` bar when shown.

    See Also
    --------
    run_tasks : shows one while a grid runs.

    Examples
    --------
    >>> bar = progress_bar(3, desc="draws", progress=False)
    >>> for _ in range(3):
    ...     bar.update()
    >>> bar.close()
    """
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if show:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional: no bar rather than no result
            show = False
        else:
            return tqdm(total=total, desc=desc, file=sys.stderr, leave=False)
    return _NoBar()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def run_tasks(
    func: Callable[..., Any],
    tasks: Iterable[Sequence[Any]],
    *,
    executor=None,
    progress: bool | None = None,
    desc: str = "tasks",
) -> list[Any]:
    """Run ``func(*task)`` for every task and return the results in task order.

    Parameters
    ----------
    func : callable
        A module-level (picklable) function; it must not depend on shared state.
    tasks : iterable of tuples
        The positional arguments of each call.
    executor : None, "sequential", "process", concurrent.futures.Executor or dask Client
        Who runs the tasks. ``None`` and ``"sequential"`` run them here, one after the
        other; ``"process"`` starts a local process pool with one worker per core and
        shuts it down afterwards; an Executor or a dask ``Client`` given by the caller is
        used and left running.
    progress : bool or None
        Progress bar on stderr (see :func:`progress_bar`).
    desc : str
        Label of the progress bar.

    Returns
    -------
    list
        ``[func(*task) for task in tasks]``, in the order of ``tasks``.

    Raises
    ------
    InputError
        For an executor that is none of the above.

    Examples
    --------
    >>> from operator import add
    >>> run_tasks(add, [(1, 2), (3, 4)])
    [3, 7]
    """
    tasks = [tuple(t) for t in tasks]
    bar = progress_bar(len(tasks), desc=desc, progress=progress)
    try:
        if executor is None or executor == "sequential":
            results = []
            for task in tasks:
                results.append(func(*task))
                bar.update(1)
            return results
        if executor == "process":
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                return _run_on_executor(pool, func, tasks, bar)
        if isinstance(executor, str):
            raise InputError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}, "
                             "a concurrent.futures.Executor or a dask.distributed Client")
        if _is_dask_client(executor):
            futures = [executor.submit(func, *task, pure=False) for task in tasks]
            results = executor.gather(futures)
            bar.update(len(tasks))
            return list(results)
        if hasattr(executor, "submit"):
            return _run_on_executor(executor, func, tasks, bar)
        raise InputError(f"executor must be None, 'sequential', 'process', a concurrent.futures.Executor "
                         f"or a dask.distributed Client, not {type(executor).__name__}")
    finally:
        bar.close()


def _run_on_executor(pool, func, tasks, bar) -> list[Any]:
    futures = [pool.submit(func, *task) for task in tasks]
    results = []
    for future in futures:  # in submission order: the result order never depends on timing
        results.append(future.result())
        bar.update(1)
    return results
