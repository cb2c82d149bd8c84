"""No 500 from bad input in a form: every form each page shows (or another page shows, posting
to it) is sent as the person who may use it with missing, extra, malformed and duplicated fields,
invalid UTF-8 and files that are not files, and its first bodies as every other persona. Any 5xx
fails; so does a URL with no form found and no reason in NO_FORM.

Deterministic, like the other bad-input tests; the harness is in tests/bad_input_fuzz.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from impactlog.accounts.models import User
from tests import bad_input
from tests.bad_input import HOSTILE_SHORT, LONG, RAW_ESCAPES, Form
from tests.bad_input_fuzz import (
    EXCUSED,
    EXPECTED_GET,
    NO_FORM,
    PATTERNS,
    PERSONAS,
    POST_BODIES,
    Fuzz,
    fuzz_fixture,  # noqa: F401  (the fixture `fuzz`)
    path_of,
    report,
)
from tests.permission_matrix import BODIES
from tests.test_logbook_files import png_bytes
from tests.test_permission_matrix import targets  # noqa: F401  (the fixture)


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
        path = path_of(name, fuzz)
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
        path = path_of(name, fuzz)
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
    report(fuzz)
    assert not uncovered, f"URLs with no form found, nor a reason in NO_FORM: {uncovered}"
