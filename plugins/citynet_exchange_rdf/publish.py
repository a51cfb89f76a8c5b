"""The standard's linked-data files, built from `mapping` so that they never disagree with it:
the JSON-LD context under which a native JSON document is also JSON-LD, the vocabulary (the
terms we mint, and the code lists as SKOS concept schemes), and the mapping table. They are
registered as publications: `python -m citynet_exchange.standard` writes them to `schema/`."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from citynet_exchange.codelists import all_codelists
from citynet_exchange_rdf.mapping import AGREEMENT, DATASET, GROUPS, KINDS, SOURCE, Term
from citynet_exchange_rdf.vocab import CODES, CX, PREFIXES, WD, concept


def _definition(term: Term) -> Any:
    """The JSON-LD term definition of a field."""
    predicate = _compact(term.predicate)
    form = term.form
    definition: dict[str, Any] = {"@id": predicate}
    if form == "iri":
        definition["@type"] = "@id"
    elif form.startswith("concept:"):  # a code resolves against its list (not as a term: `ended` is both)
        definition |= {"@type": "@id", "@context": {"@base": f"{CODES}{form.split(':', 1)[1]}/"}}
    elif form.startswith("ref:"):  # ids resolve where the records of that kind have theirs
        definition |= {"@type": "@id", "@context": {"@base": f"../{form.split(':', 1)[1]}/"}}
    elif form == "wikidata":
        definition |= {"@type": "@id", "@context": {"@base": str(WD)}}
    elif form == "names":
        definition["@container"] = "@language"
    elif form == "json":
        definition["@type"] = "@json"
    elif form in ("sources", "agreement"):
        definition["@context"] = _scope(SOURCE if form == "sources" else AGREEMENT)
    if term.many:
        definition["@container"] = "@set"
    return definition if len(definition) > 1 else predicate


def _scope(terms: tuple[Term, ...], kind: str | None = None) -> dict[str, Any]:
    """The terms of one kind of object; nested fields (identifiers, location) are `@nest`."""
    scope: dict[str, Any] = {"@base": f"{kind}/"} if kind else {}
    for term in terms:
        if term.path == ("id",):
            scope["id"] = "@id"
            continue
        if len(term.path) > 1 and (term.path[0],) in GROUPS:
            scope[term.path[0]] = "@nest"
        scope[term.path[-1]] = _definition(term)
    return scope


def _compact(iri: URIRef) -> str:
    for name, namespace in PREFIXES.items():
        if str(iri).startswith(str(namespace)) and str(iri) != str(namespace):
            return f"{name}:{str(iri)[len(str(namespace)):]}"
    return str(iri)


def context() -> dict[str, Any]:
    """The JSON-LD context of a native document (`schema/context.jsonld`). Record ids become
    IRIs relative to the document's base, one folder per kind (`town/bremen`), the same IRIs
    the RDF exporter makes from a base."""
    definitions: dict[str, Any] = {"@version": 1.1, **{name: str(ns) for name, ns in PREFIXES.items()}}
    definitions |= _scope(DATASET)
    for kind, (key, _classes, link, terms) in KINDS.items():
        definitions[key] = {"@id": _compact(link), "@container": "@set", "@context": _scope(terms, kind)}
    return {"@context": definitions}


def vocabulary() -> Graph:
    """The terms minted under `cx:` with labels, and each code list as a SKOS concept scheme."""
    graph = Graph()
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace)
    ontology = URIRef(str(CX).rstrip("#"))
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, RDFS.label, Literal("citynet-exchange vocabulary", lang="en")))
    for code_list in all_codelists():
        scheme = URIRef(f"{CODES}{code_list.name}")
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme, SKOS.prefLabel, Literal(code_list.name, lang="en")))
        for code in code_list.codes:
            node = concept(code_list.name, code.code)
            graph.add((node, RDF.type, SKOS.Concept))
            graph.add((node, SKOS.inScheme, scheme))
            graph.add((node, SKOS.notation, Literal(code.code)))
            graph.add((node, SKOS.prefLabel, Literal(code.label_en, lang="en")))
            graph.add((node, SKOS.prefLabel, Literal(code.label_de, lang="de")))
            graph.add((node, SKOS.definition, Literal(code.definition, lang="en")))
    for term, (kind, label, comment) in MINTED.items():
        node = CX[term]
        graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.isDefinedBy, ontology))
        graph.add((node, RDFS.label, Literal(label, lang="en")))
        graph.add((node, RDFS.comment, Literal(comment, lang="en")))
    graph.add((ontology, DCTERMS.description, Literal(
        "Terms of the citynet-exchange standard that no established vocabulary has; everything else "
        "reuses schema.org, W3C ORG and OWL-Time, DCTERMS, PROV-O, SKOS, WGS84 and Wikidata properties.",
        lang="en")))
    return graph


_C, _O, _D = OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty
MINTED: dict[str, tuple[URIRef, str, str]] = {
    "Dataset": (_C, "dataset", "A citynet-exchange dataset: towns, city networks, partnerships and memberships."),
    "Town": (_C, "town", "A municipality, district, city district or region that keeps partnerships."),
    "Network": (_C, "city network", "An association, programme or initiative that towns are members of."),
    "Partnership": (_C, "partnership", "A partnership between two or more towns; a node of its own, so that it "
                    "can have more members, a kind, dates, themes and sources."),
    "Agreement": (_C, "agreement", "The agreement a partnership rests on."),
    "standard": (_D, "standard", "Version of the standard the dataset follows."),
    "town": (_O, "town", "A town the dataset speaks of."),
    "network": (_O, "network", "A city network the dataset speaks of."),
    "partnership": (_O, "partnership", "A partnership the dataset speaks of."),
    "membership": (_O, "membership", "A membership the dataset speaks of."),
    "member": (_O, "member", "A member town of a partnership."),
    "partnerOf": (_O, "partner of", "Derived: the towns are members of one partnership (both directions)."),
    "kind": (_O, "kind", "Kind of partnership (code list partnership-kind)."),
    "status": (_O, "status", "Whether the partnership is lived (code list partnership-status)."),
    "theme": (_O, "theme", "What the partners or the network work on (code list theme)."),
    "townType": (_O, "town type", "What kind of local government the town is (code list town-type)."),
    "networkType": (_O, "network type", "What kind of network it is (code list network-type)."),
    "scope": (_O, "scope", "Where a network's members come from (code list network-scope)."),
    "agreement": (_O, "agreement", "The agreement a partnership rests on."),
    "councilResolution": (_D, "council resolution", "Whether a council resolution backs the agreement."),
    "document": (_D, "document", "The agreement's text or where to find it."),
    "acronym": (_D, "acronym", "Short name of a network."),
    "accessed": (_D, "accessed", "When a source was consulted (a partial date)."),
    "extensions": (_D, "extensions", "Fields a publisher or plugin adds, as JSON (rdf:JSON)."),
    "names": (_D, "names", "Names by language that could not be written as tagged literals, as JSON."),
    "identifiers": (_D, "identifiers", "Identifiers that are not an object, as JSON (invalid data only)."),
    "location": (_D, "location", "A location that is not an object, as JSON (invalid data only)."),
    "metadata": (_D, "metadata", "Metadata that is not an object, as JSON (invalid data only)."),
}


_FORMS = {"literal": "literal", "date": "xsd:gYear, xsd:gYearMonth or xsd:date", "iri": "IRI",
          "wikidata": "Wikidata entity IRI", "names": "literals tagged with their language", "json": "rdf:JSON",
          "sources": "prov:Entity node", "agreement": "cx:Agreement node"}


def _form_words(form: str) -> str:
    if form.startswith("concept:"):
        return f"SKOS concept of `{form.split(':', 1)[1]}`"
    if form.startswith("ref:"):
        return f"IRI of the {form.split(':', 1)[1]}"
    return _FORMS[form]


def mapping_table() -> str:
    """The Markdown of `schema/linked-data.md`: every field and the RDF term that holds it."""
    blocks = [
        "# The standard as linked data",
        "Generated from the rdf plugin's mapping (`plugins/citynet_exchange_rdf/mapping.py`) by "
        "`python -m citynet_exchange.standard`; do not edit it by hand.",
        "Record IRIs are `<base><kind>/<id>` (`<base><kind>:<id>` under a URN base; the default base is "
        "`urn:citynet:`); every record also carries its id as `dcterms:identifier`. The dataset links to "
        "its records with `cx:town`, `cx:network`, `cx:partnership` and `cx:membership`. A membership's "
        "`since` and `until` are the beginning and end of its `org:memberDuring` interval (OWL-Time "
        "instants, `time:inXSDgYear` ...). A value that does not fit its term (invalid data) is written "
        "as `rdf:JSON` on the same predicate, a field the standard lacks under "
        "`https://citynet-exchange.org/vocab/unknown#`, so that validation in RDF sees what it would see "
        "in JSON.",
        "Prefixes: " + ", ".join(f"`{name}:` {ns}" for name, ns in PREFIXES.items()),
    ]
    for title, classes, terms in [("Dataset", "cx:Dataset", DATASET)] + [
        (kind, ", ".join(_compact(c) for c in cls), terms) for kind, (_k, cls, _l, terms) in KINDS.items()
    ] + [("Source", "prov:Entity", SOURCE), ("Agreement", "cx:Agreement", AGREEMENT)]:
        rows = [f"| `{'.'.join(t.path)}` | `{_compact(t.predicate)}` | {_form_words(t.form)}"
                f"{' (several)' if t.many else ''} |" for t in terms]
        blocks.append(f"## {title.capitalize()}\n\nClass: {classes}.\n\n| field | predicate | object |\n"
                      "| --- | --- | --- |\n" + "\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def context_text() -> str:
    return json.dumps(context(), indent=2, ensure_ascii=False) + "\n"


def vocabulary_text() -> str:
    return vocabulary().serialize(format="turtle")


def shapes_text() -> str:
    from citynet_exchange_rdf.shapes import shapes_turtle

    return shapes_turtle()
