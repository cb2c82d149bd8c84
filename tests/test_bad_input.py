"""No 500 from bad input, anywhere.

Every URL pattern of the project is requested with its path parameters filled with objects of the
world (`targets`, shared with the permission matrix) and with hostile values its converter lets
through; every query parameter its view reads gets hostile values (years 0, 1 and 9999, huge and
negative numbers, non-ASCII digits, overlong strings, invalid UTF-8 escapes, empty and duplicated
parameters); and every form its page shows (or another page shows, posting to it) is sent with
missing, extra and malformed fields. As every persona, anonymous included. Any 5xx fails.

Deterministic: the values come in a fixed order, nothing is random. The hostile values are
sampled, not multiplied out: every URL × every persona × a handful of values, and the full lists
as one person who may use the page.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from impactlog.accounts.models import User
from impactlog.logbook.figures.periods import PERIOD_KINDS
from impactlog.logbook.models import Session
from impactlog.tenancy.scoping import unscoped
from tests import bad_input
from tests.bad_input import EDGE_DATES, HOSTILE, HOSTILE_SHORT, LONG, RAW_ESCAPES, Form
from tests.logbook_fixtures import SETTINGS_FORM
from tests.permission_matrix import BODIES, post_rows, rows
from tests.test_logbook_files import png_bytes
from tests.test_permission_matrix import targets  # noqa: F401  (the fixture)

PERSONAS = ["anon", "alice", "carl", "maria", "walter", "vera", "otto"]

# The query parameters each view reads (grep `request.GET` in the views, and the fields of the
# forms bound to it). `test_the_query_parameters_read_are_all_known` checks this list against
# what the views actually read while the test runs.
PERIOD = ["kind", "start", "end"]
QUERY_PARAMS: dict[str, list[str]] = {
    "structure:tree": ["archived"],
    "structure:audit": ["action", "actor", "since", "until", "page"],
    "logbook:log": ["activity", "copy"],
    "logbook:week": ["start"],
    "logbook:sessions": ["page"],
    "logbook:figures": [*PERIOD, "saved"],
    "logbook:export": PERIOD,
    "logbook:export_sessions_csv": PERIOD,
    "logbook:export_sessions_xlsx": PERIOD,
    "logbook:export_figures_csv": PERIOD,
    "logbook:export_figures_xlsx": PERIOD,
    "participants:list": ["q", "page"],
    "surveys:list": ["page"],
    "participants:guardian_paper": ["language", "alias"],
    "participants:guardian_paper_pdf": ["language", "alias"],
    "participants:guardian_consent": ["language"],
    "cards:sheet": ["p"],
    "cards:sheet_pdf": ["p"],
    "accounts:login": ["next"],
    "accounts:twofactor_setup": ["required"],
    "kiosk:aliases": ["q"],
}
# The downloads read the period as the export page does (the same form): there every hostile
# value is tried, here the periods at the edges of the calendar.
DOWNLOADS = {
    f"logbook:export_{what}_{kind}" for what in ("sessions", "figures") for kind in ("csv", "xlsx")
}
ALL_PARAMS = sorted({name for names in QUERY_PARAMS.values() for name in names})
# Valid values, so that one hostile parameter among valid ones reaches deep into the view.
BASE: dict[str, str] = {
    "kind": "week",
    "start": "2026-11-16",
    "end": "2026-11-22",
    "activity": "{activity}",
    "copy": "last",
    "page": "1",
    "archived": "1",
    "saved": "1",
    "since": "2026-01-01",
    "until": "2026-12-31",
    "action": "",
    "actor": "walter",
    "next": "/",
    "required": "1",
    "q": "fox",
    "language": "lv",
    "alias": "Lynx",
    "p": "1",
}
# Parameters that choose among a few values: each value is tried with hostile others.
CHOICES: dict[str, list[str]] = {"kind": [*PERIOD_KINDS, ""]}

# Hostile path values each converter lets through.
PATH_VALUES: dict[str, list[str]] = {
    "IdConverter": ["0", "999999999999999999", "000000000000000001"],
    "SlugConverter": ["-", "0", "__", LONG],
    "StringConverter": ["%C3%A9", "%C3%28", "%FF", "%00", "..", "%20", LONG],
}

# URLs this test cannot fill, each with its reason. Empty: every URL is covered.
EXCUSED: dict[str, str] = {}
# URLs that take no form, each with its reason (their POST is still sent, empty and hostile).
NO_FORM: dict[str, str] = {
    "me:home": "a young person's own page, shown only in their session (403 to every persona)",
    "me:export_json": "a download, GET only, in the young person's own session",
    "me:sign_out": "a button on the young person's own pages; posting it without a session "
    "signs nobody out",
    "me:progress": "the young person's own timeline, GET only, in their session",
    "me:rate": "a form shown only in the young person's own session (403 to every persona); "
    "its bad input is in test_mylink_progress.py",
    "me:journal": "as me:rate",
    "me:recognise": "as me:rate",
    "core:home": "a redirect to the person's place",
    "core:healthz": "a health check, GET only",
    "jobs:status": "a job's progress and result, GET only",
    "jobs:download": "a prepared file, GET only",
    "participants:guardian_paper": "a printable page, GET only; its query is fuzzed",
    "participants:guardian_paper_pdf": "the printable page as a PDF, GET only; its query is fuzzed",
    "logbook:export_sessions_job": "a button that starts the job; its page is the XLSX download "
    "of a period too large to send at once, whose query is fuzzed on export_sessions_xlsx",
    "accounts:login_verify": "asks for a code only after a password; the code form is fuzzed "
    "on twofactor_setup's TokenForm",
    "accounts:password_reset_done": "a page of text, GET only",
    "accounts:password_reset_complete": "a page of text, GET only",
    "structure:node": "a page without a form",
    "structure:members": "a list; its forms post to member_edit and invitation_revoke",
    "structure:audit": "a filter sent by GET (fuzzed as query parameters)",
    "logbook:activities": "a list without a form",
    "participants:list": "a search sent by GET (fuzzed as query parameters)",
    "participants:detail": "a record without a form; its forms post to edit, consent and withdraw",
    "participants:export_json": "a download, GET only",
    "participants:export_pdf": "a download, GET only",
    "participants:retention": "a preview without a form",
    "progress:timeline": "a timeline without a form; its links lead to rate, note, goal, answer",
    "progress:summary": "a summary without a form",
    "progress:summary_pdf": "a download, GET only",
    "progress:recognitions": "a list; its forms post to recognition_approve and _reject",
    "cards:unit": "a list; its forms post to issue_missing and choose the sheet by GET",
    "cards:sheet": "cards to print, chosen by GET (fuzzed as query parameters)",
    "cards:sheet_pdf": "a download, GET only",
    "cards:revoke": "a button without fields, shown only with a live card (fuzzed as an empty "
    "and a hostile POST)",
    "logbook:sessions": "a list without a form",
    "logbook:session_history": "a list without a form",
    "logbook:figures": "a period chosen by GET (fuzzed as query parameters)",
    "logbook:export": "a period chosen by GET (fuzzed as query parameters)",
    "logbook:export_sessions_csv": "a download, GET only",
    "logbook:export_sessions_xlsx": "a download, GET only",
    "logbook:export_figures_csv": "a download, GET only",
    "logbook:export_figures_xlsx": "a download, GET only",
    "logbook:import_template_csv": "a download, GET only",
    "logbook:import_template_xlsx": "a download, GET only",
    "logbook:session_file": "a download, GET only",
    "glossary:definitions": "a list without a form",
    "glossary:definition": "a page without a form; its question form posts to definition_ask",
    "glossary:definition_questions": "a list; its forms post to definition_answer",
    "structure:tree": "a tree without a form",
    "logbook:import_check": "shows a checked upload; without one it redirects to the upload",
    "structure:restore": "restores an archived place; Harbour is not archived, so its page "
    "says so without a form",
    "kiosk:aliases": "a JSON search for a paired tablet, GET only; fuzzed with a device in "
    "test_kiosk_api",
    "kiosk:check_in": "a JSON endpoint for a paired tablet; its bodies are fuzzed with a device "
    "in test_kiosk_api",
    "kiosk:screen": "without a device cookie it says the kiosk is not paired; its check-ins are "
    "sent as JSON to check_in",
    "kiosk:devices": "a list; its form posts to kiosk:code",
    "surveys:list": "a list of surveys without a form",
}

# Who fills a form no other persona sees: the person who follows a password-reset link.
FUZZER = {"accounts:password_reset_confirm": "anon"}

TARGETS = {row.name: row.target for row in rows()}
EXPECTED_GET = {row.name: row.get for row in rows()}
POST_BODIES = {row.name: row.body for row in post_rows()}


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    """Every named URL pattern, its full name, and the route it sits under."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern, prefix


