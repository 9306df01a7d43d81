"""`migstats flows ...`: global bilateral flow estimation.

``estimate`` writes the country-to-country table (csv, or parquet when
pyarrow is installed), ``corridors`` prints the largest flows, ``totals``
the global total per period and method, ``adjustments`` what was changed in
the published inputs, ``sensitivity`` the spread of the estimates over
input-perturbation draws. Every command calls :func:`migstats.flows.global_flows`
(or :func:`~migstats.flows.world.flow_sensitivity`) and its summaries; this
module only decides where output goes.
"""

from __future__ import annotations

import sys

from ._common import positive_int, print_table, real_number, table_path, whole_number, write_table

# The names of migstats.flows.world (METHODS, OTHERS_RULES), spelled out so that building the
# parser imports no pandas; tests/test_cli_flows.py keeps them equal.
METHOD_NAMES = ("sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open", "da_min_closed", "da_pb_closed")
OTHERS_RULES = ("distribute", "native")


#: the tables `flows sensitivity` can write (the attributes of FlowSensitivity, and every draw)
SENSITIVITY_TABLES = ("totals", "countries", "corridors", "infeasible", "draws")


def _sample_size(args):
    size = args.pb_sample_size
    return size if size in ("countries", "persons") else float(size)  # checked as a number by _pb_sample_size


def _flows(args):
    from ..flows.world import global_flows

    periods = "all" if args.all_periods else args.period
    methods = "all" if args.all_methods else args.method
    return global_flows(periods=periods, methods=methods, others=args.others, executor=args.executor,
                        progress=None, pb_sample_size=_sample_size(args))


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


def _cmd_sensitivity(args) -> int:
    from ..flows.world import flow_sensitivity

    out = table_path(args.out)
    run = flow_sensitivity(args.period, methods="all" if args.all_methods else args.method, draws=args.draws,
                           seed=args.seed, stock_cv=args.stock_cv, vital_cv=args.vital_cv,
                           population_cv=args.population_cv, stock_correlation=args.stock_correlation,
                           keep_draws=args.table == "draws", others=args.others, pb_sample_size=_sample_size(args),
                           executor=args.executor, progress=None)
    table = run.to_long() if args.table == "draws" else getattr(run, args.table)
    attrs = run.totals.attrs
    if attrs["infeasible"]:
        print(f"{attrs['infeasible']} of {attrs['draws']} draws infeasible (more foreign-born than people in a "
              f"country): left out of the summaries; --table infeasible lists them", file=sys.stderr)
    if out is None:
        print_table(table, args.format)
        return 0
    write_table(table, out)
    print(f"wrote {out}: {args.table}, {len(table):,} rows, {attrs['draws_used']} of {attrs['draws']} draws "
          f"(seed {attrs['seed']}), flows in persons", file=sys.stderr)
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
                           help="run periods (or draws) one after the other (default) or in a local process pool")
    every_period = argparse.ArgumentParser(add_help=False)
    every_period.add_argument("--all-periods", action="store_true", help="every period 1990-1995 ... 2020-2024")

    def action(name, func, help, table=True, parents=(selection, every_period)):
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

    def cv(text):
        return real_number(text, low=0)

    def correlation(text):
        return real_number(text, low=-1, high=1)

    # defaults as in flow_sensitivity (tests/test_cli_flows.py keeps them equal)
    p = action("sensitivity", _cmd_sensitivity, "re-estimate one period over random draws of its inputs "
               "(a sensitivity analysis, see docs/global_flows.md)", parents=(selection,))
    p.add_argument("--draws", type=positive_int, default=50, help="number of draws (default 50)")
    p.add_argument("--seed", type=lambda text: whole_number(text, low=0), default=1,
                   help="seed of the draws (default 1); draw k is the same for any --draws and --executor")
    p.add_argument("--stock-cv", type=cv, default=0.10, metavar="CV",
                   help="coefficient of variation of the errors on foreign-born stocks (default 0.10)")
    p.add_argument("--vital-cv", type=cv, default=0.02, metavar="CV",
                   help="coefficient of variation of the errors on births and on deaths (default 0.02)")
    p.add_argument("--population-cv", type=cv, default=0.0, metavar="CV",
                   help="coefficient of variation of the error on each population, both dates (default 0)")
    p.add_argument("--stock-correlation", type=correlation, default=0.0, metavar="R",
                   help="correlation of a stock cell's errors at the two dates, -1 to 1 (default 0)")
    p.add_argument("--table", choices=SENSITIVITY_TABLES, default="totals",
                   help="which table: totals (default), countries, corridors, infeasible, or every draw (draws)")
    p.add_argument("--out", metavar="FILE", help="FILE.csv or FILE.parquet (default: print with --format)")
    p = action("adjustments", _cmd_adjustments, "print every adjustment made to the published inputs",
               parents=())
    p.add_argument("--period", default="2015-2020", help="period, e.g. 2015-2020 (default)")
    p.add_argument("--all-periods", action="store_true", help="every period")
    p.add_argument("--others", default="distribute", choices=OTHERS_RULES)
