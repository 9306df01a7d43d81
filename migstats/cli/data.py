"""`migstats data ...`: fetching official releases, cache and vintages.

Each action calls one function of :mod:`migstats.catalog` (or
:func:`migstats.vintage_revisions`) and prints its result; paths go to
stdout one per line, tables in the chosen ``--format``.
"""

from __future__ import annotations

import sys

from ._common import print_table


def _cmd_list(args) -> int:
    from ..catalog import registry

    table = registry()
    columns = ["id", "release", "url_status", "format", "reader", "licence", "title"]
    print_table(table[columns + (["url", "sha256", "url_note"] if args.long else [])], args.format)
    return 0


def _cmd_fetch(args) -> int:
    from ..catalog import fetch

    path = fetch(args.source, indicator=args.indicator, url=args.url, refresh=args.refresh, timeout=args.timeout)
    print(path)
    return 0


def _cmd_path(args) -> int:
    from ..catalog import cached_path

    print(cached_path(args.source, indicator=args.indicator, vintage=args.vintage))
    return 0


def _cmd_vintages(args) -> int:
    from ..catalog import vintages

    table = vintages(args.source)
    columns = ["source", "indicator", "vintage", "id", "retrieved", "size", "verified"]
    print_table(table if args.long else table[columns], args.format)
    return 0


def _cmd_diff(args) -> int:
    from ..analysis import vintage_revisions

    table = vintage_revisions(args.source, args.old, args.new, indicator=args.indicator)
    meta = table.attrs
    print(f"{args.source}: vintage {meta['previous_vintage']} -> {meta['revised_vintage']}: "
          f"{meta['compared']} cells in both, {meta['changed']} revised, "
          f"{(table['change'] == 'added').sum()} added, {(table['change'] == 'removed').sum()} removed",
          file=sys.stderr)
    if meta["summary"] is not None:
        s = meta["summary"].iloc[0]
        print(f"mean revision {s['mean_revision']:.6g}, mean absolute revision {s['mean_absolute_revision']:.6g}, "
              f"root mean squared revision {s['rms_revision']:.6g} {s.get('unit', '')}".rstrip(), file=sys.stderr)
    print_table(table, args.format)
    return 0


def _cmd_clear(args) -> int:
    from ..catalog import cache_dir, clear_cache

    removed = clear_cache(args.source)
    print(f"removed {removed} vintage{'s' if removed != 1 else ''} from {cache_dir()}")
    return 0


def _positive_float(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def register(sub, command, common) -> None:
    """Add this command group to the ``migstats`` parser.

    ``sub`` is the top-level subparsers object; ``command(name, func, help, table=True)``
    adds a subcommand with the shared ``--debug`` (and ``--format`` when ``table``);
    ``common`` is the parent parser holding ``--debug``, for nested subcommands.
    """
    from .._format import FORMATS

    group = sub.add_parser(
        "data", parents=[common], help="fetch official releases into a verified cache; list, compare and clear vintages",
        description="Official releases in a verified local cache (MIGSTATS_CACHE; offline with --offline or "
        "MIGSTATS_OFFLINE=1). See docs/data.md.",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name, func, help, table=False):
        p = actions.add_parser(name, parents=[common], help=help, description=help)
        if table:
            p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
        p.set_defaults(func=func)
        return p

    def indicator(p):
        p.add_argument("--indicator", metavar="CODE", help="WDI indicator code (default BX.TRF.PWKR.CD.DT)")

    p = action("list", _cmd_list, "list the registered sources", table=True)
    p.add_argument("--long", action="store_true", help="also the URL, sha256 and the note on the URL")

    p = action("fetch", _cmd_fetch, "download a source (or reuse the cache) and print the path of the verified file")
    p.add_argument("source", metavar="SOURCE", help="a source id (see 'migstats data list')")
    indicator(p)
    p.add_argument("--refresh", action="store_true", help="download again even if cached (a new vintage if it changed)")
    p.add_argument("--url", help="download from this URL instead of the registered one (https)")
    p.add_argument("--timeout", type=_positive_float, metavar="SECONDS", help="seconds without progress (default 30)")

    p = action("path", _cmd_path, "print the path of a cached file (never downloads)")
    p.add_argument("source", metavar="SOURCE")
    indicator(p)
    p.add_argument("--vintage", default="latest", help="latest (default), previous, a vintage label or a sha256 prefix")

    p = action("vintages", _cmd_vintages, "list the vintages in the cache", table=True)
    p.add_argument("source", metavar="SOURCE", nargs="?", help="only this source")
    p.add_argument("--long", action="store_true", help="all columns (sha256, URL, path, dates)")

    p = action("diff", _cmd_diff, "cell-by-cell revisions between two cached vintages", table=True)
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("old", metavar="OLD", help="previous vintage: previous, a label or a sha256 prefix")
    p.add_argument("new", metavar="NEW", help="revised vintage: latest, a label or a sha256 prefix")
    indicator(p)

    p = action("clear-cache", _cmd_clear, "remove cached files (all, or one source's)")
    p.add_argument("--source", metavar="SOURCE", help="only this source")
