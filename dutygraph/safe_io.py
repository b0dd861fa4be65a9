"""Reading what the user hands in, and writing what the tool hands out, safely.

Input: only regular files are read (not a device such as ``/dev/zero``, a pipe or a folder),
and none larger than ``MAX_INPUT_BYTES``; every failure is one ``InputFileError`` line.

Output: every file the tool writes (diagrams, reports, exports) goes first to a temporary file
in the same folder, then replaces the target in one ``os.replace``; a failure (disk full, no
permission, a name too long, a file where a folder should be) is one ``ExportError`` line and
leaves no empty or half-written file behind (an earlier file of that name stays as it was).

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = write_text("区民政局\\n", os.path.join(folder, "a.txt"))
>>> path.read_text(encoding="utf-8"), os.listdir(folder)
('区民政局\\n', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import messages as msg
from .errors import ExportError, InputFileError

__all__ = [
    "MAX_INPUT_BYTES",
    "atomic_write",
    "check_input_file",
    "check_output",
    "read_input",
    "write_text",
]

#: The largest file one list (or a gold file, a vocabulary file) may be: a town's list is
#: about 0.2 MB as text and a few MB as a workbook; 64 MB leaves room for any real one and
#: stops a runaway input long before memory does.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def check_input_file(path: str | os.PathLike[str], *, what: str = "清单") -> int:
    """The size of ``path`` once it is a regular file within ``MAX_INPUT_BYTES``."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(msg.INPUT_MISSING.format(path=path)) from None
    except OSError as err:
        detail = err.strerror or str(err)
        raise InputFileError(msg.INPUT_UNREADABLE.format(path=path, detail=detail)) from err
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(msg.INPUT_NOT_FILE.format(path=path, what=file_kind(info.st_mode)))
    if info.st_size > MAX_INPUT_BYTES:
        raise InputFileError(
            msg.INPUT_TOO_LARGE.format(path=path, size=info.st_size, what=what, cap=MAX_INPUT_BYTES)
        )
    return info.st_size


def read_input(path: str | os.PathLike[str], *, what: str = "清单") -> bytes:
    """The bytes of a regular file of at most ``MAX_INPUT_BYTES`` (read no further, even when
    the file grows meanwhile)."""
    check_input_file(path, what=what)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        detail = err.strerror or str(err)
        raise InputFileError(msg.INPUT_UNREADABLE.format(path=path, detail=detail)) from err
    if len(data) > MAX_INPUT_BYTES:
        raise InputFileError(
            msg.INPUT_TOO_LARGE.format(path=path, size=len(data), what=what, cap=MAX_INPUT_BYTES)
        )
    return data


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def check_output(path: str | os.PathLike[str], suffixes: tuple[str, ...] = ()) -> None:
    """Refuse an output file, before any work, whose name does not end in one of ``suffixes``
    (any case; none given: any name), or whose folder does not exist (a typo in a path must
    not make a tree of folders).

    >>> check_output("报告.HTML", (".html", ".htm"))  # a name that fits, in a folder that exists
    """
    target = Path(path)
    if suffixes and target.suffix.lower() not in suffixes:
        raise ExportError(msg.OUTPUT_SUFFIX.format(path=target, suffix=suffixes[0]))
    folder = target.parent
    if not folder.exists():  # a file in its place is not writable: atomic_write says so
        raise ExportError(msg.OUTPUT_NO_FOLDER.format(path=target, folder=folder))


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)``, then move the result onto ``path`` in one step.

    The folder is created when missing (the library's callers name their paths; the command
    line refuses a missing folder first, :func:`check_output`). Any ``OSError`` becomes one
    ``ExportError`` line naming ``path``; the temporary file is removed.
    """
    target = Path(path)
    temporary: Path | None = None
    try:
        if target.is_dir():
            raise ExportError(msg.OUTPUT_IS_FOLDER.format(path=target))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".dutygraph-", suffix=".tmp")
        os.close(handle)
        temporary = Path(name)
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
        temporary = None
    except OSError as err:
        detail = err.strerror or str(err)
        raise ExportError(msg.OUTPUT_FAILED.format(path=target, detail=detail)) from err
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    return target


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write text as UTF-8 with ``\\n`` line ends, atomically, and return the path."""

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)

    return atomic_write(path, write)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
