"""One figure as the reader may see it: a number, or what stands in its place when it is
protected (the figures page, the home page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from impactlog.tenancy.disclosure import Cell, Reason


@dataclass(frozen=True)
class Shown:
    """One figure as the reader may see it: `hidden` says why it is not a number ("primary":
    fewer than the threshold; "secondary": hidden so that another cannot be worked out;
    "withheld": not shown, without saying whether it is small or large, where the labels would
    let a count be worked out; "pending": the protected figures are being prepared)."""

    text: str
    hidden: str = ""
    value: float | None = None  # the number behind `text`, for comparisons and charts


def count_text(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def shown(cell: Cell, *, available: bool = True) -> Shown:
    """A count, or what stands in its place when it is protected."""
    if not available:
        return Shown("…", "pending")
    if cell.reason is Reason.PRIMARY:
        return Shown(_("fewer than %(threshold)s") % {"threshold": cell.threshold}, "primary")
    if cell.reason is Reason.WITHHELD:
        return Shown(_("not shown"), "withheld")
    if cell.reason is not None:
        return Shown(_("hidden"), "secondary")
    assert cell.value is not None
    return Shown(count_text(cell.value), value=cell.value)
