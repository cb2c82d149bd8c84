"""No 500 from bad input in a URL: every URL pattern of the project, as every persona,
anonymous included, with its path parameters filled with objects of the world (`targets`, shared
with the permission matrix) and with hostile values its converter lets through, and with hostile
values in every query parameter its view reads (years 0, 1 and 9999, huge and negative numbers,
non-ASCII digits, overlong strings, invalid UTF-8 escapes, empty and duplicated parameters).
Any 5xx fails; so does a URL the tests can neither fill nor find excused with a reason.

Deterministic: the values come in a fixed order, nothing is random. The hostile values are
sampled, not multiplied out: every URL × every persona × a handful of values, and the full lists
as one person who may use the page. The tables and the harness are in tests/bad_input_fuzz.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from tests import bad_input
from tests.bad_input import EDGE_DATES, HOSTILE, HOSTILE_SHORT, LONG, RAW_ESCAPES
from tests.bad_input_fuzz import (
    ALL_PARAMS,
    CHOICES,
    DOWNLOADS,
    EXCUSED,
    EXPECTED_GET,
    NO_FORM,
    PATH_VALUES,
    PATTERNS,
    PERSONAS,
    QUERY_PARAMS,
    TARGETS,
    Fuzz,
    base_values,
    fuzz_fixture,  # noqa: F401  (the fixture `fuzz`)
    path_of,
    report,
)
from tests.test_permission_matrix import targets  # noqa: F401  (the fixture)


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
    base = base_values(fuzz)
    for name in PATTERNS:
        if name in EXCUSED:
            continue
        path = path_of(name, fuzz)
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
    report(fuzz)
    # What the views read (noted by `bad_input.record_reads`) is what this test fills.
    unknown = {
        name: sorted(read - set(QUERY_PARAMS.get(name, [])))
        for name in PATTERNS
        if name not in EXCUSED and (read := bad_input.READ.get(path_of(name, fuzz), set()))
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
    report(fuzz)


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
