"""The migstats exception hierarchy.

Every error migstats raises on purpose derives from :class:`MigstatsError`, so
callers (and the CLI) can catch one class. Errors about data carry where the
problem is: file, row (1-based data row, header excluded, or the physical line
for readers that say so) and column.
"""

from __future__ import annotations

__all__ = [
    "MigstatsError",
    "DataError",
    "ValidationError",
    "ReaderError",
    "UnknownCountryError",
    "UnitError",
    "InputError",
    "ZeroBaseError",
    "MissingValueError",
    "EmptyTableError",
    "SpanError",
    "MarginMismatchError",
    "IgnoredArgumentError",
    "ConvergenceError",
    "UnknownFigureError",
    "UnknownNameError",
    "OutputError",
    "MemoryBudgetError",
    "FetchError",
    "ChecksumError",
    "OfflineError",
    "MigstatsWarning",
    "ConvergenceWarning",
    "ReaderWarning",
    "CacheWarning",
    "MissingDependencyError",
]


class MigstatsError(Exception):
    """Base class of every error raised by migstats."""


class DataError(MigstatsError):
    """A problem located in a data file.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file (path or name) the problem is in.
    row : int, optional
        Where in the file: a 1-based data row or line number, as ``row_kind`` says.
    column : str, optional
        The column (field) name.
    row_kind : {"row", "line"}
        Whether ``row`` counts data rows or physical lines.
    """

    def __init__(self, message, *, file=None, row=None, column=None, row_kind="row"):
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.row_kind = row_kind
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"{self.row_kind} {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ValidationError(DataError):
    """Bundled or user data does not satisfy its table schema."""


class ReaderError(DataError):
    """An upstream publication file cannot be read as the format it claims to be."""


class UnknownCountryError(DataError, LookupError):
    """A country or area name or code that migstats cannot map."""


class UnitError(MigstatsError, ValueError):
    """A unit that does not parse, or quantities of incompatible dimensions."""


class InputError(MigstatsError, ValueError):
    """An argument value that a computation cannot accept."""


class ZeroBaseError(InputError):
    """A relative measure was asked for against a base of zero."""


class MissingValueError(InputError):
    """A value needed by a computation is NaN or missing."""


class EmptyTableError(InputError):
    """A computation was given a table or series without rows."""


class SpanError(InputError):
    """A period of zero or negative length, or years out of order."""


class MarginMismatchError(InputError):
    """Margins (totals) that must agree do not."""


class IgnoredArgumentError(InputError):
    """An argument was given that the chosen method would ignore."""


class ConvergenceError(MigstatsError, RuntimeError):
    """An iterative method did not converge within its iteration limit."""


class UnknownFigureError(MigstatsError, LookupError):
    """A figure id that is not in the report table."""

    def __str__(self) -> str:  # LookupError would quote the message
        return self.args[0] if self.args else ""


class UnknownNameError(MigstatsError, LookupError):
    """An unknown chart, format, topic or other named choice."""

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class OutputError(MigstatsError, OSError):
    """An output location that cannot be written."""


class MemoryBudgetError(MigstatsError, MemoryError):
    """A computation would allocate more memory than its budget; the message names the size and the way out."""


class FetchError(MigstatsError, OSError):
    """A download failed, was refused, or its file does not verify; nothing is left under the final name."""


class ChecksumError(FetchError):
    """A downloaded file's sha256 differs from the one registered for that release."""


class OfflineError(FetchError):
    """A file is needed that is not in the cache while migstats is offline; the message says how to get it."""


class MigstatsWarning(UserWarning):
    """A result that is computed but partly undefined or approximate; the message says which part."""


class ConvergenceWarning(MigstatsWarning):
    """An iterative method stopped at its iteration limit (``on_nonconvergence="warn"``)."""


class ReaderWarning(MigstatsWarning):
    """A reader departed from what a file declares (e.g. another encoding) and says how."""


class CacheWarning(MigstatsWarning):
    """A cached copy that did not verify or could not be written; the source is read instead, results are unchanged."""


class MissingDependencyError(MigstatsError, ImportError):
    """An optional dependency a function needs is not installed; the message names the extra to install."""
