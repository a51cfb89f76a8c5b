"""The standard's SHACL shapes (`schema/shapes.ttl`), built from the mapping, the models and
the code lists, so that the shapes, the writer and the JSON Schema never tell three stories.

A node shape per kind of node the writer makes: the dataset, each record kind, and (through
`sh:node`) sources, the agreement, a membership's interval and its instants. Each is closed,
so a field the standard lacks (written under `vocab.UNKNOWN`) is a violation. Property shapes
say what the models' JSON Schema says, in RDF terms:

- `sh:or` lists the forms a value of the right JSON type takes (a number as xsd:double,
  xsd:integer or xsd:decimal; a whole number also as an xsd:double such as 5.0; a web
  address as an IRI, or as text where no IRI can hold it); a value that fits none has the
  wrong type. A code is one of its list's concepts (`sh:in`), and nothing else.
- Partial dates are checked by `sh:pattern` on their lexical form (typed xsd:gYear,
  xsd:gYearMonth, xsd:date, or text that is no calendar date): neither rdflib nor pySHACL's
  `sh:datatype` checks an xsd:gYear. Identifiers are text: an xsd:integer would lose the
  leading zero of an AGS such as 09162000.
- A reference is the IRI of a record, which ends in the record's id (`vocab.record_iri`).
- An optional list given empty is `"[]"^^rdf:JSON`, as the writer writes it.
- The untagged `schema:name` is the required name; the tagged ones are `names`. The form of
  their language tags, which SHACL Core cannot see, is one SPARQL constraint on the dataset.
- A group whose fields sit on the record (a town's `location`, the dataset's `metadata`)
  requires its required fields only where the group is given: an `sh:or` of "no field of
  the group" and "the required ones". A group, or names, that could not be written as such
  is kept as JSON on a predicate of its own, where any value is a violation.

`specs()` says for each shape what it checks in the standard's terms (the field, the JSON
type, the code list, and the finding codes that differ from its constraint's usual one);
`shacl` turns results into findings with it. Deterministic: the same standard gives the same
file, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import ORG, RDF, SH, TIME, XSD
from rdflib.term import Node

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.codelists import all_codelists, codelist
from citynet_exchange.model import KINDS as MODELS, LANGUAGE_TAG_PATTERN, Agreement, Source
from citynet_exchange.standard import dataset_schema
from citynet_exchange.structure_words import FORMS, TYPE_NAMES
from citynet_exchange_rdf.mapping import AGREEMENT, DATASET, DERIVED, GROUPS, KINDS, SOURCE, Term
from citynet_exchange_rdf.vocab import CX, PREFIXES, RDF_JSON, concept

SHAPE = Namespace("https://citynet-exchange.org/shapes#")
EMPTY_LIST = Literal("[]", datatype=RDF_JSON)  # how the writer says that a list is given, and empty
_INTEGRAL_DOUBLE = r"^-?([0-9]+\.0|[0-9](\.[0-9]+)?e\+[0-9]+)$"  # 5.0, 1e+16: whole numbers as JSON has them
_JSON_OBJECT = r"^\{"
_REFERENCE = "(^|[/:#]){id}"  # a record's IRI ends in its id (`vocab.record_iri`); a text is the id itself
_DATE_TYPES = (XSD.gYear, XSD.gYearMonth, XSD.date)  # unchecked by pySHACL: the date's pattern checks the form
_INSTANTS = (TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate)
_INTERVAL = {"since": TIME.hasBeginning, "until": TIME.hasEnd}
_TAG_FORM = "use a BCP 47 language tag such as 'pl' or 'de-CH'"
_TAG_QUERY = """SELECT $this ?value WHERE {{
    $this {links} ?record .
    ?record <{name}> ?value .
    FILTER (lang(?value) != "" && !regex(lang(?value), "{pattern}"))
}}"""

_HEADER = """# SHACL shapes of the citynet-exchange standard {version}: the rules of its JSON Schema, for the
# standard's RDF. Generated from the models, the RDF mapping and the code lists: do not edit.

