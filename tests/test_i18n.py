"""Every language is complete: no untranslated or fuzzy message, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _entries(path: Path) -> list[dict[str, object]]:
    """A small .po reader: flags, msgid and every msgstr of each entry."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, ""
            continue
        if line.startswith("#,"):
            current["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current.get(key, "")) + line[1:-1]
        else:
            key, _space, value = line.partition(" ")
            current[key] = value[1:-1]
    return entries


def test_every_interface_language_has_a_catalogue() -> None:
    assert [code for code, _n in settings.LANGUAGES] == ["en", "lv", "lt", "et", "sl", "sv", "fi"]
    for code in LANGUAGES:
        assert (LOCALE / code / "LC_MESSAGES" / "django.po").exists(), code


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_catalogue_is_complete_and_keeps_placeholders(code: str) -> None:
    entries = _entries(LOCALE / code / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    problems = []
    for entry in entries:
        msgid = str(entry.get("msgid", ""))
        if "fuzzy" in str(entry.get("flags", "")):
            problems.append(f"fuzzy: {msgid or 'header'}")
        if not msgid:
            continue
        translations = [str(v) for k, v in entry.items() if k.startswith("msgstr")]
        wanted = set(re.findall(r"%\(\w+\)s", msgid + str(entry.get("msgid_plural", ""))))
        for text in translations:
            if not text:
                problems.append(f"untranslated: {msgid}")
            elif set(re.findall(r"%\(\w+\)s", text)) - wanted:
                problems.append(f"unknown placeholder: {msgid}")
        if translations and all(
            wanted and not set(re.findall(r"%\(\w+\)s", t)) for t in translations if t
        ):
            problems.append(f"placeholders dropped: {msgid}")
    assert problems == []
