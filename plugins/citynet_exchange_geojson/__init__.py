"""GeoJSON (RFC 7946): the towns and partnerships of a dataset as a map layer.

A FeatureCollection: each town with coordinates is a Point, each partnership whose towns all
have coordinates a LineString between them (a partnership of three or more towns a
MultiLineString, one line between every two of its towns, so that no member looks like the
hub of the others). A feature's properties are the record's fields but its location, plus
`@record` (`town` or `partnership`); its `id` is `town/<id>` or `partnership/<id>`. The
dataset's own fields (`standard`, `metadata` ...) are members of the collection. What a map
cannot hold (towns without coordinates, partnerships with a town without them, networks,
memberships) is left out and a `conversion-loss` finding each. Written only: GeoJSON is for
showing data, not for exchanging it.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.formats import DeferredExporter, Exporter


class GeojsonExporter(DeferredExporter):
    name = "geojson"
    title = "GeoJSON map layer (towns and partnerships)"
    extension = ".geojson"
    module = "citynet_exchange_geojson.writer"


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(GeojsonExporter())
