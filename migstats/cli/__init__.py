"""The ``migstats`` command: a thin shell over the library.

Each subcommand calls one library function and decides only where output
goes. Exit statuses:

- 0: the job was done, all of it. A closed standard output (``| head -1``) never
  stops the work: what is left to print is dropped, every file is still written,
  and the status is that of the job.
- 1: a migstats error (one line, ``migstats: error: ...``) or an unexpected one.
- 2: a usage error (an unknown option, chart or format; a value out of range).
- 128 + the signal number when stopped by a signal: 130 for Ctrl-C (SIGINT), 143 for
  SIGTERM, 129 for SIGHUP; one line, and no temporary file is left behind.

``--debug``, before or after the subcommand, shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback

from .. import __version__
from .._io import remove_temporary_files
from ..errors import MigstatsError
from ._common import print_table, whole_number

__all__ = ["main", "build_parser"]


def _cmd_figures(args) -> int:
    from ..datasets.report import figures

    table = figures(topic=args.topic)
    if args.columns:
        missing = [c for c in args.columns if c not in table.columns]
        if missing:
            from ..errors import UnknownNameError

            raise UnknownNameError(f"unknown column {missing[0]!r}; columns are {', '.join(table.columns)}")
        table = table[args.columns]
    print_table(table, args.format)
    return 0


def _cmd_sources(args) -> int:
    from ..datasets.report import sources

    print_table(sources(), args.format)
    return 0


def _cmd_audit(args) -> int:
    from ..bundled import audit

    print_table(audit(), args.format)
    return 0


def _cmd_reconcile(args) -> int:
    from ..bundled import reconcile

    print_table(reconcile(source=args.source), args.format)
    return 0


def _cmd_charts(args) -> int:
    import time

    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window, whatever the environment
    from .. import charts

    if args.list:
        print_table(charts.list_charts(), "table")
        return 0
    start = time.perf_counter()
    written = charts.write_charts(args.out, args.only, formats=args.format, dpi=args.dpi,
                                  on_written=lambda path: print(f"wrote {path}", flush=True))
    print(f"{len(written)} files written to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit status 2) that name an unknown option."""

    def error(self, message):
        self.exit(2, f"migstats: error: {message} (see '{self.prog} --help')\n")

    def parse_args(self, args=None, namespace=None):
        # argparse reports a missing command before an unknown option, so `migstats --frob`
        # would say "arguments are required: COMMAND"; name what was wrong first
        namespace, extras = self.parse_known_args(args, namespace)
        (sub,) = (a for a in self._actions if isinstance(a, argparse._SubParsersAction))
        if extras:
            what = "unknown option" if extras[0].startswith("-") else "unexpected argument"
            # the help to see is that of the subcommand, when there is one
            sub.choices.get(namespace.command, self).error(f"{what} {extras[0]!r}")
        if namespace.command is None:
            self.error(f"a command is required: one of {', '.join(sub.choices)}")
        return namespace