"""

Alternative = dict[URIRef, Any]  # the constraints a value may fit, one form of its type


@dataclass(frozen=True)
class Spec:
    """What a shape checks in the standard's terms, for the findings of its results."""

    field: tuple[str, ...]  # the field's path in its object: ("location", "lat"); () for a whole object
    expected: str = ""  # the JSON type of a value, in words ("a whole number")
    code_list: str | None = None
    form: str | None = None  # the form a pattern asks for, in words
    codes: Mapping[URIRef, str] = field(default_factory=dict)  # component -> code, where not the usual one
    required: tuple[tuple[str, URIRef], ...] = ()  # a group's required fields and their predicates
    via: URIRef | None = None  # results name the dataset: the place is the subject with the value on this
    fields: tuple[tuple[str, ...], ...] = ()  # of a node shape: the fields its object has, for suggestions
    schema: dict[str, Any] | None = field(default=None, compare=False)  # judges a value kept as JSON
    refers_to: str | None = None  # the kind of record a reference names
    many: bool = False  # a list: `EMPTY_LIST` is how it is given empty


@dataclass
class _Field:
    """One property shape to be: its path, label and constraints."""

    name: str  # the shape's local name
    path: Node
    label: str
    description: str
    constraints: Alternative
    spec: Spec


class _Builder:
    """Writes shapes into a graph, with blank nodes numbered in the order they are made."""

    def __init__(self) -> None:
        self.graph = Graph(bind_namespaces="none")
        lists = {c.name: Namespace(concept(c.name, "")) for c in all_codelists()}
        for prefix, namespace in {**PREFIXES, **lists, "sh": SH, "shape": SHAPE, "rdf": RDF}.items():
            self.graph.bind(prefix, namespace)
        self.specs: dict[URIRef, Spec] = {}
        self._blanks = 0

    def blank(self) -> BNode:
        self._blanks += 1
        return BNode(f"b{self._blanks}")

    def add(self, subject: Node, constraints: Alternative) -> Node:
        for predicate, value in constraints.items():
            for item in value if isinstance(value, tuple) else (value,):
                self.graph.add((subject, predicate, self.term(item)))
        return subject

    def term(self, value: Any) -> Node:
        """A constraint's value: a node as it is, a list as an RDF list, a dict as a shape."""
        if isinstance(value, list):
            head = self.blank()
            Collection(self.graph, head, [self.term(v) for v in value])
            return head
        if isinstance(value, dict):
            return self.add(self.blank(), value)
        return value if isinstance(value, Node) else Literal(value)

    def node_shape(self, name: str, label: str, description: str, fields: list[_Field],
                   extra: Alternative | None = None, known: tuple[tuple[str, ...], ...] = ()) -> None:
        shape = SHAPE[name]
        self.add(shape, {RDF.type: SH.NodeShape, SH.name: label, SH.description: description, SH.closed: True,
                         SH.ignoredProperties: [RDF.type, *DERIVED], **(extra or {})})
        for item in fields:
            prop = SHAPE[item.name]
            if prop in self.specs:
                raise ValueError(f"two property shapes are named {item.name}")
            self.graph.add((shape, SH.property, prop))
            self.add(prop, {SH.path: item.path, SH.name: item.label, SH.description: item.description,
                            **item.constraints})
            self.specs[prop] = item.spec
        self.specs[shape] = Spec((), fields=known)

    def shape(self, name: str, target: URIRef, constraints: Alternative, spec: Spec) -> None:
        """A node shape that checks one thing of its targets, besides their own node shape."""
        self.add(SHAPE[name], {SH.targetClass: target, **constraints})
        self.specs[SHAPE[name]] = spec


def _definitions() -> dict[str, dict[str, Any]]:
    schema = dataset_schema()
    return {**schema["$defs"], "Dataset": schema}


