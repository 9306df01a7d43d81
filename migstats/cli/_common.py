"""What every command group of the CLI shares: table output and argument types."""

from __future__ import annotations

import argparse
import sys


def print_table(frame, fmt: str) -> None:
    """Write a table to standard output in one of the formats of :mod:`migstats._format`."""
    from .._format import render_table

    sys.stdout.write(render_table(frame, fmt))


def whole_number(text: str, *, low: int = 1, high: int | None = None) -> int:
    """An argparse type: a whole number from ``low`` to ``high`` (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    return whole_number(text)
