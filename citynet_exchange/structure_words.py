"""How a structural finding is said: the codes of the published schema's violations, and
python-jsonschema's errors in their words.

Each JSON Schema keyword that can fail maps to one stable finding code, so a schema
violation is reported with a code, a message in plain words and a pointer to the value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from citynet_exchange.dates import PATTERN as DATE_PATTERN
from citynet_exchange.findings import Hit, Severity, pointer_of, pointer_token
from citynet_exchange.patterns import COUNTRY_PATTERN, ID_PATTERN, SUBDIVISION_PATTERN, URL_PATTERN
from citynet_exchange.rules import RuleInfo

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_ERROR = Severity.ERROR

STRUCTURAL_RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "syntax-error", _ERROR, "The file cannot be read",
        "The file is not well-formed in its format (JSON, YAML ...) or not in a known text encoding; "
        "nothing after the error can be checked.",
        {"syntax": "cannot read the file: {problem}",
         "line": "cannot read this line: {problem}; the other lines are read"},
    ),
    RuleInfo(
        "unsafe-input", _ERROR, "The file asks for what a validator must not do",
        "Submitted data is read without touching the network or other files: a JSON-LD context or "
        "@import to fetch, XML entity declarations to expand (a known way to exhaust memory), YAML "
        "aliases that repeat more values than any dataset needs (the same trick), an owl:imports to follow. Such "
        "a file is refused; inline the context (the standard's own is known), remove the declarations "
        "or write the values out.",
        {"refused": "{what} is refused: {why}"},
    ),
    RuleInfo(
        "limit-exceeded", _ERROR, "An input is past one of the caps on what a run reads",
        "So that no file can exhaust memory or time, a run reads at most 4 GiB a file (input-bytes), "
        "1 GiB unpacked from a zip or workbook (unpacked-bytes), 50 million records a dataset "
        "(records), values nested 64 levels deep in a record (depth) and texts of a million characters "
        "(text-chars). Real registry files stay far below; for a file that needs more, raise the cap "
        "with --limit NAME=VALUE or in [tool.citynet.limits] of the configuration.",
        {"exceeded": "{what} is past the limit {limit} = {value}; raise it with --limit {option}=N if the "
                     "file is trusted"},
    ),
    RuleInfo(
        "duplicate-key", _ERROR, "A key is given twice in one object",
        "Within one object each field may be given once; where a key repeats, readers silently keep "
        "one of the values and lose the other.",
        {"duplicate": "the key '{name}' is given twice in this object; only one value can be kept"},
    ),
    RuleInfo(
        "wrong-type", _ERROR, "A value has the wrong type",
        "Each field of the standard has one JSON type: text, number, true/false, list or object. "
        "Dates and identifiers are text even when they look like numbers: write them in quotes in YAML.",
        {
            "type": "{field} must be {expected}, not {actual}",
            "type-hint": "{field} must be {expected}, not {actual}; write it in quotes: {value}",
        },
    ),
    RuleInfo(
        "missing-field", _ERROR, "A required field is missing",
        "Every record needs its id and the fields that make it meaningful: a town its name and country, "
        "a partnership its kind and members, a membership its town and network.",
        {"required": "{where} lacks the required field '{name}'"},
    ),
    RuleInfo(
        "unknown-field", _ERROR, "A field is not part of the standard",
        "Field names are fixed so that a typo cannot pass silently. Fields of your own belong under the "
        "record's `extensions` object, keyed by a name of yours.",
        {
            "unknown": "'{name}' is not a field of {where}; fields of your own go under 'extensions'",
            "unknown-suggest": "'{name}' is not a field of {where}; did you mean '{suggestion}'?",
        },
    ),
    RuleInfo(
        "invalid-code", _ERROR, "A value is not in its code list",
        "Coded fields (kind, status, type, role, themes ...) take only the codes of their code list, "
        "written in lower-case kebab-case.",
        {
            "enum": "{value} is not a code of {field}; allowed: {allowed}",
            "enum-suggest": "{value} is not a code of {field}; did you mean '{suggestion}'?",
        },
    ),
    RuleInfo(
        "invalid-format", _ERROR, "A value does not have the required form",
        "Some text fields have a fixed form: dates are YYYY, YYYY-MM or YYYY-MM-DD; country codes two "
        "capital letters; ids letters, digits and `_ . ~ -`; web addresses start with http:// or https://.",
        {"pattern": "{value} is not a valid {field}: {form}"},
    ),
    RuleInfo(
        "invalid-value", _ERROR, "A value is not allowed",
        "The value is outside what the field allows: the standard version this validator reads, "
        "a number in range, a non-empty text or list.",
        {
            "const": "{field} must be {expected}, not {value}",
            "range": "{field} must be {bound}, not {value}",
            "empty": "{field} must not be empty",
            "too-few": "{field} needs at least {minimum} entries, has {count}",
            "other": "{field}: {detail}",
        },
    ),
    RuleInfo(
        "unused-suppression", Severity.WARNING, "A silenced rule has nothing to silence",
        "A record may silence a rule's finding on it by listing the rule's code under "
        "`extensions.citynet.ignore`. A code listed there that silences nothing, because the finding "
        "is gone or the code is no rule's (the structure of data cannot be silenced), is reported so "
        "that stale silences do not pile up; remove it.",
        {
            "unused": "'{code}' is silenced on this record, but the rule finds nothing here; remove it",
            "not-a-rule": "'{code}' is not the code of a rule, and only rules' findings can be silenced",
        },
    ),
    RuleInfo(
        "conversion-loss", _ERROR, "The output format cannot hold a value",
        "A conversion to a format that has no place for a value of the input (a third member in a "
        "two-town table, say), or only in another form (a number in a text column of a table reads "
        "back as text), would leave the value missing or changed in the output: `citynet convert` then "
        "writes nothing, and with `--allow-lossy` writes the output without it and reports this as a "
        "warning. Convert to a format that holds it.",
        {
            "lost": "{what} cannot be written as {format} and is missing from the output",
            "changed": "{what} cannot be written as {format} as it is: {how}",
        },
    ),
)

FORMS = {
    DATE_PATTERN: "use YYYY, YYYY-MM or YYYY-MM-DD",
    COUNTRY_PATTERN: "use an ISO 3166-1 alpha-2 code of two capital letters, such as DE",
    SUBDIVISION_PATTERN: "use an ISO 3166-2 code such as DE-HB",
    URL_PATTERN: "use a web address starting with http:// or https://",
    ID_PATTERN: "use letters, digits and _ . ~ -, starting with a letter or digit",
}
# the JSON types in the words of wrong-type messages; the German page says them from de.toml [terms]
TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "an object", "null": "empty",
}


def said(errors: Iterable[ValidationError], pointer: str, path: Sequence[Any],
          record_at: Callable[[list[Any]], Any]) -> Iterator[Hit]:
    """python-jsonschema's errors in a value as hits: the value sits at `pointer`, and at
    `path` from the document's root; `record_at` gives the record a path leads into, to name it."""
    for error in errors:
        for err in _branches(error):
            inner = list(err.absolute_path)
            full = [*path, *inner]
            yield from _map(err, pointer + pointer_of(inner), _where(full, record_at(full)), _field_name(full))


