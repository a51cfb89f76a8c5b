"""What reading RDF reports: rdflib's errors as syntax errors at their place.

rdflib's parsers say where an error is in different ways (an offset into the text, a
`file:line:col:` prefix, a SAX locator); each is turned into the line and column, counted
from 1, that every other format of the validator reports.
"""

from __future__ import annotations

import re
from xml.sax import SAXParseException

from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from citynet_exchange.findings import Hit
from citynet_exchange.formats import syntax_hit

_PREFIXED = re.compile(r"^[^\n]*?:(\d+):(\d+): (.*)$", re.DOTALL)  # rdflib's RDF/XML errors: `None:3:2: why`
# rdflib's Turtle reader asserts what a string lacks, quoting the text around the place: `why at ^ in before^after`
_QUOTED = re.compile(r"^(.*?) at \^ in (.*)\^(.*)$", re.DOTALL)
_BAD_SYNTAX = re.compile(r"^at line (\d+) of <[^>]*>:\nBad syntax \((.*?)\) at \^ in:", re.DOTALL)


def place_of(text: str, offset: int) -> tuple[int, int]:
    """Line and column (characters, from 1) of an offset into a text."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def error_hit(file: str, exc: Exception, text: str | None) -> Hit:
    """A `syntax-error` hit for what an rdflib parser raised, at the place it names.

    `text` is the decoded input where rdflib read one (Turtle and TriG errors give an
    offset into it).
    """
    if isinstance(exc, RecursionError):
        return syntax_hit(file, None, None, "the statements are nested too deeply to read")
    if isinstance(exc, BadSyntax):
        return _bad_syntax_hit(file, exc, text)
    if isinstance(exc, SAXParseException):
        return syntax_hit(file, exc.getLineNumber(), exc.getColumnNumber() + 1, exc.getMessage())
    message = str(exc) or type(exc).__name__
    quoted = _QUOTED.match(message)
    at = text.find(quoted[2] + quoted[3]) if quoted and text is not None else -1
    if quoted and text is not None and at >= 0:
        return syntax_hit(file, *place_of(text, at + len(quoted[2])), quoted[1])
    prefixed = _PREFIXED.match(message) if isinstance(exc, ParserError) else None
    if prefixed:  # SAX columns count from 0
        return syntax_hit(file, int(prefixed[1]), int(prefixed[2]) + 1, prefixed[3])
    return syntax_hit(file, None, None, message)


def _bad_syntax_hit(file: str, exc: BadSyntax, text: str | None) -> Hit:
    """Turtle and TriG: the message names the line; the column comes from the offset the
    exception keeps (rdflib has no public field for it), where it is there."""
    match = _BAD_SYNTAX.match(str(exc))
    problem = match[2] if match else str(exc)
    offset = getattr(exc, "_i", None)
    if text is not None and isinstance(offset, int) and 0 <= offset <= len(text):
        while offset < len(text) and text[offset] in " \t":  # rdflib stops before the blanks
            offset += 1
        line, column = place_of(text, offset)
        return syntax_hit(file, line, column, problem)
    return syntax_hit(file, int(match[1]) if match else None, None, problem)
