"""Writing tables: CSV text, and a set of files as one zip."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], *, delimiter: str = ",",
              bom: bool = False) -> bytes:
    """UTF-8 CSV (with a byte-order mark for spreadsheet programs, if asked); cells are text
    already, None is an empty cell."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def write_zip(files: Mapping[str, bytes]) -> bytes:
    """The files as a zip with fixed timestamps, so that the same data gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), payload,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
