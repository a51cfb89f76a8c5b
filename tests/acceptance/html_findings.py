"""The findings an HTML page shows, read back as a person would see them (text, not markup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Shown:
    """One finding as the page shows it: its code, severity and text, the texts of its excerpt."""

    code: str
    severity: str
    text: str = ""
    excerpt: str = ""
    marked: list[str] = field(default_factory=list)  # cells or lines the page highlights


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Shown] = []
        self.scripts: list[str] = []
        self._depth = 0  # elements open inside the current finding
        self._in_excerpt = 0
        self._marked: list[str] | None = None
        self._marked_depth = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "script":
            self._in_script = True
        if tag == "article" and "finding" in classes:
            self.found.append(Shown(values["data-code"] or "", values["data-severity"] or ""))
            self._depth = 1
            return
        if self._depth:
            self._depth += tag not in ("br", "input", "meta")
            if "excerpt" in classes or (tag == "table" and "row" in classes):
                self._in_excerpt = self._depth
            if "hit" in classes:
                self._marked, self._marked_depth = [], self._depth

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if self._depth:
            if self._marked is not None and self._depth == self._marked_depth:
                self.found[-1].marked.append("".join(self._marked).strip())
                self._marked = None
            if self._in_excerpt and tag in ("td", "th"):
                self.found[-1].excerpt += " "
            if self._depth == self._in_excerpt:
                self._in_excerpt = 0
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        elif self._depth:
            shown = self.found[-1]
            if self._in_excerpt:
                shown.excerpt += data
            else:
                shown.text += data
            if self._marked is not None:
                self._marked.append(data)


def findings_shown(page: str) -> list[Shown]:
    reader = _Reader()
    reader.feed(page)
    return reader.found


def scripts_of(page: str) -> list[str]:
    """The text of every script element of the page."""
    reader = _Reader()
    reader.feed(page)
    return reader.scripts
