"""The harness of the bad-input tests (tests/test_bad_input_*.py): the personas, the query
parameters each view reads, the hostile path values, the URLs excused, and `Fuzz`, the clients of
every persona that note every 5xx. The hostile values, the form parser and the middleware that
notes what a view reads are in tests/bad_input.py.

A test module using the `fuzz` fixture imports it together with `targets` (the world's objects,
shared with the permission matrix):

    from tests.bad_input_fuzz import fuzz_fixture  # noqa: F401  (the fixture `fuzz`)
    from tests.test_permission_matrix import targets  # noqa: F401  (the fixture)
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impactlog.accounts.models import User
from impactlog.logbook.figures.periods import PERIOD_KINDS
from tests import bad_input
from tests.bad_input import LONG
from tests.permission_matrix import post_rows, rows

PERSONAS = ["anon", "alice", "carl", "maria", "walter", "vera", "otto"]

# The query parameters each view reads (grep `request.GET` in the views, and the fields of the
# forms bound to it). `test_no_500_from_hostile_query_parameters` checks this list against
# what the views actually read while it runs.
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
    "participants:guardian_paper": ["language", "alias"],
    "participants:guardian_paper_pdf": ["language", "alias"],
    "participants:guardian_consent": ["language"],
    "cards:sheet": ["p"],
    "cards:sheet_pdf": ["p"],
    "accounts:login": ["next"],
    "accounts:twofactor_setup": ["required"],
    "kiosk:aliases": ["q"],
    "results:page": ["year", "month", "unit"],
    "surveys:list": ["page"],
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
    "year": "2026",
    "month": "5",
    "unit": "",
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
    "results:page": "a page of figures; its filter form is a GET (QUERY_PARAMS)",
    "results:export": "a download",
    "results:codebook": "a download",
    "surveys:list": "a list of surveys without a form",
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
    "xlsform:download": "a download, GET only",
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


@pytest.fixture(name="fuzz")
def fuzz_fixture(targets: dict[str, Any], request: pytest.FixtureRequest, settings: Any) -> Fuzz:
    bad_input.READ.clear()
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.bad_input.record_reads"]
    clients = {"anon": Client(raise_request_exception=False)}
    for persona in PERSONAS[1:]:
        user: User = request.getfixturevalue(persona)
        clients[persona] = Client(raise_request_exception=False)
        clients[persona].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return Fuzz(clients, dict(targets))


def path_of(name: str, fuzz: Fuzz) -> str:
    return reverse(name, args=fuzz.targets[TARGETS[name]])


def base_values(fuzz: Fuzz) -> dict[str, str]:
    """Valid values of every query parameter (BASE), for a world's objects."""
    activity = fuzz.targets["activity"][1]
    return {key: value.format(activity=activity) for key, value in BASE.items()}


def report(fuzz: Fuzz) -> None:
    assert not fuzz.failures, (
        f"{len(fuzz.failures)} of {fuzz.requests} requests answered 5xx:\n"
        + "\n".join(fuzz.failures[:80])
    )