def _field_name(path: Sequence[Any]) -> str:
    names = [p for p in path if not isinstance(p, int)]
    return f"'{names[-1]}'" if names else "the document"


def _where(path: Sequence[Any], record: Any) -> str:
    """Name the object at `path` for a message: `town 'bremen'`, `'location' of town 'bremen'`."""
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
        record_id = record.get("id") if isinstance(record, Mapping) else None
        kind = path[0].removesuffix("s")
        label = f"{kind} '{record_id}'" if isinstance(record_id, str) else f"the {kind} at {pointer_of(path[:2])}"
        names = [p for p in path[2:] if isinstance(p, str)]
        return f"'{names[-1]}' of {label}" if names else label
    names = [p for p in path if isinstance(p, str)]
    return f"'{names[-1]}'" if names else "the dataset"


def _branches(error: ValidationError) -> Iterator[ValidationError]:
    """Unwrap `anyOf` (X or null): report the errors of the branch that is not null."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(sub.schema_path[0], []).append(sub)
        real = {i: errs for i, errs in by_branch.items() if error.validator_value[i] != {"type": "null"}}
        if len(real) == 1:
            for sub in next(iter(real.values())):
                yield from _branches(sub)
            return
    yield error


def suggest(word: str, choices: Any) -> str | None:
    """The choice closest to a misspelt word, if one is close."""
    return _suggest(word, tuple(str(c) for c in choices))


@lru_cache(maxsize=4096)  # a file wrong throughout misspells one code again and again
def _suggest(word: str, choices: tuple[str, ...]) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _map(err: ValidationError, pointer: str, where: str, field: str) -> Iterator[Hit]:
    keyword, value, instance = err.validator, err.validator_value, err.instance
    if "propertyNames" in err.relative_schema_path:
        yield _key_hit(err, pointer, field)
    elif keyword == "required":
        name = err.message.split("'")[1]
        yield Hit(code="missing-field", message="required", params={"name": name, "where": where},
                  pointer=pointer)
    elif keyword == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        for name in sorted(set(instance) - set(known)):
            suggestion = suggest(name, known)
            params = {"name": name, "where": where}
            if suggestion:
                params["suggestion"] = suggestion
            yield Hit(code="unknown-field", message="unknown-suggest" if suggestion else "unknown",
                      params=params, pointer=f"{pointer}/{name}", key=True)
    elif keyword == "type":
        expected = value if isinstance(value, str) else value[0]
        params = {"field": field, "expected": TYPE_NAMES.get(expected, expected),
                  "actual": TYPE_NAMES.get(_json_type(instance), _json_type(instance))}
        if expected == "string" and isinstance(instance, (int, float)) and not isinstance(instance, bool):
            yield Hit(code="wrong-type", message="type-hint", params={**params, "value": f'"{instance}"'},
                      pointer=pointer)
        else:
            yield Hit(code="wrong-type", message="type", params=params, pointer=pointer)
    elif keyword == "enum":
        suggestion = suggest(str(instance), value)
        params = {"value": repr(instance), "field": field, "allowed": ", ".join(map(str, value))}
        if suggestion:
            params["suggestion"] = suggestion
        yield Hit(code="invalid-code", message="enum-suggest" if suggestion else "enum", params=params,
                  pointer=pointer)
    elif keyword == "pattern":
        form = FORMS.get(value, f"it must match {value}")
        yield Hit(code="invalid-format", message="pattern",
                  params={"value": repr(instance), "field": field, "form": form}, pointer=pointer)
    elif keyword == "const":
        yield Hit(code="invalid-value", message="const",
                  params={"field": field, "expected": repr(value), "value": repr(instance)}, pointer=pointer)
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[keyword]
        yield Hit(code="invalid-value", message="range",
                  params={"field": field, "bound": f"{bound} {value}", "value": instance}, pointer=pointer)
    elif keyword in ("minLength", "minItems") and value == 1:
        yield Hit(code="invalid-value", message="empty", params={"field": field}, pointer=pointer)
    elif keyword == "minItems":
        yield Hit(code="invalid-value", message="too-few",
                  params={"field": field, "minimum": value, "count": len(instance)}, pointer=pointer)
    else:
        yield Hit(code="invalid-value", message="other", params={"field": field, "detail": err.message},
                  pointer=pointer)


def _key_hit(err: ValidationError, pointer: str, field: str) -> Hit:
    """A bad key (a language tag, an extension name) fails `propertyNames`: point at the key."""
    name = err.instance
    form = "a BCP 47 language tag such as 'pl' or 'de-CH'" if pointer.endswith("/names") else \
        "lower-case letters, digits, '_' and '-'"
    return Hit(code="invalid-format", message="pattern",
               params={"value": repr(name), "field": f"key of {field}", "form": f"use {form}"},
               pointer=f"{pointer}/{pointer_token(name)}", key=True)


def type_words(value: Any) -> str:
    """The JSON type of a value in plain words, for messages: `text`, `a whole number` ..."""
    return TYPE_NAMES[_json_type(value)]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
