"""The ``migstats`` command: a thin shell over the library.

Each subcommand calls one library function and decides only where output
goes. Errors print one line (``migstats: error: ...``) and exit 1; usage
errors (an unknown option, chart or format) print one line and exit 2;
``--debug``, before or after the subcommand, shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from .. import __version__
from ..errors import MigstatsError

__all__ = ["main", "build_parser"]


def _print_table(frame, fmt: str) -> None:
    from .._format import render_table

    sys.stdout.write(render_table(frame, fmt))


def _cmd_figures(args) -> int:
    from ..datasets.report import figures

    table = figures(args.topic)
    if args.columns:
        missing = [c for c in args.columns if c not in table.columns]
        if missing:
            from ..errors import UnknownNameError

            raise UnknownNameError(f"unknown column {missing[0]!r}; columns are {', '.join(table.columns)}")
        table = table[args.columns]
    _print_table(table, args.format)
    return 0


def _cmd_sources(args) -> int:
    from ..datasets.report import sources

    _print_table(sources(), args.format)
    return 0


def _cmd_audit(args) -> int:
    from ..analysis import audit

    _print_table(audit(), args.format)
    return 0


def _cmd_reconcile(args) -> int:
    from ..analysis import reconcile

    _print_table(reconcile(source=args.source), args.format)
    return 0


def _cmd_charts(args) -> int:
    import time

    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window, whatever the environment
    from .. import charts

    if args.list:
        _print_table(charts.list_charts(), "table")
        return 0
    start = time.perf_counter()
    written = 0
    for path in charts.write_charts(args.out, args.only, args.format, args.dpi):
        print(f"wrote {path}")
        written += 1
    print(f"{written} files written to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit status 2)."""

    def error(self, message):
        self.exit(2, f"migstats: error: {message} (see '{self.prog} --help')\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``migstats`` command and its subcommands."""
    from .._format import FORMATS
    from ..charts import FORMATS as CHART_FORMATS
    from ..charts import chart_names
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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
    p.add_argument("--dpi", type=_positive_int, default=150, help="resolution of raster output (default 150)")

    # command groups that live in their own modules, each with register(sub, command)
    from . import data, flows, index

    for group in (flows, index, data):
        group.register(sub, command, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 error, 2 usage error)."""
    args = build_parser().parse_args(argv)
    if args.offline:
        os.environ["MIGSTATS_OFFLINE"] = "1"  # read by migstats.catalog; inherited by any child process
    try:
        return args.func(args)
    except BrokenPipeError:
        # output piped into `head` and closed early: not an error of ours
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        if args.debug:
            traceback.print_exc()
        if isinstance(exc, MigstatsError):
            print(f"migstats: error: {exc}", file=sys.stderr)
        else:
            hint = "" if args.debug else "; rerun with --debug for the traceback"
            print(f"migstats: unexpected error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
