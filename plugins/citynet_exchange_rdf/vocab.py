"""The RDF vocabulary of the standard: namespaces, the terms we mint, and record IRIs.

Established vocabularies are reused wherever one fits: schema.org for places and names,
W3C ORG and OWL-Time for networks and memberships, DCTERMS and PROV-O for sources,
SKOS for the code lists, WGS84 for coordinates, and Wikidata's own properties for the
register identifiers (so that a Wikidata graph and ours say the same thing the same
way). Only what none of them has is minted under `CX`.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

CX = Namespace("https://citynet-exchange.org/vocab#")
CODES = "https://citynet-exchange.org/codes/"  # + <code list>/<code>: SKOS concepts
UNKNOWN = Namespace("https://citynet-exchange.org/vocab/unknown#")  # fields the standard lacks
SCHEMA = Namespace("http://schema.org/")  # the one form written; https://schema.org/ is read too
SCHEMA_HTTPS = "https://schema.org/"
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
PROV_WAS_DERIVED_FROM = PROV.wasDerivedFrom
RDF_JSON = RDF.JSON

PREFIXES = {
    "cx": CX, "schema": SCHEMA, "org": ORG, "time": TIME, "dcterms": DCTERMS, "prov": PROV, "skos": SKOS,
    "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "geo": WGS, "wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "pr": PR,
}

# Wikidata properties: the identifiers of towns, and the facts a twinning graph states.
IDENTIFIER_PROPERTIES = {"geonames": "P1566", "ags": "P439", "ars": "P1388", "lau": "P782", "nuts": "P605"}
TWINNED = "P190"
START, END = "P580", "P582"
COUNTRY, ISO_CODE, COORDINATES, POPULATION, WEBSITE = "P17", "P297", "P625", "P1082", "P856"
REFERENCE_URL = "P854"

DEFAULT_BASE = "urn:citynet:"
KIND_PATHS = {"town": "town", "network": "network", "partnership": "partnership", "membership": "membership"}


@lru_cache(maxsize=65536)  # a town's IRI is made again for each of its partnerships
def record_iri(base: str, kind: str, record_id: str) -> URIRef:
    """The IRI of a record: `<base><kind>/<id>` (`<base><kind>:<id>` under a URN base), the
    id percent-encoded where an IRI needs it. Deterministic, so the same data gives the same
    graph."""
    separator = ":" if base.startswith("urn:") and base.endswith(":") else "/"
    return URIRef(f"{base}{KIND_PATHS[kind]}{separator}{quote(record_id, safe='')}")


def record_id_of(iri: str, kind: str) -> str | None:
    """The id a record IRI of `kind` ends in, whatever its base; None if it is not one."""
    for separator in ("/", ":"):
        marker = f"{KIND_PATHS[kind]}{separator}"
        head, found, tail = iri.rpartition(marker)
        if found and tail and "/" not in tail and (head.endswith(("/", ":", "#")) or not head):
            return unquote(tail)
    return None


def concept(code_list: str, code: str) -> URIRef:
    """The SKOS concept of a code: `https://citynet-exchange.org/codes/<list>/<code>`."""
    return URIRef(f"{CODES}{code_list}/{quote(code, safe='')}")


def code_of(iri: str, code_list: str) -> str | None:
    prefix = f"{CODES}{code_list}/"
    return unquote(iri[len(prefix):]) if iri.startswith(prefix) else None


def normal_schema(iri: str) -> str:
    """schema.org has two forms; the importer reads both as the one written (http)."""
    return str(SCHEMA) + iri[len(SCHEMA_HTTPS):] if iri.startswith(SCHEMA_HTTPS) else iri
