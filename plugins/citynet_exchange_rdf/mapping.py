"""The mapping between the fields of the standard and RDF terms, read by writer and reader alike.

Each field of a record has one predicate and a form that says how its value becomes an
RDF term and back: a literal typed by its JSON type, a partial date (xsd:gYear,
xsd:gYearMonth, xsd:date), a web address (an IRI), a code (a SKOS concept), a reference
to another record (its IRI), a Wikidata id (an entity IRI), names by language (tagged
literals), JSON (rdf:JSON), or a node of its own (sources, the agreement, a membership's
time interval). A value that does not fit its form (invalid data) is written as an rdf:JSON
literal on the same predicate and read back as it was, so that even an invalid document
survives a round trip and is judged the same in RDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, TIME

from citynet_exchange_rdf.vocab import CX, SCHEMA, WDT, WGS, IDENTIFIER_PROPERTIES, POPULATION


@dataclass(frozen=True)
class Term:
    """A field (its path in the record), its predicate, its form, and whether it is a list."""

    path: tuple[str, ...]
    predicate: URIRef
    form: str  # literal, date, iri, concept:<list>, ref:<kind>, wikidata, names, json, sources, agreement
    many: bool = False
    fallback: URIRef | None = None  # where a value that does not fit goes, if not on `predicate`


def _t(path: str, predicate: URIRef, form: str = "literal", many: bool = False,
       fallback: URIRef | None = None) -> Term:
    return Term(tuple(path.split(".")), predicate, form, many, fallback)


RECORD_COMMON = (
    _t("id", DCTERMS.identifier),
    _t("description", DCTERMS.description),
    _t("sources", PROV.wasDerivedFrom, "sources", many=True),
    _t("extensions", CX.extensions, "json"),
)

TOWN = (
    _t("name", SCHEMA.name),
    _t("names", SCHEMA.name, "names", fallback=CX.names),
    _t("country", SCHEMA.addressCountry),
    _t("subdivision", SCHEMA.addressRegion),
    _t("type", CX.townType, "concept:town-type"),
    _t("identifiers.wikidata", SCHEMA.sameAs, "wikidata"),
    *(_t(f"identifiers.{name}", WDT[number]) for name, number in IDENTIFIER_PROPERTIES.items()),
    _t("location.lat", WGS.lat),
    _t("location.lon", WGS.long),
    _t("population", WDT[POPULATION]),
    _t("website", SCHEMA.url, "iri"),
    *RECORD_COMMON,
)

NETWORK = (
    _t("name", SCHEMA.name),
    _t("names", SCHEMA.name, "names", fallback=CX.names),
    _t("acronym", CX.acronym),
    _t("type", CX.networkType, "concept:network-type"),
    _t("scope", CX.scope, "concept:network-scope"),
    _t("themes", CX.theme, "concept:theme", many=True),
    _t("website", SCHEMA.url, "iri"),
    _t("identifiers.wikidata", SCHEMA.sameAs, "wikidata"),
    *RECORD_COMMON,
)

PARTNERSHIP = (
    _t("kind", CX.kind, "concept:partnership-kind"),
    _t("members", CX.member, "ref:town", many=True),
    _t("established", SCHEMA.startDate, "date"),
    _t("ended", SCHEMA.endDate, "date"),
    _t("status", CX.status, "concept:partnership-status"),
    _t("themes", CX.theme, "concept:theme", many=True),
    _t("agreement", CX.agreement, "agreement"),
    *RECORD_COMMON,
)

MEMBERSHIP = (
    _t("town", ORG.member, "ref:town"),
    _t("network", ORG.organization, "ref:network"),
    _t("role", ORG.role, "concept:membership-role"),
    _t("since", TIME.hasBeginning, "date"),  # of the org:memberDuring interval
    _t("until", TIME.hasEnd, "date"),
    *RECORD_COMMON,
)

AGREEMENT = (
    _t("date", DCTERMS.date, "date"),
    _t("council_resolution", CX.councilResolution),
    _t("document", CX.document),
)

SOURCE = (
    _t("title", DCTERMS.title),
    _t("url", SCHEMA.url, "iri"),
    _t("publisher", DCTERMS.publisher),
    _t("accessed", CX.accessed, "date"),
    _t("note", SKOS.note),
)

DATASET = (
    _t("standard", CX.standard),
    _t("metadata.title", DCTERMS.title),
    _t("metadata.publisher", DCTERMS.publisher),
    _t("metadata.license", DCTERMS.license),
    _t("metadata.created", DCTERMS.created, "date"),
    _t("metadata.description", DCTERMS.description),
    _t("metadata.sources", PROV.wasDerivedFrom, "sources", many=True),
    _t("extensions", CX.extensions, "json"),
)

# Record kinds: the dataset key, the class (first: the one the reader looks for), the
# dataset's link to its records, and the terms.
KINDS: dict[str, tuple[str, tuple[URIRef, ...], URIRef, tuple[Term, ...]]] = {
    "town": ("towns", (CX.Town, SCHEMA.AdministrativeArea), CX.town, TOWN),
    "network": ("networks", (CX.Network, ORG.Organization), CX.network, NETWORK),
    "partnership": ("partnerships", (CX.Partnership,), CX.partnership, PARTNERSHIP),
    "membership": ("memberships", (ORG.Membership,), CX.membership, MEMBERSHIP),
}
# Nested objects whose fields sit on the record itself: a value that is not an object is
# written as JSON on this predicate.
GROUPS = {("identifiers",): CX.identifiers, ("location",): CX.location, ("metadata",): CX.metadata}
DERIVED = (CX.partnerOf, WDT.P190)  # links written for simple queries, not read back