PATTERNS = {name: pattern for name, pattern, _prefix in _patterns(get_resolver())}


@dataclass
class Fuzz:
    """The clients of every persona, and the 5xx met so far."""

    clients: dict[str, Client]
    targets: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def fuzzer(self, name: str) -> str:
        """The person who may use the page (so that its parameters are read at all)."""
        if name in FUZZER:
            return FUZZER[name]
        expected = EXPECTED_GET[name]
        for persona in ["alice", "maria", "walter", "carl", "vera", "anon", "otto"]:
            if expected[persona] == 200:
                return persona
        return "alice"

    def get(self, persona: str, path: str) -> HttpResponseBase:
        response = self.clients[persona].get(path)
        self._check(persona, "GET", path, response)
        return response

    def post(self, persona: str, path: str, data: Any, **extra: Any) -> HttpResponseBase:
        client = self.clients[persona]
        # Each POST meets the same world: its writes are rolled back, and the cookies it set
        # (a sign-out, a new session) are dropped.
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = client.post(path, data, **extra)
            transaction.set_rollback(True)
        client.cookies = cookies
        self._check(persona, "POST", path, response, data)
        return response

    def _check(
        self,
        persona: str,
        method: str,
        path: str,
        response: HttpResponseBase,
        data: Any = None,
    ) -> None:
        self.requests += 1
        if response.streaming:
            # Read a download to its end (not close(): that would close the test's connection).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            where = ""
            if exc_info:
                frame = traceback.extract_tb(exc_info[2])[-1]
                where = f" {exc_info[0].__name__}: {exc_info[1]} at {frame.filename}:{frame.lineno}"
            shown = repr(data)[:300] if data is not None else ""
            self.failures.append(
                f"{response.status_code} {persona} {method} {path[:300]} {shown}{where}"
            )


