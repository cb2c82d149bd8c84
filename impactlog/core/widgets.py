"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (2026-11-30), whatever the
    language: HTML reads no other, and the browser shows the date the reader's way. Left to the
    language's first input format, Finnish and Slovenian wrote 30.11.2026 and the box came up
    empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, its value on the 24-hour clock as HTML wants it (15:00);
    Finnish would otherwise write 15.00.00, which the browser does not read."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")
