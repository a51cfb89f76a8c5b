"""Partial dates (`1976`, `1976-05`, `1976-05-14`): registries often know only the year.

Comparisons work at the precision both dates know: 1976 is not before 1976-05.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date

# `(?!\n)$`: Python's `$` also matches before a final newline, ECMA 262's (JSON Schema's) does not.
PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?(?!\n)$"
_RE = re.compile(PATTERN)


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse a partial date; ValueError for a bad form or a day the calendar lacks."""
        if not isinstance(text, str) or not _RE.match(text):
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in text.split("-")]
        if parts[0] == 0:
            raise ValueError("the calendar has no year 0")  # nor has Python's: 1 BC is no partnership's year
        if len(parts) == 3:
            date(*parts)  # raises ValueError for 2021-02-30
        return cls(*parts)  # type: ignore[arg-type]

    @cached_property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def before(self, other: PartialDate) -> bool:
        """True only when self certainly lies before other."""
        return self.latest < other.earliest

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])


def try_parse(text: object) -> PartialDate | None:
    try:
        return PartialDate.parse(text)  # type: ignore[arg-type]
    except ValueError:
        return None
