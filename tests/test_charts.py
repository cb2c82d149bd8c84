"""Charts readable on a phone: level labels, cut short when long, no wider than a phone's column."""

from __future__ import annotations

import json
import re

from impactlog.logbook.figures import charts

# The column a chart has on a 390 px phone: the screen less the page's margins.
PHONE_COLUMN = 358


def _svg(rows: list[tuple[str, float | None, float | None]]) -> str:
    spec = charts.compared_bars(
        rows,
        current="Šis periods",
        previous="Samat päivät vuotta aiemmin",
        value_title="Apmeklējumi pa mēnešiem",
    )
    return charts._render(json.dumps(spec, sort_keys=True))


def test_bars_lie_flat_so_their_labels_read_level_and_fit_a_phone() -> None:
    months = ["2026. g. jūlijs", "2026. g. augusts", "2026. g. septembris", "2026. g. oktobris"]
    svg = _svg([(month, 10.0 * i, None if i == 1 else 8.0) for i, month in enumerate(months)])
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert width <= PHONE_COLUMN
    # Vega rotates a label with a transform "rotate(…)": none is turned sideways.
    assert "rotate(" not in svg
    # Each label is there, whole or cut short with an ellipsis (the table gives it in full).
    for month in months:
        assert month in svg or month[:8] in svg


def test_the_label_axis_is_the_vertical_one() -> None:
    spec = charts.compared_bars([("13–15", 4.0, 3.0)], current="a", previous="b", value_title="v")
    assert spec["encoding"]["y"]["field"] == "label"
    assert spec["encoding"]["x"]["field"] == "value"
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == charts.LABEL_LIMIT
