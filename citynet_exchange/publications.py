"""Files of the published standard that a plugin builds, such as the linked-data files.

`python -m citynet_exchange.standard` writes them into `schema/` beside the JSON Schemas,
and the test of the standard fails while one is out of date, like the core's own files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

FILE_NAME = re.compile(r"^[a-z][a-z0-9_-]*\.[a-z0-9.]+$")


@dataclass(frozen=True)
class Publication:
    """A file of `schema/`: its name (such as `context.jsonld`), what it is, how it is built."""

    name: str
    title: str
    build: Callable[[], str] = field(repr=False)