@pytest.fixture
def fuzz(targets: dict[str, Any], request: pytest.FixtureRequest, settings: Any) -> Fuzz:  # noqa: F811
    bad_input.READ.clear()
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.bad_input.record_reads"]
    clients = {"anon": Client(raise_request_exception=False)}
    for persona in PERSONAS[1:]:
        user: User = request.getfixturevalue(persona)
        clients[persona] = Client(raise_request_exception=False)
        clients[persona].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return Fuzz(clients, dict(targets))


def _path(name: str, fuzz: Fuzz) -> str:
    return reverse(name, args=fuzz.targets[TARGETS[name]])


def _base(fuzz: Fuzz) -> dict[str, str]:
    activity = fuzz.targets["activity"][1]
    return {key: value.format(activity=activity) for key, value in BASE.items()}


def _queries(params: list[str], base: dict[str, str]) -> Iterator[str]:
    """Query strings for a view reading `params`: each hostile value in all of them at once, in
    each alone among valid others, the parameters that choose among a few values with each of
    their values and hostile dates in the others, invalid UTF-8, duplicates."""
    valid = {name: base[name] for name in params}
    for value in HOSTILE:
        yield bad_input.query(dict.fromkeys(params, value))
    for name in params:
        for value in HOSTILE_SHORT:
            yield bad_input.query(valid | {name: value})
    for name in params:
        for choice in CHOICES.get(name, []):
            for other in params:
                if other != name and re.fullmatch(r"\d{4}-\d\d-\d\d", base[other]):
                    for value in EDGE_DATES:
                        yield bad_input.query(valid | {name: choice, other: value})
    for escape in RAW_ESCAPES:
        yield bad_input.raw_query(params, escape)
    yield bad_input.query({name: [valid[name], "-1"] for name in params})
    yield bad_input.query({name: ["²", valid[name]] for name in params})
    yield "&".join(params)  # names without "="
    yield "&&=&" + "=".join(params)


