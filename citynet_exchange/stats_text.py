"""The figures as a table for the terminal (`citynet stats`)."""

from __future__ import annotations

from citynet_exchange.codelists import codelist
from citynet_exchange.stats import GLOBAL_SOUTH, Counts, Figures


def render_figures(figures: Figures) -> str:
    """Totals first, then one section per breakdown; the Global South's list named below."""
    share = figures.global_south_share
    south = f"{figures.global_south_partnerships}" + ("" if share is None else f" ({share:.1%})")
    rows: list[tuple[str, str]] = [
        ("Towns", str(figures.towns)),
        ("  with coordinates", str(figures.towns_with_coordinates)),
        ("Partnerships", str(figures.partnerships)),
        ("  with the Global South", south),
        ("Networks", str(figures.networks)),
        ("Memberships", str(figures.memberships)),
    ]
    sections = [
        ("Partnerships by kind", figures.partnerships_by_kind),
        ("Partnerships by country (each country once a partnership)", figures.partnerships_by_country),
        ("Partnerships by decade of founding", figures.partnerships_by_decade),
        ("Memberships by network", tuple((n.name if n.name else n.network, n.memberships)
                                         for n in figures.memberships_by_network)),
    ]
    lines = _aligned(rows)
    for title, counts in sections:
        if counts:
            lines += ["", title, *_aligned(_indented(counts))]
    about = codelist(GLOBAL_SOUTH).about
    lines += ["", f"Global South: the countries of the {about['title']}, {about['edition']}; "
                  f"{about['status']}."]
    return "\n".join(lines) + "\n"


def _indented(counts: Counts) -> list[tuple[str, str]]:
    return [(f"  {key}", str(number)) for key, number in counts]


def _aligned(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(label) for label, _value in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]
