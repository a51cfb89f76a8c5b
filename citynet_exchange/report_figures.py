"""The figures and the world map of the HTML report: what the dataset holds, beside what is
wrong with it.

The inputs are read once more after validation, as streams (`Document.records()`): once for
the figures (`stats.count`), once for the map (`world_map.map_layers`). Figures of data that
could not all be read would mislead, so a report whose inputs had a syntax error gets a note
instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from citynet_exchange.codelists import codelist
from citynet_exchange.formats import Document
from citynet_exchange.html_page import esc
from citynet_exchange.i18n import Catalogue
from citynet_exchange.report import Report
from citynet_exchange.stats import GLOBAL_SOUTH, UNREADABLE, Counts, Figures, count
from citynet_exchange.world_map import Link, Place, map_layers, world_map_svg


@dataclass(frozen=True)
class Overview:
    """The figures of a dataset and its towns and partnerships on the map; `figures` None:
    not all of the data could be read."""

    figures: Figures | None
    places: Sequence[Place] = ()
    links: Sequence[Link] = ()


def overview(report: Report, load: Callable[[str], Document]) -> Overview:
    """The overview of the inputs of a report, each loaded again by `load`."""
    if any(f.code in UNREADABLE for f in report.findings):
        return Overview(None)
    documents = [load(name) for name in report.inputs]

    def records() -> Iterator[tuple[str, int, Any]]:
        return chain.from_iterable(document.records() for document in documents)

    places, links = map_layers(records())
    return Overview(count(records()), places, links)


def render_overview(view: Overview, words: Catalogue) -> str:
    """The figures section: totals, the breakdowns, the map."""
    parts = [f'<section id="figures"><h2>{esc(words.text("figures"))}</h2>']
    figures = view.figures
    if figures is None:
        parts.append(f'<p class="note">{esc(words.text("figures_unreadable"))}</p></section>')
        return "\n".join(parts)
    share = figures.global_south_share
    south = str(figures.global_south_partnerships) + ("" if share is None else f" ({share:.1%})")
    totals = [("towns", figures.towns), ("towns_with_coordinates", figures.towns_with_coordinates),
              ("partnerships", figures.partnerships), ("global_south", south), ("networks", figures.networks),
              ("memberships", figures.memberships)]
    parts.append('<div class="tables">' + _counts(words.text("totals"), [(words.text(k), v) for k, v in totals]))
    networks = tuple((n.name or n.network, n.memberships) for n in figures.memberships_by_network)
    for key, counts in (("by_kind", figures.partnerships_by_kind), ("by_decade", figures.partnerships_by_decade),
                        ("by_country", figures.partnerships_by_country), ("by_network", networks)):
        if counts:
            parts.append(_counts(words.text(key), counts))
    about = codelist(GLOBAL_SOUTH).about
    parts.append("</div>")
    parts.append(f'<p class="note">{esc(words.text("global_south_note", list=about["title"], edition=about["edition"]))}'
                 f' <span lang="en">({esc(about["status"])})</span></p>')
    if view.places:
        title = words.text("map", towns=len(view.places), links=len(view.links))
        parts.append(f'<h3>{esc(title)}</h3><div class="map">{world_map_svg(view.places, view.links, title=title)}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def _counts(title: str, counts: Counts | Sequence[tuple[str, Any]]) -> str:
    rows = "".join(f'<tr><td>{esc(key)}</td><td class="count">{esc(value)}</td></tr>' for key, value in counts)
    return f"<div><h3>{esc(title)}</h3><table><tbody>{rows}</tbody></table></div>"
