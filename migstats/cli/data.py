"""`migstats data ...`: fetching official releases, cache and vintages (issue 14)."""

from __future__ import annotations


def register(sub, command, common) -> None:
    """Add this command group to the ``migstats`` parser.

    ``sub`` is the top-level subparsers object; ``command(name, func, help, table=True)``
    adds a subcommand with the shared ``--debug`` (and ``--format`` when ``table``);
    ``common`` is the parent parser holding ``--debug``, for nested subcommands.
    """
