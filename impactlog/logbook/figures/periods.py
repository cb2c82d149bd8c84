"""Reporting periods: a week, a month, a quarter, a half-year (term), a year or any range of days.

People without records rights see protected figures, decided once for each calendar year; they
choose among the calendar periods that decision covers (`PROTECTED_KINDS`), each named by its
`calendar_key` ("2026-03", "2026-Q1", "2026-H1", "2026").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

PERIOD_KINDS = {
    "week": _("Week"),
    "month": _("Month"),
    "quarter": _("Quarter"),
    "half": _("Half-year"),
    "year": _("Year"),
    "custom": _("Custom range"),
}

#: The periods offered to people who see protected figures: calendar months, quarters, half-years
#: and years. A day, a week or a custom range could single out one session.
PROTECTED_KINDS = ("month", "quarter", "half", "year")

# The days a period may start or end on: any real record, and far enough from the ends of
# Python's calendar (years 1 and 9999) that a period, the one before and after it and the same
# period a year earlier all exist.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def validate_reporting_day(day: dt.date) -> None:
    """A form field's validator: the day lies between FIRST_DAY and LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Choose a day between %(first)s and %(last)s."),
            code="out_of_range",
            params={
                "first": formats.date_format(FIRST_DAY, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(LAST_DAY, "SHORT_DATE_FORMAT"),
            },
        )


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_before(self) -> Period:
        """The same stretch of the calendar one year earlier: the whole month, half-year or
        year of the same name (so February 2029 is compared with all 29 days of February 2028),
        for a week the same ISO week (its 53rd week becoming the 52nd in a year without one),
        or for custom ranges the same dates (29 February becoming the 28th)."""
        if self.kind in PROTECTED_KINDS:
            return period_of(self.kind, _shift_year(self.start))
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            if week == 53 and dt.date(year - 1, 12, 28).isocalendar().week < 53:
                week = 52
            start = dt.date.fromisocalendar(year - 1, week, 1)
            return Period(self.kind, start, start + dt.timedelta(days=6))
        return Period(self.kind, _shift_year(self.start), _shift_year(self.end))

    def running(self, today: dt.date) -> bool:
        """Whether the period is not over yet: today falls inside it."""
        return self.start <= today <= self.end

    def compared(self, today: dt.date) -> tuple[Period, Period]:
        """This period and the stretch a year earlier it is fairly compared with.

        A period that is over is compared whole with the whole `year_before`. One that is not
        over yet is cut at today and compared with the same elapsed part a year earlier: a week
        up to the same weekday of the same ISO week; anything else up to the same calendar day a
        year earlier (the 29th of February becoming the 28th), never beyond that period's end."""
        whole = self.year_before()
        if not self.running(today):
            return self, whole
        now = Period(self.kind, self.start, today)
        if self.kind == "week":
            last = whole.start + dt.timedelta(days=now.days - 1)
        else:
            last = min(_shift_year(today), whole.end)
        return now, Period(self.kind, whole.start, last)

    def previous(self) -> Period:
        """The period just before this one, of the same kind (and length, if custom)."""
        if self.kind == "custom":
            return period_of(
                self.kind, self.start - dt.timedelta(days=self.days), custom_days=self.days
            )
        return period_of(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        return period_of(self.kind, self.end + dt.timedelta(days=1), custom_days=self.days)

    @property
    def calendar_key(self) -> str | None:
        """The name of a calendar period ("2026-03", "2026-Q1", "2026-H1", "2026"), the key the
        disclosure engine's calendar uses; None for weeks and custom ranges."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.start.year}-H{1 if self.start.month <= 6 else 2}"
        if self.kind == "year":
            return str(self.start.year)
        return None


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_of(kind: str, anchor: dt.date, *, custom_days: int = 7) -> Period:
    """The period of `kind` that contains `anchor`."""
    if kind == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        return Period(kind, start, start + dt.timedelta(days=6))
    if kind == "month":
        start = anchor.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(kind, start, following - dt.timedelta(days=1))
    if kind == "quarter":
        first = dt.date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
        following = (first + dt.timedelta(days=92)).replace(day=1)
        return Period(kind, first, following - dt.timedelta(days=1))
    if kind == "half":
        if anchor.month <= 6:
            return Period(kind, dt.date(anchor.year, 1, 1), dt.date(anchor.year, 6, 30))
        return Period(kind, dt.date(anchor.year, 7, 1), dt.date(anchor.year, 12, 31))
    if kind == "year":
        return Period(kind, dt.date(anchor.year, 1, 1), dt.date(anchor.year, 12, 31))
    end = anchor + dt.timedelta(days=custom_days - 1)
    return Period("custom", anchor, end)
