"""The one place files are written: atomically, and never over what is being read.

Each file is written to a temporary file beside it and renamed over it, so a failure or an
interrupt (Ctrl-C) leaves the old file as it was and no temporary file behind. An output
that is one of the inputs (by name, symbolic or hard link) is refused before anything is
written: the input would be gone once the output replaced it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from citynet_exchange.errors import UsageError


def write_atomically(path: Path, payload: bytes | str) -> None:
    """Write one file (a text in UTF-8): never a half-written one."""
    write_all({path: payload})


def write_all(files: Mapping[Path, bytes | str]) -> None:
    """Write several files (the tables of a CSV package) as one: every temporary file is
    written before the first is renamed, so a failure while writing changes none of them."""
    with ExitStack() as stack:
        for path, payload in files.items():
            out, keep = stack.enter_context(staged(path))
            if isinstance(payload, str):  # a big report: encoded a piece at a time, not copied whole
                for start in range(0, len(payload), _PIECE):
                    out.write(payload[start:start + _PIECE].encode("utf-8"))
            else:
                out.write(payload)
            keep()


_PIECE = 1 << 20  # the characters of a text encoded at once


@contextmanager
def staged(path: Path) -> Iterator[tuple[BinaryIO, Callable[[], None]]]:
    """A temporary file beside `path` to write a stream to, and `keep`: called, the file is
    renamed over `path` when the block ends; else, or on a failure, it is removed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    kept = False

    def keep() -> None:
        nonlocal kept
        kept = True

    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, keep
        if kept:
            os.chmod(tmp, _mode_for(path))
            os.replace(tmp, path)
    finally:  # KeyboardInterrupt too: no temporary file is left behind
        Path(tmp).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The mode the file would have if written directly: the old file's, or what the umask allows."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def refuse_inputs(outputs: Iterable[Path], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """A `UsageError` if an output is an input file, or a folder read as input, or a file in
    such a folder (a CSV package is the files in its folder)."""
    read = [Path(i) for i in inputs]
    read += [f for folder in read if folder.is_dir() for f in folder.iterdir() if f.is_file()]
    for output in outputs:
        clash = next((i for i in read if _same(output, i)), None)
        if clash is not None:
            raise UsageError(f"{output}: would overwrite the input {clash}; name another file")


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file (following links): a file that does not exist is no input."""
    try:
        return a.samefile(b)
    except OSError:
        return False
