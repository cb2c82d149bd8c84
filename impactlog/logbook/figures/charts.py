"""Charts as Vega-Lite specifications, rendered to SVG on the server (no JavaScript needed).

Each chart is shown as an image with a text alternative, beside a table of the same data.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

import vl_convert

# The plotting area and the room for a label, in px: with the labels, about 340 px in all.
CHART_WIDTH = 200
LABEL_LIMIT = 100


@lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def svg_data_uri(spec: dict[str, Any]) -> str:
    """The chart as a data: URI for an <img>, so no inline style reaches the page."""
    svg = _render(json.dumps(spec, sort_keys=True))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def compared_bars(
    rows: list[tuple[str, float | None, float | None]],
    *,
    current: str,
    previous: str,
    value_title: str,
) -> dict[str, Any]:
    """Grouped bars: for each label, this period's value next to the comparison's. A value that
    is None (a protected count) is not drawn at all: its label stays on the axis, without a bar,
    and the table beside the chart says why."""
    values = []
    for label, now, before in rows:
        for series, value in ((current, now), (previous, before)):
            if value is not None:
                values.append({"label": label, "series": series, "value": value})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # Horizontal bars: the labels stay level and readable on a phone, the chart as wide as
        # its column (about 340 px). A label too long for its place is cut with an ellipsis;
        # the data table beside the chart gives it in full.
        "width": CHART_WIDTH,
        "height": {"step": 11},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "ordinal",
                "title": None,
                "sort": None,
                "scale": {"domain": [label for label, _now, _before in rows]},
                "axis": {"labelLimit": LABEL_LIMIT, "labelFontSize": 12},
            },
            "yOffset": {"field": "series", "sort": [current, previous]},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "axis": {"labelFontSize": 12, "titleFontSize": 12, "tickCount": 4},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": [current, previous],
                "scale": {"range": ["#0b5c73", "#b7c9d1"]},
                "legend": {
                    "orient": "bottom",
                    "direction": "vertical",
                    "labelFontSize": 12,
                    "labelLimit": 300,
                },
            },
        },
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }
