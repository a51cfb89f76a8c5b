"""Many files as one dataset: their records side by side, each still placed in its own file.

A partnership in one file may name towns defined in another; an id defined in two files is
a duplicate. The merged document's pointers count records across the files in order; its
locator turns each back into the file and place the record came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citynet_exchange.findings import Location
from citynet_exchange.formats import Document, Locator
from citynet_exchange.model import KINDS


class CompositeLocator(Locator):
    """Maps a pointer into the merged document to the document and pointer it came from."""

    def __init__(self, name: str):
        self.name = name
        self._records: dict[str, list[tuple[Document, int]]] = {key: [] for key, _model in KINDS.values()}
        self._metadata: Document | None = None

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        parts = pointer.split("/", 3)
        if len(parts) >= 3 and parts[1] in self._records and parts[2].isdigit():
            entries = self._records[parts[1]]
            if int(parts[2]) < len(entries):
                document, local = entries[int(parts[2])]
                rest = f"/{parts[3]}" if len(parts) == 4 else ""
                return document.locator.locate(f"/{parts[1]}/{local}{rest}", key=key)
        if self._metadata is not None and pointer.startswith("/metadata"):
            return self._metadata.locator.locate(pointer, key=key)
        return Location(file=self.name, pointer=pointer)


def merge(documents: Sequence[Document], name: str = "<dataset>") -> Document:
    """One document holding the records of all readable documents, in their order; the
    metadata is the first document's that has any."""
    locator = CompositeLocator(name)
    data: dict[str, Any] = {"standard": next((d.data.get("standard") for d in documents
                                               if isinstance(d.data, dict) and "standard" in d.data), None)}
    for document in documents:
        if not isinstance(document.data, dict):
            continue
        if "metadata" in document.data and "metadata" not in data:
            data["metadata"] = document.data["metadata"]
            locator._metadata = document
        for key, _model in KINDS.values():
            records = document.data.get(key)
            if isinstance(records, list):
                data.setdefault(key, []).extend(records)
                locator._records[key].extend((document, index) for index in range(len(records)))
    return Document(name, "merged", data, locator)
