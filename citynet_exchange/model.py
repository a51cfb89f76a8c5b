"""The standard 1.0 as pydantic models: the Python API of a dataset document.

The published JSON Schema (`schema/citynet-exchange-1.0.schema.json`) is generated from
these models (`python -m citynet_exchange.standard`), and a test runs every fixture
through both, so the two never drift. Value forms that have their own rule (identifier
forms, country codes known to ISO 3166, coordinate ranges, calendar dates) are checked by
rules, not here: the schema fixes structure, field names and codes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from citynet_exchange.codelists import literal_of
from citynet_exchange.dates import PATTERN as DATE_PATTERN
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.patterns import (
    COUNTRY_PATTERN, EXTENSION_NAME_PATTERN, ID_PATTERN, LANGUAGE_TAG_PATTERN, SUBDIVISION_PATTERN, URL_PATTERN,
)


RecordId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="Dataset-local identifier: letters, digits and `_ . ~ -`, "
        "starting with a letter or digit; unique among records of one kind.",
        examples=["bremen", "de-04011000"],
    ),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=DATE_PATTERN,
        description="A date known to the year, month or day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
        examples=["1976", "1976-05", "1976-05-14"],
    ),
]
Url = Annotated[str, Field(pattern=URL_PATTERN, description="An http(s) URL.", examples=["https://www.bremen.de"])]
Text = Annotated[str, Field(min_length=1)]


def _integral(value: Any) -> Any:
    """5.0 is a whole number to JSON Schema, so the models take it as one too."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Count = Annotated[int, Field(ge=0), BeforeValidator(_integral)]
LanguageTag = Annotated[str, Field(pattern=LANGUAGE_TAG_PATTERN)]
Theme = Annotated[
    literal_of("theme"),
    Field(description="A theme code from the `theme` code list (including `sdg-1` … `sdg-17`)."),
]
Extensions = dict[Annotated[str, Field(pattern=EXTENSION_NAME_PATTERN)], Any]
EXTENSIONS_DESCRIPTION = (
    "Fields a publisher or plugin adds, keyed by the extension's name; kept untouched by every "
    "conversion and validated by the plugin that registered the name."
)
SOURCES_DESCRIPTION = "Sources of the statements."


