"""Helpers of the bad-input test: hostile values, the forms of a rendered page, and a
middleware that records which query parameters a view reads.

Everything here is deterministic: no randomness, values in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict

# Values a careless or hostile person types or sends, as they arrive in a query string or a
# form field (already percent-decoded, unless `RAW` says otherwise).
LONG = "x" * 10_000
HOSTILE: list[str] = [
    "",
    "0",
    "8",
    "-1",
    str(10**30),
    "-" + str(10**30),
    "1e400",
    "NaN",
    "²",
    "٣",
    "५",
    "²-³",
    "0000-01-01",
    "0001-01-01",
    "0001-01-07",
    "9999-12-31",
    "9999-12-25",
    "9999-99-99",
    "2026-02-30",
    "25:61",
    LONG,
    "\x00",
    "<script>",
]
# A few for the places where every value costs a request per field.
HOSTILE_SHORT: list[str] = [
    "",
    "8",
    "-1",
    str(10**30),
    "²",
    "²-³",
    "٣",
    "0001-01-01",
    "9999-12-31",
    LONG,
    "\x00",
]
# Dates at the edges of the calendar, for the parameters that choose a period.
EDGE_DATES = ["0001-01-01", "0001-01-07", "0001-12-31", "9999-01-01", "9999-12-25", "9999-12-31"]
# Invalid UTF-8, sent as is in a query string or a form body.
RAW_ESCAPES = ["%C3%28", "%FF", "%C3", "%E2%82", "%"]


def query(params: dict[str, str | list[str]]) -> str:
    """A query string, each value percent-encoded (lists repeat the parameter)."""
    parts = []
    for name, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(f"{quote(name)}={quote(one, safe='')}")
    return "&".join(parts)


def raw_query(names: list[str], escape: str) -> str:
    """Every parameter set to an invalid percent-escape, not encoded again."""
    return "&".join(f"{name}={escape}" for name in names)


# --- Which query parameters a view reads -------------------------------------------------------

READ: dict[str, set[str]] = {}  # path → names of the query parameters read while answering


class _RecordingQueryDict(QueryDict):
    """request.GET, noting every parameter the view asks for."""

    _noted: set[str]

    def __getitem__(self, key: str) -> Any:
        self._noted.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._noted.add(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        self._noted.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        self._noted.add(str(key))
        return super().__contains__(key)


def record_reads(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """Middleware: the names of the query parameters each request's view reads go to READ."""

    def middleware(request: HttpRequest) -> HttpResponse:
        noted = READ.setdefault(request.path, set())
        request.GET.__class__ = _RecordingQueryDict
        request.GET._noted = noted  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


# --- The forms of a page ------------------------------------------------------------------------


@dataclass
class Form:
    """A form as a browser sees it: its method, where it posts, and its fields' default values."""

    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value), page order
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type, select, textarea
    files: list[str] = field(default_factory=list)  # names of the file inputs

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _value in self.fields))

    def body(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return data


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a or "disabled" in a:
            choosing = tag == "option" and self._select is not None
            if choosing and (self._select_value is None or "selected" in a):
                self._select_value = a.get("value", "")
            return
        name = a["name"]
        form.kinds.setdefault(name, a.get("type", "text").lower() if tag == "input" else tag)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or kind == "checkbox":
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = name, None
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "button" and a.get("value"):
            form.fields.append((name, a["value"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None


def forms_of(html: str, page: str) -> Iterator[Form]:
    """The forms of a page, each with the path it sends to (its own path when it names none)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        action = urlsplit(form.action).path if form.action else page
        yield Form(form.method, action, form.fields, form.kinds, form.files)
