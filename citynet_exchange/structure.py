"""Structural checks: the dataset document against the published JSON Schema.

Records are checked one at a time by validators compiled from the schema (jsonschema-rs);
python-jsonschema is asked where and why only of what they refuse, and its errors are said
as findings by `structure_words`. The same checks serve the extension schemas that plugins
register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from citynet_exchange.findings import Hit, pointer_path, pointer_token
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.resources import DATASET_SCHEMA, load_json
from citynet_exchange.structure_words import said

if TYPE_CHECKING:  # python-jsonschema is imported only to say what is wrong with a value
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@cache
def dataset_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_json(DATASET_SCHEMA))


def check_structure(data: Any, validator: Draft202012Validator | None = None, base: str = "") -> list[Hit]:
    """All schema violations of `data` as hits; `base` prefixes pointers (extension schemas).

    This is the published schema run by python-jsonschema over a whole document: the
    reference that the compiled checks (`Structure`) must agree with."""
    return list(_errors(validator or dataset_validator(), data, base, (), lambda path: _record_at(path, data)))


class Compiled:
    """One JSON Schema, checked fast: a compiled validator (jsonschema-rs) says whether a
    value is valid, and only for a value that is not does python-jsonschema say where and
    why, in the words of `check_structure`."""

    def __init__(self, schema: Mapping[str, Any], text_chars: int | None = None,
                 explained: Mapping[str, Any] | None = None):
        """`text_chars`: the fast check also finds a text longer than that invalid, so that a
        caller looks closer at a record holding one (see `limits`); the detail does not.
        `explained`: a schema python-jsonschema says the same of as of `schema`, for a value
        the fast check refuses, in less time."""
        import jsonschema_rs

        fast = _ecma_patterns(schema)
        self.is_valid = jsonschema_rs.validator_for(fast if text_chars is None else _capped(fast, text_chars)).is_valid
        self._schema = schema if explained is None else explained
        self._detail: Draft202012Validator | None = None
        # python-jsonschema's errors in a text, number, true/false or null, which a file that
        # is wrong throughout gives again and again (a date of one wrong form in every record)
        self._known: dict[tuple[type, Any], list[ValidationError]] = {}

    def hits(self, value: Any, pointer: str, path: Sequence[Any] = (), record: Any = None) -> list[Hit]:
        """The violations of `value`, which sits at `pointer` (`path` from the document's root,
        inside `record`, for naming it in messages)."""
        if self.is_valid(value):
            return []
        return self.explained(value, pointer, path, record)

    def explained(self, value: Any, pointer: str, path: Sequence[Any] = (), record: Any = None) -> list[Hit]:
        """The violations of a value the compiled check has already refused (see `hits`)."""
        return list(said(self._errors(value), pointer, path, lambda _path: record))

    def _errors(self, value: Any) -> list[ValidationError]:
        """What python-jsonschema finds wrong with a value the compiled check refused."""
        if self._detail is None:
            from jsonschema import Draft202012Validator

            self._detail = Draft202012Validator(dict(self._schema))
        if isinstance(value, (dict, list)):
            return list(self._detail.iter_errors(value))
        key = (type(value), repr(value) if type(value) is float else value)  # -0.0 is said otherwise than 0.0
        errors = self._known.get(key)
        if errors is None:
            errors = list(self._detail.iter_errors(value))
            if len(self._known) < _KNOWN:
                self._known[key] = errors
        return errors


_KNOWN = 4096  # the scalar values whose errors a `Compiled` keeps


class _Record(Compiled):
    """A record kind's definition (an object of named fields), explained in parts where a
    record fails it: the record with every field taken as it is (fields missing or unknown,
    the type), then each field its compiled check alone refuses. python-jsonschema walked a
    whole broken record through the schema's references in some 230 µs; a bad date alone
    takes it 35, and a date seen before nothing."""

    def __init__(self, schema: Mapping[str, Any], name: str, text_chars: int | None):
        super().__init__(_definition(schema, name), text_chars)
        definition = schema["$defs"][name]
        keywords = list(definition)
        cut = keywords.index("properties")  # python-jsonschema says a keyword's errors in this order
        shell = {"$schema": schema["$schema"], "properties": dict.fromkeys(definition["properties"], True)}
        self._before = Compiled({**shell, **{k: definition[k] for k in keywords[:cut]}})
        self._after = Compiled({**shell, **{k: definition[k] for k in keywords[cut + 1:]}})
        self._properties = {field: {"$schema": schema["$schema"], "$defs": schema["$defs"], **subschema}
                            for field, subschema in definition["properties"].items()}
        self._fields: dict[str, Compiled] = {}  # compiled when first needed

    def _field(self, field: str) -> Compiled:
        schema = self._properties[field]
        if field not in self._fields:
            self._fields[field] = Compiled(schema, explained=_not_null(schema))
        return self._fields[field]

    def explained(self, value: Any, pointer: str, path: Sequence[Any] = (), record: Any = None) -> list[Hit]:
        if not isinstance(value, Mapping):
            return super().explained(value, pointer, path, record)
        hits = self._before.hits(value, pointer, path, record)
        for field in self._properties:
            if field in value:
                item, check = value[field], self._field(field)
                if not check.is_valid(item):  # a field's pointer is made only where it is wrong
                    hits += check.explained(item, f"{pointer}/{pointer_token(field)}", (*path, field), record)
        return hits + self._after.hits(value, pointer, path, record)


_ANNOTATIONS = frozenset({"$schema", "$defs", "title", "description", "default", "examples"})
_NULL = {"type": "null"}


def _not_null(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """An optional field's schema (X or null) as its X alone, if it is one: of a value it
    refuses, python-jsonschema says (`_branches`) what X says, but reads both branches first."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or not set(schema) - {"anyOf"} <= _ANNOTATIONS:
        return None
    real = [branch for branch in branches if branch != _NULL]
    if len(real) != 1 or len(branches) < 2:
        return None
    return {key: schema[key] for key in ("$schema", "$defs") if key in schema} | real[0]


