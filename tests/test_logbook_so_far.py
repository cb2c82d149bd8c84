"""A period not over yet is compared with the same elapsed part of it a year earlier ("so far");
a period that is over, whole with whole. Expected values are written by hand from the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from .conftest import RIGA, World
from .logbook_fixtures import record

pytestmark = pytest.mark.django_db


def _page(client: Any, node: Any, **query: str) -> Any:
    response = client.get(reverse("logbook:figures", args=[node.pk]), query)
    assert response.status_code == 200
    return response


def _figure(panel: Any, label: str) -> tuple[str, str, str]:
    row = next(row for row in panel.rows if row.label == label)
    return row.now.text, row.before.text, row.change


def test_a_week_cut_on_tuesday_is_compared_with_monday_and_tuesday_a_year_earlier(
    world: World, login, walter, drop_in, time_machine
) -> None:
    # Tuesday 17 November 2026, ISO week 47; week 47 of 2025 runs from Monday 17 November.
    time_machine.move_to(dt.datetime(2026, 11, 17, 20, 0, tzinfo=RIGA), tick=False)
    record(walter, drop_in, day=dt.date(2026, 11, 16), total=6)
    record(walter, drop_in, day=dt.date(2026, 11, 17), total=4)
    record(walter, drop_in, day=dt.date(2025, 11, 17), total=5)  # Monday a year earlier
    record(walter, drop_in, day=dt.date(2025, 11, 18), total=3)  # Tuesday a year earlier
    for day in (19, 20, 21):  # Wednesday to Friday a year earlier: not yet comparable
        record(walter, drop_in, day=dt.date(2025, 11, day), total=10)
    week = _page(login(walter), world.harbour).context["panels"][0]
    assert week.title == "This week so far"
    assert (week.period_label, week.before_label) == (
        "16/11/2026 – 17/11/2026",
        "17/11/2025 – 18/11/2025",
    )
    assert week.before_heading == "The same days a year earlier"
    assert _figure(week, "Sessions") == ("2", "2", "0 %")
    assert _figure(week, "Visits") == ("10", "8", "+25 %")


def test_a_month_cut_on_the_10th_is_compared_with_days_1_to_10_a_year_earlier(
    world: World, login, walter, drop_in, time_machine
) -> None:
    # Tuesday 10 November 2026:
    record(walter, drop_in, day=dt.date(2026, 11, 2), total=7)
    record(walter, drop_in, day=dt.date(2026, 11, 10), total=5)
    record(walter, drop_in, day=dt.date(2025, 11, 1), total=4)
    record(walter, drop_in, day=dt.date(2025, 11, 10), total=2)
    record(walter, drop_in, day=dt.date(2025, 11, 11), total=30)  # after the cut: left out
    time_machine.move_to(dt.datetime(2026, 11, 10, 18, 0, tzinfo=RIGA), tick=False)
    panel = _page(login(walter), world.harbour, kind="month", start="2026-11-01").context["panels"][
        0
    ]
    assert panel.title == "Chosen period so far"
    assert (panel.period_label, panel.before_label) == (
        "01/11/2026 – 10/11/2026",
        "01/11/2025 – 10/11/2025",
    )
    assert _figure(panel, "Visits") == ("12", "6", "+100 %")
    assert _figure(panel, "Sessions") == ("2", "2", "0 %")


def test_a_half_year_cut_in_its_fourth_month_counts_as_many_days_a_year_earlier(
    world: World, login, walter, drop_in, time_machine
) -> None:
    # Thursday 15 October 2026: the autumn half-year's 107th day; a year earlier its 107th
    # day is 15 October 2025 too (no 29 February in between).
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, 0, tzinfo=RIGA), tick=False)
    record(walter, drop_in, day=dt.date(2026, 7, 1), total=3)
    record(walter, drop_in, day=dt.date(2026, 10, 15), total=9)
    record(walter, drop_in, day=dt.date(2025, 7, 1), total=2)
    record(walter, drop_in, day=dt.date(2025, 10, 15), total=4)
    record(walter, drop_in, day=dt.date(2025, 10, 16), total=50)  # after the cut
    record(walter, drop_in, day=dt.date(2025, 12, 1), total=50)  # after the cut
    half = _page(login(walter), world.harbour).context["panels"][1]
    assert half.title == "This half-year so far"
    assert (half.period_label, half.before_label) == (
        "01/07/2026 – 15/10/2026",
        "01/07/2025 – 15/10/2025",
    )
    assert _figure(half, "Visits") == ("12", "6", "+100 %")
    assert _figure(half, "Sessions") == ("2", "2", "0 %")
    # the chart's months run up to this month only
    assert [label for label, _now, _before in half.chart_rows] == [
        "July 2026",
        "August 2026",
        "September 2026",
        "October 2026",
    ]
    assert [(now.text, before.text) for _label, now, before in half.chart_rows][-1] == ("9", "4")


def test_a_month_cut_on_a_leap_day_is_compared_with_all_of_february_a_year_earlier(
    world: World, login, walter, drop_in, time_machine
) -> None:
    # Tuesday 29 February 2028: February 2027 has no 29th, so days 1–29 meet days 1–28.
    time_machine.move_to(dt.datetime(2028, 2, 29, 12, 0, tzinfo=RIGA), tick=False)
    record(walter, drop_in, day=dt.date(2028, 2, 29), total=8)
    record(walter, drop_in, day=dt.date(2027, 2, 28), total=4)
    record(walter, drop_in, day=dt.date(2027, 3, 1), total=40)  # not February
    panel = _page(login(walter), world.harbour, kind="month", start="2028-02-01").context["panels"][
        0
    ]
    assert (panel.period_label, panel.before_label) == (
        "01/02/2028 – 29/02/2028",
        "01/02/2027 – 28/02/2027",
    )
    assert _figure(panel, "Visits") == ("8", "4", "+100 %")
    # the half-year too: the same calendar days, up to 28 February 2027, not 59 days (1 March)
    half = _page(login(walter), world.harbour).context["panels"][1]
    assert half.before_label == "01/01/2027 – 28/02/2027"
    assert _figure(half, "Visits") == ("8", "4", "+100 %")


def test_a_period_that_is_over_is_compared_whole_with_whole(
    world: World, login, walter, drop_in
) -> None:
    # Today is 18 November 2026: October 2026 is over.
    record(walter, drop_in, day=dt.date(2026, 10, 31), total=6)
    record(walter, drop_in, day=dt.date(2025, 10, 1), total=4)
    record(walter, drop_in, day=dt.date(2025, 10, 31), total=8)
    panel = _page(login(walter), world.harbour, kind="month", start="2026-10-01").context["panels"][
        0
    ]
    assert panel.title == "Chosen period"
    assert (panel.period_label, panel.before_label) == (
        "01/10/2026 – 31/10/2026",
        "01/10/2025 – 31/10/2025",
    )
    assert panel.before_heading == "A year earlier"
    assert _figure(panel, "Visits") == ("6", "12", "-50 %")


def test_protected_readers_see_a_period_not_over_yet_without_a_year_earlier(
    world: World, login, walter, carl, drop_in
) -> None:
    record(walter, drop_in, day=dt.date(2026, 11, 2), total=12)
    record(walter, drop_in, day=dt.date(2025, 11, 2), total=40)
    response = _page(login(carl), world.region)
    month, half = response.context["panels"]
    assert (month.title, half.title) == ("This month so far", "This half-year so far")
    assert not month.compared and not half.compared
    assert month.period_label == "01/11/2026 – 18/11/2026"
    text = response.content.decode()
    assert "Protected figures are compared with a year earlier once the period is over." in text
    assert "A year earlier" not in text and "The same days a year earlier" not in text
    # the key figures: this period only, no year earlier and no change
    assert '<th scope="col">Figure</th><th scope="col">This period</th></tr>' in text