def _period_queries(base: dict[str, str]) -> Iterator[str]:
    """Each kind of period starting or ending at the edges of the calendar."""
    for kind in CHOICES["kind"]:
        for day in EDGE_DATES:
            yield bad_input.query({"kind": kind, "start": day, "end": base["end"]})


def _few_queries(params: list[str]) -> Iterator[str]:
    """A handful of hostile query strings, for every persona."""
    for value in ["9999-12-31", "²", LONG]:
        yield bad_input.query(dict.fromkeys(params, value))
    yield bad_input.raw_query(params, "%C3%28")
    yield bad_input.query({name: ["1", "-1"] for name in params})


@pytest.mark.django_db
def test_no_500_from_hostile_query_parameters(fuzz: Fuzz) -> None:
    base = _base(fuzz)
    for name in PATTERNS:
        if name in EXCUSED:
            continue
        path = _path(name, fuzz)
        params = QUERY_PARAMS.get(name, ALL_PARAMS)
        for persona in PERSONAS:
            fuzz.get(persona, path)
            few = list(_few_queries(params))
            for query in few if EXPECTED_GET[name][persona] == 200 else few[-2:]:
                fuzz.get(persona, f"{path}?{query}")
        if name in QUERY_PARAMS:
            persona = fuzz.fuzzer(name)
            every = _period_queries(base) if name in DOWNLOADS else _queries(params, base)
            for query in every:
                fuzz.get(persona, f"{path}?{query}")
    _report(fuzz)
    # What the views read (noted by `bad_input.record_reads`) is what this test fills.
    unknown = {
        name: sorted(read - set(QUERY_PARAMS.get(name, [])))
        for name in PATTERNS
        if name not in EXCUSED and (read := bad_input.READ.get(_path(name, fuzz), set()))
    }
    assert not {name: read for name, read in unknown.items() if read}, (
        "views read query parameters this test does not fill: add them to QUERY_PARAMS"
    )


def _hostile_paths(name: str, fuzz: Fuzz) -> Iterator[str]:
    """The URL with each path parameter in turn replaced by hostile values its converter takes."""
    pattern = PATTERNS[name]
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    args = list(fuzz.targets[TARGETS[name]])
    markers: list[str] = []
    for position, converter in enumerate(converters.values()):
        kind = type(converter).__name__
        markers.append(f"{position + 1}98765432101" if kind == "IdConverter" else f"zq{position}q")
    marked = reverse(name, args=markers)
    for position, converter in enumerate(converters.values()):
        kind = type(converter).__name__
        assert kind in PATH_VALUES, f"{name}: no hostile values for the converter {kind}"
        path = marked
        for other, marker in enumerate(markers):
            if other != position:
                path = path.replace(marker, str(args[other]))
        for value in PATH_VALUES[kind]:
            yield path.replace(markers[position], value)


@pytest.mark.django_db
def test_no_500_from_hostile_path_parameters(fuzz: Fuzz) -> None:
    """Every hostile value as the person who may use the page; one of them (in turn) as
    everybody."""
    for name in PATTERNS:
        if name in EXCUSED:
            continue
        fuzzer = fuzz.fuzzer(name)
        for position, path in enumerate(_hostile_paths(name, fuzz)):
            for persona in PERSONAS:
                if persona == fuzzer or position % len(PERSONAS) == PERSONAS.index(persona):
                    fuzz.get(persona, path)
                    fuzz.post(persona, path, {"x": "1"})
    _report(fuzz)


