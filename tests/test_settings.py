"""Production settings: no insecure defaults, and Django's deployment checks pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IMPACTLOG_") and k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_a_secret_key_stops_with_a_clear_message() -> None:
    result = _manage("check", IMPACTLOG_ENV="production", IMPACTLOG_ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "IMPACTLOG_SECRET_KEY is required" in result.stderr


def test_production_without_allowed_hosts_stops_with_a_clear_message() -> None:
    result = _manage("check", IMPACTLOG_ENV="production", IMPACTLOG_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "IMPACTLOG_ALLOWED_HOSTS is required" in result.stderr


def test_production_refuses_a_weak_secret_key() -> None:
    result = _manage(
        "check",
        IMPACTLOG_ENV="production",
        IMPACTLOG_SECRET_KEY="short",
        IMPACTLOG_ALLOWED_HOSTS="x.example",
    )
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


def test_an_unknown_environment_name_is_refused() -> None:
    result = _manage("check", IMPACTLOG_ENV="staging")
    assert result.returncode != 0
    assert "IMPACTLOG_ENV must be" in result.stderr


def test_deploy_check_passes_with_zero_warnings_in_production() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        IMPACTLOG_ENV="production",
        IMPACTLOG_SECRET_KEY=GOOD_KEY,
        IMPACTLOG_ALLOWED_HOSTS="impact.example.org",
        IMPACTLOG_EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_demo_command_refuses_to_run_in_production() -> None:
    result = _manage(
        "demo",
        IMPACTLOG_ENV="production",
        IMPACTLOG_SECRET_KEY=GOOD_KEY,
        IMPACTLOG_ALLOWED_HOSTS="impact.example.org",
        IMPACTLOG_EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode != 0
    assert "refusing in production" in result.stderr


def test_development_hashes_passwords_with_argon2() -> None:
    from django.conf import settings as django_settings

    # The suite swaps in a fast hasher; the configured one comes first in the real settings.
    import impactlog.config.settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_USER_MODEL == "accounts.User"
