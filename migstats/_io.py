"""Writing files without ever leaving one half-written, or a temporary file behind.

Every file is written to a hidden temporary file in the target folder and renamed into
place. The name of each temporary file is recorded *before* the file is created and
forgotten only after it has been renamed or removed, so at any moment every temporary
file on disk is in :data:`_PENDING`; :func:`remove_temporary_files` deletes them. The
command line calls it when a signal (Ctrl-C, SIGTERM) stops the work, wherever the
signal landed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write_bytes", "ensure_dir", "remove_temporary_files"]

# temporary files that may exist on disk right now (see the module docstring)
_PENDING: set[str] = set()


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and check it is writable.

    Parameters
    ----------
    path : path-like
        The folder.

    Returns
    -------
    pathlib.Path
        ``path``, now an existing writable folder.

    Raises
    ------
    OutputError
        If the folder cannot be created or written to.

    Examples
    --------
    >>> import tempfile
    >>> ensure_dir(Path(tempfile.mkdtemp()) / "a" / "b").is_dir()
    True
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {str(path)!r}: {exc.strerror or exc}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {str(path)!r} is not writable")
    return path


def _create_temporary(path: Path) -> tuple[int, str]:
    """Open a new hidden file beside ``path``; its name is in :data:`_PENDING` before it exists."""
    while True:
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        _PENDING.add(tmp)
        try:
            # 0o666 less the umask: the permissions a plain open() would give
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            _PENDING.discard(tmp)  # someone else's file: never ours to delete
        except OSError:
            _PENDING.discard(tmp)  # not created
            raise
        # any other exception (a signal landing just after the file was made) keeps the name


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A reader of ``path`` sees either the old file or the complete new one; on failure
    (or an interrupt) the temporary file is removed and ``path`` is untouched.

    Parameters
    ----------
    path : path-like
        The file to write; its folder must exist.
    data : bytes
        The complete new content.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OutputError
        If the file cannot be written.

    See Also
    --------
    remove_temporary_files : what an interrupted program calls before it exits.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write_bytes(target, b"complete").read_bytes()
    b'complete'
    >>> sorted(p.name for p in target.parent.iterdir())
    ['out.txt']
    """
    path = Path(path)
    tmp = None
    try:
        fd, tmp = _create_temporary(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            _remove(tmp)
    return path


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass  # renamed into place, or never created
    _PENDING.discard(tmp)


def remove_temporary_files() -> int:
    """Delete every temporary file this process may have left; returns how many existed.

    Returns
    -------
    int
        The number of files removed.

    Examples
    --------
    >>> remove_temporary_files()
    0
    """
    removed = 0
    for tmp in list(_PENDING):
        removed += os.path.exists(tmp)
        _remove(tmp)
    return removed
