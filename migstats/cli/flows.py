"""`migstats flows ...`: global bilateral flow estimation.

``estimate`` writes the country-to-country table (csv, or parquet when
pyarrow is installed), ``corridors`` prints the largest flows, ``totals``
the global total per period and method, ``adjustments`` what was changed in
the published inputs. Every command calls :func:`migstats.flows.global_flows`
and its summaries; this module only decides where output goes.
"""

from __future__ import annotations

import sys

from ._common import print_table, table_path, write_table

# The names of migstats.flows.world (METHODS, OTHERS_RULES), spelled out so that building the
# parser imports no pandas; tests/test_cli_flows.py keeps them equal.
METHOD_NAMES = ("sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open", "da_min_closed", "da_pb_closed")
OTHERS_RULES = ("distribute", "native")


def _flows(args):
    from ..flows.world import global_flows

    periods = "all" if args.all_periods else args.period
    methods = "all" if args.all_methods else args.method
    sample_size = args.pb_sample_size
    if sample_size not in ("countries", "persons"):
        sample_size = float(sample_size)  # checked as a number by _pb_sample_size
    return global_flows(periods=periods, methods=methods, others=args.others, executor=args.executor,
                        progress=None, pb_sample_size=sample_size)


def _pb_sample_size(text: str) -> str:
    import argparse
    import math

    if text in ("countries", "persons"):
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not 'countries', 'persons' or a positive number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return text


def _cmd_estimate(args) -> int:
    out = table_path(args.out)  # checked first: a wrong name fails before minutes of estimation
    flows = _flows(args)
    if out is None:
        sys.stdout.write(flows.to_csv(index=False, lineterminator="\n"))
        return 0
    write_table(flows, out)
    print(f"wrote {out}: {len(flows):,} rows ({flows['period'].nunique()} period(s) x "
          f"{flows['method'].nunique()} method(s) x {flows.groupby(['period', 'method']).size().iloc[0]:,} "
          f"country pairs), flows in persons", file=sys.stderr)
    return 0


def _cmd_corridors(args) -> int:
    from ..flows.world import top_corridors

    print_table(top_corridors(_flows(args), top=args.top), args.format)
    return 0


def _cmd_totals(args) -> int:
    from ..flows.world import global_totals

    print_table(global_totals(_flows(args)), args.format)
    return 0


def _cmd_adjustments(args) -> int:
    from ..flows.world import flow_adjustments

    print_table(flow_adjustments("all" if args.all_periods else [args.period], others=args.others), args.format)
    return 0


def register(sub, command, common) -> None:
    """Add this command group to the ``migstats`` parser.

    ``sub`` is the top-level subparsers object; ``command(name, func, help, table=True)``
    adds a subcommand with the shared ``--debug`` (and ``--format`` when ``table``);
    ``common`` is the parent parser holding ``--debug``, for nested subcommands.
    """
    import argparse

    from .._format import FORMATS

    group = sub.add_parser("flows", help="global bilateral migration flows from UN data (every country pair)",
                           parents=[common])
    actions = group.add_subparsers(dest="flows_command", metavar="ACTION", required=True)
    selection = argparse.ArgumentParser(add_help=False)
    selection.add_argument("--period", default="2015-2020", help="period, e.g. 2015-2020 (default)")
    selection.add_argument("--all-periods", action="store_true", help="every period 1990-1995 ... 2020-2024")
    selection.add_argument("--method", default="da_pb_closed", choices=METHOD_NAMES, metavar="METHOD",
                           help=f"one of {', '.join(METHOD_NAMES)} (default da_pb_closed)")
    selection.add_argument("--all-methods", action="store_true", help="all six methods")
    selection.add_argument("--others", default="distribute", choices=OTHERS_RULES,
                           help="migrants of unknown birthplace (default distribute)")
    selection.add_argument("--pb-sample-size", type=_pb_sample_size, default="countries", metavar="N",
                           help="sample size n of the pseudo-Bayes weight n/(n+K) of da_pb_closed: "
                                "countries (default), persons, or a positive number; migstats' reading, "
                                "unverified against Azose & Raftery (2019), see docs/global_flows.md")
    selection.add_argument("--executor", default="sequential", choices=("sequential", "process"),
                           help="run periods one after the other (default) or in a local process pool")

    def action(name, func, help, table=True, parents=(selection,)):
        p = actions.add_parser(name, help=help, parents=[common, *parents])
        if table:
            p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
        p.set_defaults(func=func)
        return p

    p = action("estimate", _cmd_estimate, "estimate flows and write the table", table=False)
    p.add_argument("--out", metavar="FILE", help="flows.csv or flows.parquet (default: csv on stdout)")
    p = action("corridors", _cmd_corridors, "print the largest corridors")
    p.add_argument("--top", type=int, default=20, help="how many per period and method (default 20)")
    action("totals", _cmd_totals, "print the global total and its share of world population")
    p = action("adjustments", _cmd_adjustments, "print every adjustment made to the published inputs",
               parents=())
    p.add_argument("--period", default="2015-2020", help="period, e.g. 2015-2020 (default)")
    p.add_argument("--all-periods", action="store_true", help="every period")
    p.add_argument("--others", default="distribute", choices=OTHERS_RULES)
