"""Many files as one dataset: their records side by side, each still placed in its own file.

A partnership in one file may name towns defined in another; an id defined in two files is
a duplicate. The records of the dataset are counted across the files in order (the towns
of the second file come after those of the first); `Span` turns a pointer in that count
back into the file and place the record came from, keeping only where each file's records
begin, not an entry per record.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import Any

from citynet_exchange.findings import Location
from citynet_exchange.formats import Document, Locator
from citynet_exchange.kinds import RECORD_KEYS

_KEYS = {key: kind for kind, key in RECORD_KEYS.items()}


class Span(Locator):
    """The records of several documents counted as one dataset's."""

    def __init__(self, name: str = "<dataset>"):
        self.name = name
        self._starts: dict[str, list[int]] = {kind: [] for kind in RECORD_KEYS}
        self._documents: dict[str, list[Document]] = {kind: [] for kind in RECORD_KEYS}
        self._metadata: Document | None = None

    def add(self, document: Document, starts: dict[str, int]) -> None:
        """The next document, whose records of each kind begin at `starts[kind]`."""
        for kind, start in starts.items():
            self._starts[kind].append(start)
            self._documents[kind].append(document)
        if self._metadata is None and isinstance(document.data, dict) and "metadata" in document.data:
            self._metadata = document

    def place(self, kind: str, number: int) -> tuple[Document, int]:
        """The document a record of the dataset comes from, and its index there."""
        at = bisect_right(self._starts[kind], number) - 1
        return self._documents[kind][at], number - self._starts[kind][at]

    def record(self, kind: str, number: int) -> Any:
        document, local = self.place(kind, number)
        return document.record(kind, local)

    def records_at(self, kind: str, numbers: Sequence[int]) -> list[Any]:
        """Records of the dataset again, each document asked for its run of them at once."""
        records: list[Any] = []
        for document, run in groupby(map(partial(self.place, kind), numbers), key=itemgetter(0)):
            records += document.records_at(kind, [local for _document, local in run])
        return records

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        return self.locate_all([(pointer, key)])[0]

    def locate_all(self, asked: Sequence[tuple[str, bool]]) -> list[Location]:
        """Each pointer asked of the document it points into, each document's all at once."""
        places: list[Location | None] = [None] * len(asked)
        by_locator: dict[int, tuple[Locator, list[tuple[int, str, bool]]]] = {}  # by id: a plugin's need not hash
        for position, (pointer, key) in enumerate(asked):
            locator, local = self._target(pointer)
            if locator is None:
                places[position] = Location(file=self.name, pointer=pointer)
            else:
                by_locator.setdefault(id(locator), (locator, []))[1].append((position, local, key))
        for locator, wanted in by_locator.values():
            for (position, _local, _key), place in zip(wanted, locator.locate_all([(p, k) for _, p, k in wanted])):
                places[position] = place
        return places  # type: ignore[return-value]

    def _target(self, pointer: str) -> tuple[Locator | None, str]:
        """The locator of the document a dataset pointer points into, and the pointer there."""
        parts = pointer.split("/", 3)
        if len(parts) >= 3 and parts[1] in _KEYS and parts[2].isdigit() and self._starts[_KEYS[parts[1]]]:
            document, local = self.place(_KEYS[parts[1]], int(parts[2]))
            rest = f"/{parts[3]}" if len(parts) == 4 else ""
            return document.locator, f"/{parts[1]}/{local}{rest}"
        if self._metadata is not None and pointer.startswith("/metadata"):
            return self._metadata.locator, pointer
        return None, pointer


def metadata_of(documents: Sequence[Document]) -> Any:
    """The dataset's metadata: the first document's that has any."""
    for document in documents:
        if isinstance(document.data, dict) and "metadata" in document.data:
            return document.data["metadata"]
    return None
