"""Pages with records or personal data are never kept by a browser cache; signing out clears
what the site kept in the browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.permission_matrix import rows

from .test_permission_matrix import _status, targets  # noqa: F401  (a fixture)

PRIVATE = "private, no-store"


def _private(response: Any) -> bool:
    """The response may be kept by no cache: ours, or a view's own stricter header."""
    words = {word.strip() for word in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= words


@pytest.mark.django_db
def test_every_page_walter_gets_says_private_no_store(
    targets: dict[str, Any],  # noqa: F811
    walter: Any,
) -> None:
    client = Client()
    client.force_login(walter, backend="django.contrib.auth.backends.ModelBackend")
    seen = []
    for row in rows():
        if row.name == "core:healthz":
            continue
        url = reverse(row.name, args=targets[row.target])
        response = client.get(url)
        status = _status(response)
        if status == 200:
            seen.append(row.name)
            assert _private(response), url
    # the walk reached the pages that matter: entry, list, figures, downloads, the profile
    assert {
        "logbook:log",
        "logbook:sessions",
        "logbook:figures",
        "logbook:export_sessions_csv",
        "accounts:profile",
        "structure:node",
    } <= set(seen)


@pytest.mark.django_db
def test_refusals_and_redirects_to_a_signed_in_person_are_private_too(
    world: Any, login: Any, walter: Any
) -> None:
    client = login(walter)
    for url in [
        reverse("core:home"),  # a redirect
        reverse("structure:audit", args=[world.harbour.pk]),  # 403
        reverse("structure:node", args=[99999]),  # 404
    ]:
        assert _private(client.get(url)), url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:password_reset", "accounts:password_reset_done"]
)
def test_the_account_pages_are_private_for_anyone(name: str) -> None:
    assert _private(Client().get(reverse(name)))


@pytest.mark.django_db
def test_sign_in_and_sign_out_answers_are_private(world: Any, walter: Any) -> None:
    from .conftest import PASSWORD

    client = Client()
    signed_in = client.post(
        reverse("accounts:login"), {"username": "walter@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert _private(signed_in)
    signed_out = client.post(reverse("accounts:logout"))
    assert _private(signed_out)
    assert signed_out.headers.get("Clear-Site-Data") == '"storage"'


@pytest.mark.django_db
def test_static_files_and_the_health_check_are_left_alone(world: Any, login: Any, walter) -> None:
    client = login(walter)
    health = client.get(reverse("core:healthz"))
    assert health.status_code == 200
    assert health.headers.get("Cache-Control") != PRIVATE
    script = client.get("/static/impactlog/logbook.js")
    assert script.status_code == 200
    assert "no-store" not in script.headers.get("Cache-Control", "")
    _status(script)


@pytest.mark.django_db
def test_a_page_for_no_one_in_particular_is_not_marked(world: Any) -> None:
    """Anonymous requests outside the account pages keep whatever caching they had."""
    response = Client().get(reverse("structure:node", args=[world.harbour.pk]))
    assert response.status_code == 302
    assert "Cache-Control" not in response.headers