def _unwrap(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema (`X or null`) as X, keeping the field's description."""
    (one,) = [option for option in prop.get("anyOf", [prop]) if option != {"type": "null"}]
    return {**one, "description": prop.get("description", one.get("description", ""))}


def _resolve(defs: dict[str, dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
    return defs[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def _lookup(defs: dict[str, dict[str, Any]], model: str, path: tuple[str, ...]) -> tuple[dict[str, Any], bool]:
    """A field's schema and whether the record requires it (a group's required field is not)."""
    owner, required = defs[model], True
    for key in path[:-1]:
        required &= key in owner.get("required", [])
        owner = _resolve(defs, _unwrap(owner["properties"][key]))
    return _unwrap(owner["properties"][path[-1]]), required and path[-1] in owner.get("required", [])


def _type_of(schema: dict[str, Any]) -> str:
    return "object" if "$ref" in schema else schema["type"]


def _alternatives(form: str, schema: dict[str, Any]) -> list[Alternative]:
    """The forms a value of the field's JSON type takes in RDF; none where `sh:in` lists the
    values (a code, the standard's version): a value of another type is not among them."""
    json_type = _type_of(schema)
    if form.startswith("concept:") or "const" in schema:
        return []
    if form == "date":
        return [{SH.datatype: t} for t in (*_DATE_TYPES, XSD.string)]
    if form in ("iri", "wikidata") or form.startswith("ref:"):
        return [{SH.nodeKind: SH.IRI}, {SH.datatype: XSD.string}]
    if form in ("sources", "agreement"):
        return [{SH.nodeKind: SH.BlankNodeOrIRI}]
    if json_type == "object":
        return [{SH.datatype: RDF_JSON, SH.pattern: _JSON_OBJECT}]
    if json_type == "integer":
        return [{SH.datatype: XSD.integer}, {SH.datatype: XSD.double, SH.pattern: _INTEGRAL_DOUBLE}]
    if json_type == "number":
        return [{SH.datatype: XSD.double}, {SH.datatype: XSD.integer}, {SH.datatype: XSD.decimal}]
    return [{SH.datatype: {"string": XSD.string, "boolean": XSD.boolean}[json_type]}]


def _type_constraint(alternatives: list[Alternative]) -> Alternative:
    """One constraint where one says it, else `sh:or` of the alternatives."""
    if len(alternatives) == 1 and len(alternatives[0]) == 1:
        return alternatives[0]
    return {SH["or"]: [dict(a) for a in alternatives]}


def _field(shape: str, term: Term, schema: dict[str, Any], required: bool, path: Node | None = None) -> _Field:
    """The property shape of a field: its type, count, form, range and code list."""
    many = schema.get("type") == "array"
    item = _unwrap(schema["items"]) if many else schema
    code_list = term.form.split(":", 1)[1] if term.form.startswith("concept:") else None
    alternatives = _alternatives(term.form, item)
    if many and alternatives and not required:
        alternatives.append({SH["in"]: [EMPTY_LIST]})
    constraints: Alternative = dict(_type_constraint(alternatives)) if alternatives else {}
    codes: dict[URIRef, str] = {}
    if required:
        constraints[SH.minCount] = schema.get("minItems", 1)
    if not many:
        constraints[SH.maxCount] = 1
    pattern = item.get("pattern")
    refers_to = term.form.split(":", 1)[1] if term.form.startswith("ref:") else None
    if pattern:
        constraints[SH.pattern] = _REFERENCE.format(id=pattern[1:]) if refers_to else pattern
    if "minLength" in item:
        constraints[SH.minLength] = item["minLength"]
    if "minimum" in item:
        constraints[SH.minInclusive] = item["minimum"]
    if code_list:
        constraints[SH["in"]] = [concept(code_list, c) for c in codelist(code_list).values] + \
            ([EMPTY_LIST] if many else [])
    if "const" in item:
        constraints[SH["in"]] = [Literal(item["const"])]
        codes[SH.InConstraintComponent] = "invalid-value"
    if term.form in ("sources", "agreement"):
        constraints[SH.node] = SHAPE[Source.__name__ if term.form == "sources" else Agreement.__name__]
    return _Field(f"{shape}-{'-'.join(term.path)}", path or term.predicate, ".".join(term.path),
                  schema["description"], constraints,
                  Spec(term.path, TYPE_NAMES[_type_of(item)], code_list, FORMS.get(pattern or ""), codes,
                       refers_to=refers_to, many=many))


def _names(shape: str, term: Term, schema: dict[str, Any], defs: dict[str, dict[str, Any]]) -> list[_Field]:
    """`names` are the language-tagged `schema:name`s; names that are not an object of texts
    by language tag are kept as JSON on the fallback, which is never valid."""
    return [
        _Field(f"{shape}-names", term.predicate, "names", f"{schema['description']} One name a language; the "
               "dataset's shape checks the tags' form.", {SH.uniqueLang: True}, Spec(("names",), "text")),
        _fallback(shape, "names", term.fallback, defs),  # type: ignore[arg-type]
    ]


def _language_tags() -> tuple[Alternative, Spec]:
    """The form of the names' language tags, which SHACL Core cannot see: one SPARQL query
    over the dataset's records, as a query per record would be parsed again for each."""
    links = [link for _key, _classes, link, terms in KINDS.values() if any(t.form == "names" for t in terms)]
    (name,) = {t.predicate for *_x, terms in KINDS.values() for t in terms if t.form == "names"}
    query = _TAG_QUERY.format(links="|".join(f"<{link}>" for link in links), name=name,
                              pattern=LANGUAGE_TAG_PATTERN.replace("\\", "\\\\"))
    return {RDF.type: SH.NodeShape, SH.name: "names",
            SH.description: "The language tags of the records' names are BCP 47 tags such as pl or de-CH.",
            SH.sparql: {SH.select: query, SH.message: "{?value} has a language tag that is not of BCP 47 form"}}, \
        Spec(("names",), form=_TAG_FORM, codes={SH.SPARQLConstraintComponent: "invalid-format"}, via=name)


def _name(shape: str, term: Term, schema: dict[str, Any], required: bool) -> _Field:
    """The name shares `schema:name` with the tagged `names`: it is the one untagged value."""
    constraints: Alternative = {
        SH["or"]: [{SH.datatype: XSD.string}, {SH.datatype: RDF.langString}],
        SH.minLength: schema["minLength"],
        SH.qualifiedValueShape: {SH["not"]: {SH.datatype: RDF.langString}},
        SH.qualifiedMaxCount: 1,
        **({SH.qualifiedMinCount: 1} if required else {}),
    }
    return _Field(f"{shape}-name", term.predicate, "name", schema["description"], constraints, Spec(("name",), "text"))


def _fallback(shape: str, name: str, predicate: URIRef, defs: dict[str, dict[str, Any]]) -> _Field:
    """Where the writer keeps, as JSON, an object field's value that RDF cannot say as it
    is: never valid. Its findings are the JSON Schema's on the value kept there."""
    schema = defs[shape]["properties"][name]
    judge = {"$defs": {k: v for k, v in defs.items() if k != "Dataset"}, "type": "object", "properties": {name: schema}}
    return _Field(f"{shape}-{name}-json", predicate, name, f"{schema['description']} Given, but not as an object "
                  "of the standard: the value is kept here, as JSON.", {SH.maxCount: 0}, Spec((name,), schema=judge))


def _since_until(term: Term, schema: dict[str, Any]) -> list[_Field]:
    """A membership's since and until are the ends of its `org:memberDuring` interval: a
    `time:Instant` with the date, or (a text that is no calendar date) the text itself."""
    date = _field("Membership", term, schema, False, path=[ORG.memberDuring, term.predicate])
    date.constraints[SH["or"]] = [{SH["class"]: TIME.Instant}, {SH.datatype: XSD.string}]
    date.constraints[SH.node] = SHAPE.Instant
    pattern = date.constraints.pop(SH.pattern)
    form = _Field(f"{date.name}-form", date.path, date.label, f"{schema['description']} The form of a date "
                  "that is given as text.", {SH["or"]: [{SH["class"]: TIME.Instant}, {SH.pattern: pattern}]},
                  Spec(term.path, "text", form=date.spec.form, codes={SH.OrConstraintComponent: "invalid-format"}))
    instant = _field("Membership", term, schema, False,
                     path=[ORG.memberDuring, term.predicate, {SH.alternativePath: list(_INSTANTS)}])
    instant.name += "-instant"
    instant.description += " The date of the instant."
    instant.constraints[SH["or"]] = [{SH.datatype: t} for t in _DATE_TYPES]  # typed by its precision, not text
    return [date, form, instant]


def _group_fields(shape: str, group: str, terms: tuple[Term, ...],
                  defs: dict[str, dict[str, Any]]) -> tuple[Alternative, Spec] | None:
    """A group's required fields, required only where some field of the group is given."""
    members = [t for t in terms if t.path[0] == group and len(t.path) > 1]
    if not members or group in defs[shape].get("required", []):
        return None
    names = _resolve(defs, _unwrap(defs[shape]["properties"][group])).get("required", [])
    required = tuple((t.path[1], t.predicate) for t in members if t.path[1] in names)
    if not required:
        return None
    given = [t.predicate for t in members]
    absent = {SH.property: {SH.path: {SH.alternativePath: given} if len(given) > 1 else given[0], SH.maxCount: 0}}
    complete = {SH.property: tuple({SH.path: predicate, SH.minCount: 1} for _name, predicate in required)}
    description = (f"{defs[shape]['properties'][group]['description']} Where any of its fields is given, the "
                   "required ones must be.")
    return {RDF.type: SH.NodeShape, SH.name: group, SH.description: description, SH["or"]: [absent, complete]}, \
        Spec((group,), codes={SH.OrConstraintComponent: "missing-field"}, required=required)


def _fields(shape: str, terms: tuple[Term, ...], defs: dict[str, dict[str, Any]]) -> Iterator[_Field]:
    for term in terms:
        schema, required = _lookup(defs, shape, term.path)
        if term.form == "names":
            yield from _names(shape, term, schema, defs)
        elif term.path == ("name",):
            yield _name(shape, term, schema, required)
        elif shape == "Membership" and term.path[0] in _INTERVAL:
            yield from _since_until(term, schema)
        else:
            yield _field(shape, term, schema, required)
    if shape == "Membership":
        yield _Field("Membership-interval", ORG.memberDuring, "since, until", "The time the membership lasts, "
                     "from since to until.", {SH.nodeKind: SH.BlankNodeOrIRI, SH.maxCount: 1, SH.node: SHAPE.Interval},
                     Spec(("since, until",), "an object"))
    for (group,), predicate in GROUPS.items():
        if any(t.path[0] == group for t in terms):
            yield _fallback(shape, group, predicate, defs)


def _links(defs: dict[str, dict[str, Any]]) -> Iterator[_Field]:
    """The dataset's links to its records."""
    for key, classes, link, _terms in KINDS.values():
        yield _Field(f"Dataset-{key}", link, key, defs["Dataset"]["properties"][key]["description"],
                     {SH.nodeKind: SH.BlankNodeOrIRI, SH["class"]: classes[0]}, Spec((key,), "an object"))


def _build() -> tuple[Graph, dict[URIRef, Spec]]:
    defs = _definitions()
    build = _Builder()
    targets: list[tuple[str, str, URIRef | None, tuple[Term, ...]]] = [
        ("Dataset", "dataset", CX.Dataset, DATASET),
        *((MODELS[kind][1].__name__, kind, classes[0], terms) for kind, (_k, classes, _l, terms) in KINDS.items()),
        (Source.__name__, "source", None, SOURCE),
        (Agreement.__name__, "agreement", None, AGREEMENT),
    ]
    for shape, label, target, terms in targets:
        fields = list(_fields(shape, terms, defs)) + (list(_links(defs)) if shape == "Dataset" else [])
        links = tuple((key,) for key, *_x in KINDS.values()) if shape == "Dataset" else ()
        known = tuple(t.path for t in terms) + links
        build.node_shape(shape, label, defs[shape]["description"], fields,
                         {SH.targetClass: target} if target is not None else None, known)
        for group, in GROUPS:
            found = _group_fields(shape, group, terms, defs)
            if found is not None:
                build.shape(f"{shape}-{group}-required", target, *found)  # type: ignore[arg-type]
    build.shape("Dataset-names", CX.Dataset, *_language_tags())
    _time_shapes(build)
    return build.graph, build.specs


def _time_shapes(build: _Builder) -> None:
    """The interval a membership lasts and its ends: nodes of OWL-Time with nothing else on them."""
    build.node_shape("Interval", "interval", "The time a membership lasts: an OWL-Time interval from since to until.",
                     [_Field(f"Interval-{name}", p, name, f"The membership's {name}.", {}, Spec((name,)))
                      for name, p in _INTERVAL.items()])
    build.node_shape("Instant", "instant", "An end of a membership's interval: a date at its precision.",
                     [_Field(f"Instant-{p.fragment}", p, p.fragment, f"The date as {p.fragment[5:]}.", {},
                             Spec(("date",))) for p in _INSTANTS])


@cache
def _built() -> tuple[Graph, dict[URIRef, Spec]]:
    return _build()


def shapes_graph() -> Graph:
    """The standard's shapes; built once. Do not change the graph: it is shared."""
    return _built()[0]


def specs() -> Mapping[URIRef, Spec]:
    """What each shape (by IRI) checks, for turning its results into findings."""
    return _built()[1]


def shapes_turtle() -> str:
    """The shapes as Turtle, the same text for the same standard (`schema/shapes.ttl`)."""
    return _HEADER.format(version=STANDARD_VERSION) + shapes_graph().serialize(format="turtle")
