"""Places in RDF data: the file and the subject IRI of the statement a value came from."""

from __future__ import annotations

from citynet_exchange.findings import Location
from citynet_exchange.formats import Locator


class SubjectLocator(Locator):
    """Maps pointers to the subjects the importer read them from; a pointer resolves to its
    nearest recorded ancestor, so a missing field names its record's subject."""

    def __init__(self, file: str):
        self.file = file
        self._subjects: dict[str, str] = {}

    def add(self, pointer: str, subject: str) -> None:
        self._subjects[pointer] = subject

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        probe = pointer
        while probe not in self._subjects and probe:
            probe = probe.rsplit("/", 1)[0]
        return Location(file=self.file, pointer=pointer, subject=self._subjects.get(probe))