def _file_for(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")


def _bodies(form: Form) -> Iterator[tuple[str, Any]]:
    """Bodies for one form: as the page fills it, empty, only the CSRF token, each field
    missing, each field hostile, extra and duplicated fields, invalid UTF-8, files that are not
    files."""
    base = form.body()
    names = [name for name in form.names() if name != "csrfmiddlewaretoken"]
    files = {name: _file_for(name) for name in form.files}
    yield "as shown", base | files
    yield "empty", {}
    yield "only the CSRF token", {"csrfmiddlewaretoken": "x"}
    # The first field of each kind (number, text, date, select…) gets every hostile value and
    # is left out; the others, one value in turn (a grid of counts is many fields alike) and
    # every value in the bodies below that fill all fields at once.
    kinds: set[str] = set()
    for position, name in enumerate(names):
        kind = form.kinds.get(name, "text")
        if kind not in kinds or name.endswith("TOTAL_FORMS"):
            kinds.add(kind)
            values = HOSTILE_SHORT
            yield f"without {name}", {key: value for key, value in base.items() if key != name}
        else:
            values = [HOSTILE_SHORT[position % len(HOSTILE_SHORT)]]
        for value in values:
            yield f"{name}={value[:20]!r}", base | {name: value}
    for value in ["", "8", "-1", str(10**30), "²", "9999-12-31"]:
        yield f"every field {value!r}", base | dict.fromkeys(names, value)
    yield "extra fields", base | {"unexpected": LONG, "id": "1", "pk": "-1", "node": "0"}
    yield "duplicated fields", {name: [*values, "²"] for name, values in base.items()}
    for name in form.files:
        yield f"{name} not a file", base | {name: "not a file"}
        yield f"{name} empty", base | {name: SimpleUploadedFile("empty.png", b"")}
        yield f"{name} garbage", base | {name: SimpleUploadedFile("x.csv", b"\xff\xfe\x00" * 50)}


def _raw_bodies(form: Form) -> Iterator[str]:
    names = [name for name in form.names() if name != "csrfmiddlewaretoken"] or ["x"]
    for escape in RAW_ESCAPES:
        yield bad_input.raw_query(names, escape)


def _forms(fuzz: Fuzz) -> dict[str, list[Form]]:
    """The POST forms of every page as each persona sees it, by the path they send to."""
    _follow_a_reset_link(fuzz)
    found: dict[str, dict[tuple[str, ...], Form]] = {}
    for name in PATTERNS:
        if name in EXCUSED:
            continue
        path = _path(name, fuzz)
        for persona in PERSONAS:
            if EXPECTED_GET[name][persona] != 200 and persona != fuzz.fuzzer(name):
                continue
            response = fuzz.get(persona, path)
            if response.streaming or "html" not in response.get("Content-Type", ""):
                continue
            for form in bad_input.forms_of(response.content.decode(), path):
                if form.method == "post":
                    found.setdefault(form.action, {})[tuple(form.names() + form.files)] = form
    return {action: list(forms.values()) for action, forms in found.items()}


def _follow_a_reset_link(fuzz: Fuzz) -> None:
    """The anonymous client opens a valid password-reset link of Alice's: the set-password
    form is then shown to it, at the path the reset target now names."""
    user = User.objects.get(email="alice@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = fuzz.get("anon", reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert response.status_code == 302
    fuzz.targets["reset"] = [uid, "set-password"]


def _matrix_form(name: str) -> list[Form]:
    """The body of the permission matrix, for a URL whose form no page shows to its fuzzer."""
    body = BODIES.get(POST_BODIES[name])
    return [Form("post", "", list(body.items()))] if body else []


@pytest.mark.django_db
def test_no_500_from_hostile_forms(fuzz: Fuzz) -> None:
    forms = _forms(fuzz)
    uncovered = []
    for name in PATTERNS:
        if name in EXCUSED:
            continue
        path = _path(name, fuzz)
        to_send = forms.get(path) or _matrix_form(name)
        if not to_send and name not in NO_FORM:
            uncovered.append(name)
        persona = fuzz.fuzzer(name)
        for form in to_send or [Form("post", path)]:
            for _label, body in _bodies(form):
                fuzz.post(persona, path, body)
            for raw in _raw_bodies(form):
                fuzz.post(persona, path, raw, content_type="application/x-www-form-urlencoded")
            for other in PERSONAS:
                for _label, body in list(_bodies(form))[:2]:
                    fuzz.post(other, path, body)
    _report(fuzz)
    assert not uncovered, f"URLs with no form found, nor a reason in NO_FORM: {uncovered}"


def test_every_url_is_covered_or_excused() -> None:
    """A URL this test cannot fill (no object of the world, no hostile value for its converter)
    fails, unless excused with a reason."""
    unfilled = [name for name in PATTERNS if name not in TARGETS and name not in EXCUSED]
    assert not unfilled, f"URL names the test cannot fill: {unfilled}"
    for name, pattern in PATTERNS.items():
        for converter in pattern.pattern.converters.values():  # type: ignore[attr-defined]
            assert type(converter).__name__ in PATH_VALUES, (name, converter)
    assert set(EXCUSED) <= set(PATTERNS)
    assert set(NO_FORM) <= set(PATTERNS)
    assert set(QUERY_PARAMS) <= set(PATTERNS)


def _report(fuzz: Fuzz) -> None:
    assert not fuzz.failures, (
        f"{len(fuzz.failures)} of {fuzz.requests} requests answered 5xx:\n"
        + "\n".join(fuzz.failures[:80])
    )


# --- The 500s this test found, each pinned with the answer it gets now --------------------------

OUT_OF_RANGE = "Choose a day between"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "kind=week&start=0001-01-01",  # the year before: year 0
        "kind=year&start=0001-12-31",
        "kind=week&start=9999-12-31",  # the week ends in year 10000
        "kind=month&start=9999-12-25",
        "kind=half&start=9999-12-31",
        "kind=custom&start=2026-01-01&end=9999-12-31",
    ],
)
def test_a_period_at_the_ends_of_the_calendar_is_refused(
    query: str, world: Any, walter: User, login: Any
) -> None:
    client = login(walter)
    harbour = world.harbour.pk
    figures = client.get(f"{reverse('logbook:figures', args=[harbour])}?{query}")
    assert figures.status_code == 400
    assert OUT_OF_RANGE in figures.content.decode()
    for name in ["export_sessions_csv", "export_figures_xlsx"]:
        download = client.get(f"{reverse(f'logbook:{name}', args=[harbour])}?{query}")
        assert download.status_code == 400
        assert OUT_OF_RANGE in download.content.decode()
    page = client.get(f"{reverse('logbook:export', args=[harbour])}?{query}")
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "²"])
def test_the_week_grid_beyond_the_calendar_shows_this_week(
    start: str, world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    response = login(walter).get(url, {"start": start})
    assert response.status_code == 200
    assert response.context["monday"] == dt.date(2026, 11, 16)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"csrfmiddlewaretoken": "x"},
        {"day-TOTAL_FORMS": "8", "day-INITIAL_FORMS": "0"},
        {"day-TOTAL_FORMS": "6", "day-INITIAL_FORMS": "0"},
        {"day-TOTAL_FORMS": "²", "day-INITIAL_FORMS": "0"},
    ],
)
def test_a_week_grid_without_its_seven_days_is_refused(
    body: dict[str, str], world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    response = login(walter).post(url, body)
    assert response.status_code == 400
    assert "did not have its seven days" in response.content.decode()
    with unscoped():
        assert not Session.all_objects.filter(activity=drop_in).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("wanted", ["²", "٣", str(10**30), "-1"])
def test_an_activity_asked_for_in_other_digits_is_not_chosen(
    wanted: str, world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    response = login(walter).get(
        reverse("logbook:log", args=[world.harbour.pk]), {"activity": wanted}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["activity"] == drop_in


@pytest.mark.django_db
@pytest.mark.parametrize("bands", ["²-³", "١٠-١٤", "10-" + "9" * 5000])
def test_age_bands_in_other_digits_are_refused(
    bands: str, world: Any, alice: User, login: Any
) -> None:
    url = reverse("network:settings", args=[world.harbour.pk])
    response = login(alice).post(url, {**SETTINGS_FORM, "bands": bands})
    assert response.status_code == 400
    assert "write a band as two ages" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["%C3%A9", "%C3%28", "%FF", "%E2%82%AC" * 20])
def test_an_invitation_link_with_other_characters_is_invalid(
    token: str, client: Client, world: Any
) -> None:
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("field_name", ["responsible", "tags"])
def test_an_activity_naming_a_row_by_a_huge_number_is_refused(
    field_name: str, world: Any, walter: User, login: Any
) -> None:
    url = reverse("logbook:activity_add", args=[world.harbour.pk])
    body = {"name": "Evening club", "kind": "drop_in", field_name: str(10**30)}
    response = login(walter).post(url, body)
    assert response.status_code == 200
    assert response.context["form"].errors[field_name]
