"""English follows European conventions (day before month, 24-hour clock); the other languages
keep Django's formats for them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.locale.lv import formats as latvian
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, formats, translation

from impactlog.logbook.models import Activity
from impactlog.logbook.views.forms import WeekDayForm

from .conftest import RIGA, World
from .logbook_fixtures import record

# Wednesday 2 December 2026: the Monday of the week, 30 November, is behind us.
AFTER = dt.datetime(2026, 12, 2, 12, 0, tzinfo=RIGA)
MONDAY = dt.date(2026, 11, 30)
AMERICAN = ["11/30/2026", "Nov. 30, 2026", "November 30, 2026", "p.m.", "a.m."]


def _page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _latvian(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    return client


def test_the_english_formats_are_european() -> None:
    day, moment = MONDAY, dt.datetime(2026, 11, 30, 15, 0, tzinfo=RIGA)
    with translation.override("en"):
        assert formats.date_format(day) == "30 November 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "30/11/2026"
        assert formats.date_format(day, "MONTH_DAY_FORMAT") == "30 November"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "November 2026"
        assert formats.time_format(dt.time(15, 0)) == "15:00"
        assert formats.time_format(dt.time(0, 5)) == "00:05"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 November 2026, 15:00"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "30/11/2026 15:00"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        assert formats.number_format(12345.5, 1, force_grouping=True) == "12,345.5"


@pytest.mark.time_machine(AFTER)
def test_the_english_sessions_list_puts_the_day_first_and_uses_the_24_hour_clock(
    world: World, login, walter, drop_in: Activity
) -> None:
    record(walter, drop_in, day=MONDAY, start="15:00", end="20:00")
    page = _page(login(walter), reverse("logbook:sessions", args=[world.harbour.pk]))
    assert '<html lang="en">' in page
    assert "30/11/2026" in page
    assert "15:00–20:00" in page
    for american in AMERICAN:
        assert american not in page


@pytest.mark.time_machine(AFTER)
def test_the_english_week_grid_writes_every_date_the_same_way(
    world: World, login, walter, drop_in: Activity
) -> None:
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    page = _page(login(walter), url, start=MONDAY.isoformat())
    assert "Open evenings: the week of 30/11/2026" in page
    days = re.findall(r'<th scope="row">([^<]*)<input', page)
    assert [d.strip() for d in days] == [
        "Monday 30/11/2026",
        "Tuesday 01/12/2026",
        "Wednesday 02/12/2026",
        "Thursday 03/12/2026",
        "Friday 04/12/2026",
        "Saturday 05/12/2026",
        "Sunday 06/12/2026",
    ]
    assert "30.11." not in page
    for american in AMERICAN:
        assert american not in page


@pytest.mark.time_machine(AFTER)
def test_latvian_keeps_djangos_latvian_formats(
    world: World, login, walter, drop_in: Activity
) -> None:
    record(walter, drop_in, day=MONDAY, start="15:00", end="20:00")
    client = _latvian(login(walter))
    with translation.override("lv"):  # Django's own formatter, with Django's Latvian formats
        day = dateformat.format(MONDAY, latvian.SHORT_DATE_FORMAT)
        times = [dateformat.time_format(dt.time(h), latvian.TIME_FORMAT) for h in (15, 20)]
        monday = dateformat.format(MONDAY, "l")
    assert day != "30/11/2026" and times == ["15:00", "20:00"]

    sessions = _page(client, reverse("logbook:sessions", args=[world.harbour.pk]))
    assert '<html lang="lv">' in sessions
    assert f'<th scope="row">{day}</th>' in sessions
    assert "–".join(times) in sessions

    week = _page(
        client,
        reverse("logbook:week", args=[world.harbour.pk, drop_in.pk]),
        start=MONDAY.isoformat(),
    )
    assert f"{monday} {day}<input" in week
    assert "30/11/2026" not in week


def test_an_english_date_typed_day_first_is_read_day_first() -> None:
    with translation.override("en"):
        for typed in ("30/11/2026", "2026-11-30", "30 November 2026"):
            form = WeekDayForm({"date": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["date"] == MONDAY
        assert not WeekDayForm({"date": "11/30/2026"}).is_valid()  # month first: no 30th month
        first_of_december = WeekDayForm({"date": "01/12/2026"})
        assert first_of_december.is_valid()
        assert first_of_december.cleaned_data["date"] == dt.date(2026, 12, 1)


# A date or time filter in a template names one of the formats (which each language defines)
# or writes a machine format (ISO dates in links and hidden inputs, the weekday's name).
NAMED = re.compile(r'\|(?:date|time):["\']([^"\']*)["\']')
ALLOWED = {"Y-m-d", "l"}


def test_no_template_writes_a_date_or_time_in_a_fixed_format() -> None:
    literals = []
    for template in Path(settings.BASE_DIR).rglob("templates/**/*.html"):
        for used in NAMED.findall(template.read_text(encoding="utf-8")):
            if not used.endswith("_FORMAT") and used not in ALLOWED:
                literals.append(f"{template.name}: {used}")
    assert literals == []


@pytest.mark.time_machine(AFTER)
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_date_and_time_inputs_hold_iso_values_in_every_language(
    world: World, login, walter, drop_in: Activity, language: str
) -> None:
    """A type="date" or type="time" input takes only ISO values (the browser shows them the
    reader's way); a value in the language's format (30.11.2026, 15.00.00) leaves it empty."""
    session = record(walter, drop_in, day=MONDAY, start="15:00", end="20:00")
    client = login(walter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = _page(client, reverse("logbook:session_edit", args=[world.harbour.pk, session.pk]))
    assert f'<html lang="{language}">' in page
    inputs = re.findall(r'<input type="(?:date|time)" name="(\w+)" value="([^"]*)"', page)
    assert dict(inputs) == {"date": "2026-11-30", "start_time": "15:00", "end_time": "20:00"}
