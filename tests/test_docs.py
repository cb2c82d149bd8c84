"""The documentation is part of the product: it must match the code."""

from __future__ import annotations

import re
from pathlib import Path

from impactlog.structure.demo_world import DEMO_PASSWORD, PEOPLE

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_gives_the_two_commands_and_every_demo_login() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert DEMO_PASSWORD in readme
    for person in PEOPLE:
        assert person.email in readme, person.email


def test_every_setting_read_from_the_environment_is_documented() -> None:
    settings_source = (ROOT / "impactlog" / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"((?:IMPACTLOG_|DATABASE_URL)[A-Z_]*)"', settings_source))
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert names, "no settings found"
    assert sorted(name for name in names if name not in deploy) == []


def test_relative_links_in_the_docs_lead_somewhere() -> None:
    broken = []
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.name} -> {target}")
    assert broken == []