class Closed(BaseModel):
    """Base of every object of the standard: unknown fields are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")


class Source(Closed):
    """Where a statement comes from: a document, web page, database or survey."""

    title: Text | None = Field(None, description="Title of the source.", examples=["Partnerschaftsdatenbank des RGRE"])
    url: Url | None = Field(None, description="Web address of the source.")
    publisher: Text | None = Field(None, description="Who published the source.")
    accessed: PartialDate | None = Field(None, description="When the source was consulted.")
    note: Text | None = Field(None, description="Anything else a reader should know about the source.")


class Metadata(Closed):
    """Who publishes the dataset, under which licence, and from what."""

    title: Text | None = Field(None, description="Title of the dataset.", examples=["Städtepartnerschaften in NRW"])
    publisher: Text = Field(description="Who publishes the dataset.", examples=["Deutscher Städtetag"])
    license: Text | None = Field(
        None,
        description="Licence of the dataset: an SPDX identifier or a URL.",
        examples=["CC-BY-4.0", "CC0-1.0"],
    )
    created: PartialDate | None = Field(None, description="When this version of the dataset was made.")
    description: Text | None = Field(None, description="What the dataset holds and how it was made.")
    sources: list[Source] | None = Field(None, description=SOURCES_DESCRIPTION)


class TownIdentifiers(Closed):
    """Identifiers of a town in public registers; forms are checked by rule `identifier-format`."""

    wikidata: str | None = Field(None, description="Wikidata item (QID).", examples=["Q24879"])
    geonames: str | None = Field(None, description="GeoNames ID.", examples=["2944388"])
    ags: str | None = Field(
        None, description="German municipality key (Amtlicher Gemeindeschlüssel), 8 digits; German towns only.",
        examples=["04011000"],
    )
    ars: str | None = Field(
        None, description="German regional key (Amtlicher Regionalschlüssel), 12 digits; German towns only.",
        examples=["040110000000"],
    )
    lau: str | None = Field(None, description="EU Local Administrative Unit code (for Germany the AGS).")
    nuts: str | None = Field(None, description="NUTS code of the region the town lies in.", examples=["DE501"])


class NetworkIdentifiers(Closed):
    """Identifiers of a city network in public registers."""

    wikidata: str | None = Field(None, description="Wikidata item (QID).", examples=["Q1377150"])


class Coordinates(Closed):
    """A point in WGS 84 decimal degrees; ranges are checked by rule `coordinates`."""

    lat: float = Field(description="Latitude, -90 to 90.", examples=[53.0758])
    lon: float = Field(description="Longitude, -180 to 180.", examples=[8.8072])


class Agreement(Closed):
    """The agreement a partnership rests on."""

    date: PartialDate | None = Field(None, description="When the agreement was signed.")
    council_resolution: bool | None = Field(
        None, description="Whether a council resolution backs the agreement."
    )
    document: Text | None = Field(
        None, description="The agreement's text or where to find it (a URL or a file reference)."
    )


class Record(Closed):
    """Fields every record has."""

    id: RecordId
    description: Text | None = Field(None, description="Free text about the record.")
    sources: list[Source] | None = Field(None, description=SOURCES_DESCRIPTION)
    extensions: Extensions | None = Field(None, description=EXTENSIONS_DESCRIPTION, examples=[{"cemr": {"entry": "4711"}}])


class Town(Record):
    """A municipality, district, city district or region that keeps partnerships or memberships."""

    name: Text = Field(description="The town's name in its own official language.", examples=["Bremen"])
    names: dict[LanguageTag, Text] | None = Field(
        None,
        description="The name in other languages, keyed by BCP 47 language tag.",
        examples=[{"pl": "Brema", "en": "Bremen"}],
    )
    country: str = Field(
        pattern=COUNTRY_PATTERN,
        description="ISO 3166-1 alpha-2 code of the country (XK for Kosovo); known codes are checked "
        "by rule `unknown-country`.",
        examples=["DE", "PL"],
    )
    subdivision: str | None = Field(
        None,
        pattern=SUBDIVISION_PATTERN,
        description="ISO 3166-2 code of the first-level subdivision (a German Land, say).",
        examples=["DE-HB"],
    )
    type: literal_of("town-type") | None = Field(  # type: ignore[valid-type]
        None, description="What kind of local government the town is (code list `town-type`)."
    )
    identifiers: TownIdentifiers | None = Field(None, description="The town's ids in public registers.")
    location: Coordinates | None = Field(None, description="Where the town lies (its centre or town hall).")
    population: Count | None = Field(None, description="Number of inhabitants.", examples=[569352])
    website: Url | None = Field(None, description="The town's official website.")


class Network(Record):
    """A city network: an association, programme or initiative that towns are members of."""

    name: Text = Field(description="The network's name.", examples=["Eurocities"])
    names: dict[LanguageTag, Text] | None = Field(
        None, description="The name in other languages, keyed by BCP 47 language tag."
    )
    acronym: Text | None = Field(None, description="Short name.", examples=["ICLEI"])
    type: literal_of("network-type") | None = Field(  # type: ignore[valid-type]
        None, description="What kind of network it is (code list `network-type`)."
    )
    scope: literal_of("network-scope") | None = Field(  # type: ignore[valid-type]
        None, description="Where its members come from (code list `network-scope`)."
    )
    themes: list[Theme] | None = Field(None, description="What the network works on.")
    website: Url | None = Field(None, description="The network's website.")
    identifiers: NetworkIdentifiers | None = Field(None, description="The network's ids in public registers.")


class Partnership(Record):
    """A partnership between two or more towns: bilateral, trilateral or multilateral."""

    kind: literal_of("partnership-kind") = Field(  # type: ignore[valid-type]
        description="Kind of partnership (code list `partnership-kind`; `unspecified` where the source does not say)."
    )
    members: list[RecordId] = Field(
        min_length=2,
        description="Ids of the member towns; two for a bilateral partnership, more for a multilateral one.",
        examples=[["bremen", "gdansk"]],
    )
    established: PartialDate | None = Field(None, description="When the partnership began.")
    ended: PartialDate | None = Field(None, description="When the partnership ended.")
    status: literal_of("partnership-status") | None = Field(  # type: ignore[valid-type]
        None, description="Whether the partnership is lived (code list `partnership-status`)."
    )
    themes: list[Theme] | None = Field(None, description="What the partners work on together.")
    agreement: Agreement | None = Field(None, description="The agreement the partnership rests on.")


class Membership(Record):
    """A town's membership in a city network."""

    town: RecordId = Field(description="Id of the member town.")
    network: RecordId = Field(description="Id of the network.")
    role: literal_of("membership-role") | None = Field(  # type: ignore[valid-type]
        None, description="The town's role in the network (code list `membership-role`); absent means member."
    )
    since: PartialDate | None = Field(None, description="When the membership began.")
    until: PartialDate | None = Field(None, description="When the membership ended.")


class Dataset(Closed):
    """A citynet-exchange dataset: towns, city networks, partnerships and memberships."""

    standard: Literal["1.0"] = Field(description="Version of the standard the document follows.")
    metadata: Metadata | None = Field(None, description="Who publishes the dataset, under which licence.")
    towns: list[Town] | None = Field(None, description="The towns the dataset speaks of.")
    networks: list[Network] | None = Field(None, description="The city networks the dataset speaks of.")
    partnerships: list[Partnership] | None = Field(None, description="Partnerships between the towns.")
    memberships: list[Membership] | None = Field(None, description="Memberships of the towns in the networks.")
    extensions: Extensions | None = Field(None, description=EXTENSIONS_DESCRIPTION)


# Record kinds: the name findings use, the dataset key holding them, and the model.
_MODELS: dict[str, type[Record]] = {"town": Town, "network": Network, "partnership": Partnership,
                                     "membership": Membership}
KINDS: dict[str, tuple[str, type[Record]]] = {kind: (key, _MODELS[kind]) for kind, key in RECORD_KEYS.items()}
