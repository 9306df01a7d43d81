"""The ``migstats`` command: a thin shell over the library.

Each subcommand calls one library function and decides only where output
goes. Errors print one line (``migstats: error: ...``) and exit 1; usage
errors exit 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from .errors import MigstatsError

__all__ = ["main", "build_parser"]


def _print_table(frame, fmt: str) -> None:
    from ._format import render_table

    sys.stdout.write(render_table(frame, fmt))


def _cmd_figures(args) -> int:
    from .datasets.report import figures

    table = figures(args.topic)
    if args.columns:
        missing = [c for c in args.columns if c not in table.columns]
        if missing:
            from .errors import UnknownNameError

            raise UnknownNameError(f"unknown column {missing[0]!r}; columns are {', '.join(table.columns)}")
        table = table[args.columns]
    _print_table(table, args.format)
    return 0


def _cmd_sources(args) -> int:
    from .datasets.report import sources

    _print_table(sources(), args.format)
    return 0


def _cmd_audit(args) -> int:
    from .analysis import audit

    _print_table(audit(), args.format)
    return 0


def _cmd_reconcile(args) -> int:
    from .analysis import reconcile

    _print_table(reconcile(), args.format)
    return 0


def _cmd_charts(args) -> int:
    import time

    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window, whatever the environment
    from . import charts

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


def build_parser() -> argparse.ArgumentParser:
    from ._format import FORMATS
    from .datasets.report import TOPICS

    parser = argparse.ArgumentParser(
        prog="migstats",
        description="Remittance and international-migration statistics: the 2008 UN coordination "
        "meeting report as cited data, official series, flow estimation and charts.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.add_argument("--version", action="version", version="migstats 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_format(p, default="table"):
        p.add_argument("--format", choices=FORMATS, default=default, help=f"output format (default {default})")

    p = sub.add_parser("figures", help="print the report's figures")
    p.add_argument("--topic", choices=TOPICS, help="only figures of this topic")
    p.add_argument("--columns", nargs="+", metavar="COL", help="only these columns")
    add_format(p)
    p.set_defaults(func=_cmd_figures)

    p = sub.add_parser("sources", help="print the sources of the bundled data")
    add_format(p)
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("audit", help="recompute the report's checkable claims and give a verdict for each")
    add_format(p)
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("reconcile", help="set the report's figures beside today's official series")
    add_format(p)
    p.set_defaults(func=_cmd_reconcile)

    p = sub.add_parser("charts", help="regenerate the charts")
    p.add_argument("--out", default="charts", metavar="DIR", help="output folder (default ./charts)")
    p.add_argument("--format", nargs="+", default=["png"], metavar="FMT", help="png, svg and/or pdf (default png)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these charts (see --list)")
    p.add_argument("--list", action="store_true", help="list the charts and exit")
    p.add_argument("--dpi", type=int, default=150, help="resolution of raster output (default 150)")
    p.set_defaults(func=_cmd_charts)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except MigstatsError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"migstats: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # output piped into `head` and closed early: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
