from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User

from .conftest import World


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_is_migrated() -> None:
    response = Client().get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_a_migration_is_missing() -> None:
    MigrationRecorder.Migration.objects.filter(app="structure").delete()
    response = Client().get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["pending_migrations"] >= 1


@pytest.mark.django_db
def test_home_lists_every_place_of_a_person_with_several(world: World, login, walter) -> None:
    from impactlog.structure import services
    from impactlog.tenancy.scoping import unscoped

    with unscoped():
        services.grant_role(None, walter, world.hill, "viewer")
    page = login(walter).get(reverse("core:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Harbour Youth Centre" in text and "Hill Youth Centre" in text


@pytest.mark.django_db
def test_home_explains_what_to_do_without_any_role(db: None) -> None:
    nobody = User.objects.create_user(email="n@example.org", password="x" * 12, full_name="N")
    client = Client()
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    text = client.get(reverse("core:home")).content.decode()
    assert "You do not have a role in any place yet." in text


@pytest.mark.django_db
def test_anonymous_visitors_get_their_browser_language() -> None:
    page = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="lv,en;q=0.5")
    assert '<html lang="lv">' in page.content.decode()


@pytest.mark.django_db
def test_switching_language_sets_the_cookie_and_the_profile(world: World, login, walter) -> None:
    client = login(walter)
    response = client.post(
        reverse("core:set_language"), {"language": "fi", "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    assert response.cookies["impactlog_language"].value == "fi"
    walter.refresh_from_db()
    assert walter.language == "fi"
    assert '<html lang="fi">' in client.get("/accounts/profile/").content.decode()


@pytest.mark.django_db
def test_switching_language_ignores_unknown_languages_and_foreign_targets() -> None:
    client = Client()
    response = client.post(
        reverse("core:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "impactlog_language" not in response.cookies


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()
    assert "style=" not in response.content.decode()


@pytest.mark.django_db
def test_a_forged_post_without_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_bad_host_header_is_a_400_not_an_error(settings) -> None:
    settings.DEBUG = False
    response = Client().get(reverse("accounts:login"), HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.django_db
def test_not_found_pages_use_the_site_layout_without_details(settings) -> None:
    settings.DEBUG = False
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text and "Traceback" not in text


def test_the_suite_runs_on_the_database_it_was_given() -> None:
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postg") else "sqlite"
    assert connection.vendor == expected