def _dpi(text: str) -> int:
    from ..charts import DPI_RANGE

    low, high = DPI_RANGE
    return whole_number(text, low=low, high=high)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``migstats`` command and its subcommands.

    Command groups in their own modules (``flows``, ``index``, ``data``) add their
    subcommands through ``register(sub, command, common)``.

    Returns
    -------
    argparse.ArgumentParser
        Its ``parse_args`` names an unknown option before anything else, and exits with
        status 2 and one line on any usage error.

    See Also
    --------
    main : parse and run.

    Examples
    --------
    >>> args = build_parser().parse_args(["charts", "--only", "census_round_2010", "--dpi", "300"])
    >>> args.command, args.only, args.dpi
    ('charts', ['census_round_2010'], 300)
    """
    from .._format import FORMATS
    from ..charts import DPI_RANGE, chart_names
    from ..charts import FORMATS as CHART_FORMATS
    from ..datasets import TOPICS

    parser = _Parser(
        prog="migstats",
        description="Remittance and international-migration statistics: the 2008 UN coordination "
        "meeting report as cited data, official series, flow estimation and charts.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.add_argument("--version", action="version", version=f"migstats {__version__}")
    parser.add_argument("--offline", action="store_true", help="never touch the network (also MIGSTATS_OFFLINE=1)")
    # --debug is also accepted after the subcommand; SUPPRESS keeps the top-level value otherwise
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback")
    common.add_argument("--offline", action="store_true", default=argparse.SUPPRESS, help="never touch the network")
    # not required=True: _Parser.parse_args checks it, after unknown options
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, func, help, table=True):
        p = sub.add_parser(name, help=help, parents=[common])
        if table:
            p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
        p.set_defaults(func=func)
        return p

    p = command("figures", _cmd_figures, "print the report's figures")
    p.add_argument("--topic", choices=TOPICS, help="only figures of this topic")
    p.add_argument("--columns", nargs="+", metavar="COL", help="only these columns")
    command("sources", _cmd_sources, "print the sources of the bundled data")
    command("audit", _cmd_audit, "recompute the report's checkable claims and give a verdict for each")
    p = command("reconcile", _cmd_reconcile, "set the report's figures beside today's official series")
    p.add_argument("--source", choices=("bundled", "latest"), default="bundled",
                   help="official tables from the bundled snapshot (default) or the newest releases (fetched or cached)")

    p = command("charts", _cmd_charts, "regenerate the charts", table=False)
    p.add_argument("--out", default="charts", metavar="DIR", help="output folder (default ./charts)")
    p.add_argument("--format", nargs="+", default=["png"], choices=CHART_FORMATS, metavar="FMT",
                   help=f"one or more of {', '.join(CHART_FORMATS)} (default png)")
    p.add_argument("--only", nargs="+", choices=chart_names(), metavar="NAME", help="only these charts (see --list)")
    p.add_argument("--list", action="store_true", help="list the charts and exit")
    p.add_argument("--dpi", type=_dpi, default=150,
                   help="resolution of raster output, {} to {} (default 150)".format(*DPI_RANGE))

    # command groups that live in their own modules, each with register(sub, command)
    from . import data, flows, index

    for group in (flows, index, data):
        group.register(sub, command, common)
    return parser


class _Stopped(BaseException):
    """A signal stopped the work (a BaseException, like KeyboardInterrupt: no ``except Exception`` keeps it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _ignore_signals() -> None:
    # once stopping, a second signal must not cut the clean-up short
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def _stop(signum, frame):
    _ignore_signals()
    raise _Stopped(signum)


def _catch_signals() -> dict:
    """Make SIGINT, SIGTERM and SIGHUP raise :class:`_Stopped`; returns the handlers they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers; a caller in a thread keeps its own
    return {sig: signal.signal(sig, _stop) for sig in _STOP_SIGNALS}


class _ReaderMayLeave:
    """Standard output that turns into a sink when its reader closes the pipe (``| head -1``).

    The work goes on and the exit status stays that of the work; only the output nobody
    reads any more is dropped.
    """

    def __init__(self, stream):
        self._stream = stream
        self._gone = False

    def write(self, text):
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._reader_left()
        return len(text)

    def flush(self):
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_left()

    def _reader_left(self):
        self._gone = True
        # point the descriptor at /dev/null, so that the final flush when Python exits succeeds
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _say(message: str) -> None:
    """One line on stderr; a closed stderr is not a reason to fail differently."""
    try:
        print(message, file=sys.stderr, flush=True)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the ``migstats`` command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``migstats`` (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        The exit status: 0 the job was done, 1 an error, 2 a usage error (raised as
        ``SystemExit(2)`` by the parser), 128 + the signal number when a signal stopped it
        (130 for Ctrl-C).

    See Also
    --------
    build_parser : the commands and their options.

    Examples
    --------
    >>> main(["figures", "--topic", "census", "--columns", "id", "value", "--format", "csv"])
    id,value
    cimddr_basic_migration_questions,3.0
    unsd_census_key_migration_questions,3.0
    census_2010_round_conducted,60.0
    census_2010_round_data_available,47.0
    census_2010_round_country_of_birth,35.0
    census_2010_round_citizenship,32.0
    eclac_imila_census_data_decades,3.0
    0
    """
    previous = _catch_signals()
    stdout = sys.stdout
    debug = False
    try:
        sys.stdout = _ReaderMayLeave(stdout)
        args = build_parser().parse_args(argv)
        debug = args.debug
        if args.offline:
            os.environ["MIGSTATS_OFFLINE"] = "1"  # read by migstats.catalog; inherited by any child process
        status = args.func(args)
        sys.stdout.flush()
        return status
    except (_Stopped, KeyboardInterrupt) as exc:
        if previous:
            _ignore_signals()
        remove_temporary_files()
        if debug:
            traceback.print_exc()
        signum = getattr(exc, "signum", signal.SIGINT)
        _say("migstats: interrupted" if signum == signal.SIGINT else
             f"migstats: stopped by {signal.Signals(signum).name}")
        return 128 + signum
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        remove_temporary_files()
        if debug:
            traceback.print_exc()
        if isinstance(exc, MigstatsError):
            _say(f"migstats: error: {exc}")
        else:
            hint = "" if debug else "; rerun with --debug for the traceback"
            _say(f"migstats: unexpected error: {type(exc).__name__}: {exc}{hint}")
        return 1
    finally:
        sys.stdout = stdout
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