def _errors(validator: Draft202012Validator, value: Any, pointer: str, path: Sequence[Any],
            record_at: Callable[[list[Any]], Any]) -> Iterator[Hit]:
    """python-jsonschema's errors in `value` as hits (see `said`)."""
    return said(validator.iter_errors(value), pointer, path, record_at)


def definition(kind: str) -> Mapping[str, Any]:
    """The published schema's definition of a record kind (or of the metadata)."""
    return load_json(DATASET_SCHEMA)["$defs"][kind.title()]  # type: ignore[no-any-return]


@cache
def _required(kind: str) -> frozenset[str]:
    """The fields a record (or the metadata) cannot do without, as the published schema says."""
    return frozenset(definition(kind).get("required", ()))


def sound_form(raw: Any, hits: Iterable[Hit], kind: str) -> Any:
    """The record without its broken optional fields; None if it has no sound form (it is no
    object, or a required field is missing or broken)."""
    if not isinstance(raw, dict):
        return None
    broken: set[str] = set()
    depth = 2 if kind == "metadata" else 4  # "", "metadata", field / "", "towns", "0", field
    for hit in hits:
        parts = (hit.pointer or "").split("/")
        if len(parts) < depth:
            return None  # the record itself: a required field is missing
        broken.add(pointer_path("/" + parts[depth - 1])[0])
    if broken & _required(kind):
        return None
    return {k: v for k, v in raw.items() if k not in broken}


class Structure:
    """The published dataset schema, compiled for each record kind and for the header (the
    document without its record lists), so that records can be checked one at a time."""

    def __init__(self, text_chars: int | None = None) -> None:
        schema = load_json(DATASET_SCHEMA)
        self.text_chars = text_chars
        self.header = Compiled(schema, text_chars)
        self.kinds: dict[str, Compiled] = {kind: _Record(schema, kind.title(), text_chars) for kind in RECORD_KEYS}

    def gate(self, kind: str, quiet: Sequence[Mapping[str, Any]]) -> Callable[[Any], bool]:
        """A compiled check that a record of `kind` is sound and satisfies each of the `quiet`
        schemas (see `Checker.quiet_schema`): one call per record, however many rules."""
        schema = _definition(load_json(DATASET_SCHEMA), kind.title())
        schema["allOf"] = [{"$ref": schema.pop("$ref")}, *quiet]
        return Compiled(schema, self.text_chars).is_valid

    def record(self, kind: str, index: int, raw: Any, refused: bool = False) -> list[Hit]:
        """What is wrong with record `index` of `kind`; `refused`: the compiled check of its
        kind has already refused it (the engine's verdict), and is not run again."""
        key = RECORD_KEYS[kind]
        check = self.kinds[kind].explained if refused else self.kinds[kind].hits
        return check(raw, f"/{key}/{index}", (key, index), raw)


def _definition(schema: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A schema for one definition of the dataset schema, its references resolved as there."""
    return {"$schema": schema["$schema"], "$ref": f"#/$defs/{name}", "$defs": schema["$defs"]}


def _ecma_patterns(node: Any) -> Any:
    """The schema with `(?!\\n)$` read as ECMA 262 reads `$`: the lookahead only makes Python's
    `$` (which also matches before a final newline) behave like it; compiled regular
    expressions match `$` at the end of the text alone, and faster without a lookahead."""
    if isinstance(node, Mapping):
        return {key: (value.replace(_LOOKAHEAD, "$") if key == "pattern" and isinstance(value, str)
                      else value if _is_enum(key, value) else _ecma_patterns(value)) for key, value in node.items()}
    if isinstance(node, list):
        return [_ecma_patterns(item) for item in node]
    return node


_LOOKAHEAD = "(?!\\n)$"


def _is_enum(key: str, value: Any) -> bool:
    """An enum's values are data, not schemas: walking them (thousands of codes in a quiet
    schema) costs time and could change an object among them."""
    return key == "enum" and isinstance(value, list)


def _capped(node: Any, text_chars: int) -> Any:
    """The schema with every text limited to `text_chars` characters."""
    if isinstance(node, Mapping):
        capped = {key: value if _is_enum(key, value) else _capped(value, text_chars) for key, value in node.items()}
        if node.get("type") == "string" or (isinstance(node.get("type"), list) and "string" in node["type"]):
            capped["maxLength"] = min(node.get("maxLength", text_chars), text_chars)
        return capped
    if isinstance(node, list):
        return [_capped(item, text_chars) for item in node]
    return node


def _record_at(path: Sequence[Any], root: Any) -> Any:
    """The record a path leads into, if it leads into one."""
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int) and isinstance(root, Mapping):
        return root[path[0]][path[1]]
    return None
