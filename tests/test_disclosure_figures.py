"""Protected figures on every output: who sees which numbers, and the attacks of issue 9.

A worker or manager of a unit sees the unit's figures exactly; a coordinator, a viewer and an
administrator get protected figures on the page, in the chart's data, in the CSV and the XLSX, all
from one decision per network and year. The attacker of tests/test_disclosure_engine.py is then
given every table a coordinator can download for a municipality and a year.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity
from impactlog.tenancy.disclosure import (
    ENGINE_VERSION,
    Protection,
    Reason,
    Relation,
    calendar_year,
)
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.models import DisclosedCells, DisclosureChanges, DisclosureDecision
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person
from .logbook_fixtures import MONDAY, record
from .logbook_io_helpers import _body, _csv
from .test_disclosure_engine import intervals, pinned_by_labels

OCTOBER = {"kind": "month", "start": "2026-10-01"}
SMALL = {("girls", "13_15"): 3, ("boys", "16_18"): 7, ("boys", "13_15"): 12}


@pytest.fixture
def small(walter: User, activity: Activity) -> None:
    """One October evening at Harbour Youth Centre with 3 girls of 13–15 among 22 visitors."""
    record(walter, activity, counts=SMALL)


def _page(client: Client, node_pk: int, **params: str) -> Any:
    return client.get(reverse("logbook:figures", args=[node_pk]), params)


def _chart_values(svg_uri: str) -> list[float]:
    """The values the chart draws, read from its SVG (Vega labels every bar for screen readers)."""
    svg = base64.b64decode(svg_uri.split(",", 1)[1]).decode("utf-8")
    values = []
    for label in re.findall(r'aria-label="([^"]*; label: [^"]*)"', svg):
        # "Visits: 15; label: 13–15; series: This month": the value is the one part not named
        # label or series, whatever the language calls it
        for part in label.split("; "):
            name, _, value = part.partition(": ")
            if name not in ("label", "series") and re.fullmatch(r"[0-9.]+", value):
                values.append(float(value))
    assert svg.count("; label: ") == len(values), "a bar whose value the test cannot read"
    return values


def _page_cell(response: Any, band_label: str, gender_index: int) -> Any:
    (panel,) = response.context["panels"]
    for label, values, _total in panel.breakdown:
        if label == band_label:
            return values[gender_index]
    raise AssertionError(band_label)


def _xlsx(response: Any) -> dict[str, Any]:
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def _downloads(client: Client, node_pk: int, params: dict[str, str]) -> dict[str, dict]:
    csv_rows = _csv(client.get(reverse("logbook:export_figures_csv", args=[node_pk]), params))
    return {
        "csv": {row["metric"]: row["value"] for row in csv_rows},
        "xlsx": _xlsx(client.get(reverse("logbook:export_figures_xlsx", args=[node_pk]), params)),
    }


@pytest.mark.parametrize("persona", ["carl", "vera", "alice"])
def test_no_small_count_reaches_people_without_records_rights(
    request: pytest.FixtureRequest, persona: str, small: None, world: World, login: Any
) -> None:
    client = login(request.getfixturevalue(persona))
    for node in (world.harbour, world.region):
        response = _page(client, node.pk, **OCTOBER)
        assert response.status_code == 200
        girls = _page_cell(response, "13–15", 0)
        assert girls.hidden == "primary" and girls.text == "fewer than 5"
        assert "fewer than 5" in response.content.decode()
        # the chart of an October month is by age band: 13–15 holds 15, 16–18 holds 7
        (panel,) = response.context["panels"]
        drawn = _chart_values(panel.chart)
        assert drawn and not [v for v in drawn if 0 < v < 5]
        files = _downloads(client, node.pk, OCTOBER)
        for name, values in files.items():
            assert values["visits_girls_13_15"] == "<5", name
            small = {
                metric: value
                for metric, value in values.items()
                if metric.startswith(("visits", "youth_producers")) and str(value) in "1234"
            }
            assert small == {}, name
        # the page and both files say the same of every count
        assert files["csv"]["visits_boys_16_18"] == str(files["xlsx"]["visits_boys_16_18"])


@pytest.mark.parametrize("persona", ["walter", "maria"])
def test_the_people_who_recorded_them_see_the_figures_exactly(
    request: pytest.FixtureRequest, persona: str, small: None, world: World, login: Any
) -> None:
    client = login(request.getfixturevalue(persona))
    response = _page(client, world.harbour.pk, **OCTOBER)
    assert _page_cell(response, "13–15", 0).text == "3"
    (panel,) = response.context["panels"]
    assert 7.0 in _chart_values(panel.chart)
    files = _downloads(client, world.harbour.pk, OCTOBER)
    assert files["csv"]["visits_girls_13_15"] == "3"
    assert files["xlsx"]["visits_girls_13_15"] == 3


def test_a_count_the_labels_would_give_away_reads_not_shown_everywhere(
    small: None, world: World, carl: User, login: Any
) -> None:
    """Where even "fewer than 5" would pin a count, the engine takes the label away
    (`Reason.WITHHELD`, tested in test_disclosure_engine.py): the page, the chart and both files
    say "not shown" the same way, and say nothing of the size."""
    client = login(carl)
    _page(client, world.harbour.pk, **OCTOBER)
    with unscoped():
        kept = DisclosedCells.all_objects.get(
            node=world.harbour, decision__year=2026, decision__family="logbook"
        )
        kept.cells["2026-10"]["girls.13_15"] = "withheld"
        kept.save(update_fields=["cells"])
    response = _page(client, world.harbour.pk, **OCTOBER)
    girls = _page_cell(response, "13–15", 0)
    assert (girls.hidden, girls.text) == ("withheld", "not shown")
    assert '<a class="protected withheld" href="#small-numbers">not shown</a>' in (
        response.content.decode()
    )
    rows = _csv(client.get(reverse("logbook:export_figures_csv", args=[world.harbour.pk]), OCTOBER))
    (row,) = [row for row in rows if row["metric"] == "visits_girls_13_15"]
    assert row["value"] == "x" and row["note"].startswith("not shown, small or large")
    assert _downloads(client, world.harbour.pk, OCTOBER)["xlsx"]["visits_girls_13_15"] == "x"


def test_the_one_day_attack_is_refused(small: None, world: World, carl: User, login: Any) -> None:
    """A one-day or one-week period could show a single session: not for aggregate roles."""
    client = login(carl)
    for params in (
        {"kind": "custom", "start": "2026-10-05", "end": "2026-10-05"},
        {"kind": "week", "start": "2026-10-05"},
    ):
        assert _page(client, world.harbour.pk, **params).status_code == 400
        csv_url = reverse("logbook:export_figures_csv", args=[world.harbour.pk])
        assert client.get(csv_url, params).status_code == 400
    page = _page(client, world.harbour.pk).content.decode()
    assert 'value="custom"' not in page and 'value="week"' not in page


def test_the_worker_still_chooses_any_day(
    small: None, world: World, walter: User, login: Any
) -> None:
    day = {"kind": "custom", "start": "2026-10-05", "end": "2026-10-05"}
    response = _page(login(walter), world.harbour.pk, **day)
    assert response.status_code == 200
    assert _page_cell(response, "13–15", 0).text == "3"


def test_a_decision_is_made_once_and_renewed_when_records_change(
    small: None, world: World, walter: User, activity: Activity, carl: User, login: Any
) -> None:
    client = login(carl)
    _page(client, world.harbour.pk, **OCTOBER)
    with unscoped():
        decision = DisclosureDecision.all_objects.get(
            network=world.network, year=2026, family="logbook"
        )
    first = decision.decided_at
    _page(client, world.region.pk, **OCTOBER)
    decision.refresh_from_db()
    assert decision.decided_at == first  # asked twice: the same decision, not decided again
    record(walter, activity, MONDAY + dt.timedelta(days=1), counts={("girls", "13_15"): 4})
    assert _changes(world) == decision.decided_changes + 1  # out of date until decided again
    response = _page(client, world.harbour.pk, **OCTOBER)
    decision.refresh_from_db()
    assert _changes(world) == decision.decided_changes
    # 3 + 4 = 7 girls of 13–15 now: no longer small
    assert _page_cell(response, "13–15", 0).text == "7"


def test_a_decision_of_another_version_of_the_engine_is_made_again(
    small: None, world: World, carl: User, login: Any
) -> None:
    """After an upgrade that changes what the engine decides, no page keeps showing what the old
    one decided (it may have left a count a newer one protects)."""
    client = login(carl)
    _page(client, world.harbour.pk, **OCTOBER)
    with unscoped():
        decision = DisclosureDecision.all_objects.get(
            network=world.network, year=2026, family="logbook"
        )
        assert decision.engine == ENGINE_VERSION
        DisclosureDecision.all_objects.filter(pk=decision.pk).update(engine=ENGINE_VERSION - 1)
        kept = DisclosedCells.all_objects.get(node=world.harbour, decision=decision)
        kept.cells["2026-10"]["girls.13_15"] = 3  # what an old engine might have shown
        kept.save(update_fields=["cells"])
    response = _page(client, world.harbour.pk, **OCTOBER)
    assert _page_cell(response, "13–15", 0).hidden == "primary"  # decided again, by this one
    decision.refresh_from_db()
    assert decision.engine == ENGINE_VERSION and decision.decided_changes == _changes(world)


def test_an_out_of_date_decision_is_shown_as_such_while_a_worker_decides(
    small: None, world: World, walter: User, activity: Activity, carl: User, login: Any, settings
) -> None:
    client = login(carl)
    _page(client, world.harbour.pk, **OCTOBER)
    record(walter, activity, MONDAY + dt.timedelta(days=1), counts={("girls", "13_15"): 4})
    # with a task worker the page does not wait: it shows the decision it has, and says so
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = _page(client, world.harbour.pk, **OCTOBER)
    (panel,) = response.context["panels"]
    assert "being brought up to date" in panel.notice
    assert _page_cell(response, "13–15", 0).hidden == "primary"  # the old decision's cell
    with unscoped():
        DisclosureDecision.all_objects.all().delete()
    response = _page(client, world.harbour.pk, **OCTOBER)
    (panel,) = response.context["panels"]
    assert "being prepared" in panel.notice
    assert _page_cell(response, "13–15", 0).text == "…"
    csv_url = reverse("logbook:export_figures_csv", args=[world.harbour.pk])
    assert client.get(csv_url, OCTOBER).status_code == 503


def _changes(world: World) -> int:
    with unscoped():
        return DisclosureChanges.all_objects.get(network=world.network).count


def test_every_write_path_marks_the_decisions_out_of_date(
    small: None, world: World, walter: User, activity: Activity, alice: User
) -> None:
    from impactlog.logbook import services
    from impactlog.structure import services as structure

    seen = [_changes(world)]  # the fixture's session
    with unscoped():
        session = record(walter, activity, MONDAY + dt.timedelta(days=2), total=8)
        seen.append(_changes(world))
        services.delete_session(walter, session)
        seen.append(_changes(world))
        structure.create_node(
            alice, world.region, name="New Centre", slug="new", kind="unit", country="LV"
        )
        seen.append(_changes(world))
        structure.move_node(alice, world.hill, world.network)
        seen.append(_changes(world))
        vera = make_person("vera2@example.org", "Vera Two", world.region, Role.VIEWER)
        seen.append(_changes(world))  # who sees what exactly changes what must be hidden
        structure.grant_role(alice, vera, world.harbour, Role.WORKER)
        seen.append(_changes(world))
    assert seen == list(range(seen[0], seen[0] + 7))


def test_a_task_worker_decides_outside_any_request(small: None, world: World) -> None:
    """A worker process runs the task with no request and no scope around it."""
    from impactlog.logbook.figures.protection import FAMILY, decide_figures

    decide_figures.call(world.network.pk, 2026)
    with unscoped():
        decided = disclosure_store.disclosed(world.harbour, FAMILY, [2026])[2026]
    assert decided.current and decided.cells is not None
    assert decided.cells["2026-10"]["girls.13_15"] == "primary"


def _raise_visits_threshold_to_8(alice: User, world: World) -> None:
    from impactlog.network.services import Thresholds, update_settings

    with unscoped():
        update_settings(
            alice,
            world.network,
            plausible_participants=300,
            thresholds=Thresholds(visits=8, people=5, annual_survey=15, other_surveys=5),
        )


def test_the_network_threshold_decides_what_is_small(
    small: None, world: World, alice: User, carl: User, login: Any
) -> None:
    client = login(carl)
    assert _page_cell(_page(client, world.harbour.pk, **OCTOBER), "16–18", 1).hidden != "primary"
    _raise_visits_threshold_to_8(alice, world)
    response = _page(client, world.harbour.pk, **OCTOBER)
    boys = _page_cell(response, "16–18", 1)  # 7 boys of 16–18: small under a threshold of 8
    assert (boys.hidden, boys.text) == ("primary", "fewer than 8")
    assert _downloads(client, world.harbour.pk, OCTOBER)["csv"]["visits_boys_16_18"] == "<8"


def test_a_decision_made_with_another_threshold_is_never_shown(
    small: None, world: World, alice: User, carl: User, login: Any, settings: Any
) -> None:
    """Raised from 5 to 8, the 7 boys would show until the worker decides again: not at all."""
    client = login(carl)
    assert _page_cell(_page(client, world.harbour.pk, **OCTOBER), "16–18", 1).hidden != "primary"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _raise_visits_threshold_to_8(alice, world)
    response = _page(client, world.harbour.pk, **OCTOBER)
    assert _page_cell(response, "16–18", 1).hidden == "pending"
    assert "being prepared" in response.context["panels"][0].notice
    csv_url = reverse("logbook:export_figures_csv", args=[world.harbour.pk])
    assert client.get(csv_url, OCTOBER).status_code == 503


def test_a_worker_who_also_views_the_municipality_cannot_subtract_her_own_centre(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    """Walter sees Harbour exactly and, as a viewer of the municipality, its protected figures:
    the municipality less Harbour must not give back Hill's 3 girls."""
    from impactlog.logbook.services import create_activity
    from impactlog.structure.services import grant_role

    hilda = make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)
    with unscoped():
        hill_club = create_activity(hilda, world.hill, name="Hill club", kind="group")
        grant_role(None, walter, world.region, Role.VIEWER)
    record(walter, activity, counts={("girls", "13_15"): 20, ("boys", "13_15"): 20})
    record(hilda, hill_club, counts={("girls", "13_15"): 3, ("boys", "13_15"): 20})
    client = login(walter)
    harbour = _downloads(client, world.harbour.pk, OCTOBER)["csv"]
    region = _downloads(client, world.region.pk, OCTOBER)["csv"]
    hill = _downloads(client, world.hill.pk, OCTOBER)["csv"]
    assert harbour["visits_girls_13_15"] == "20"  # his own centre, exactly
    assert hill["visits_girls_13_15"] == "<5"
    assert not region["visits_girls_13_15"].isdigit()  # 23 - 20 would give the 3 back


# The attacks across tables, on real records.

GENDERS = ("girls", "boys", "non_binary", "not_stated")
BANDS = ("u13", "13_15", "16_18", "19_24", "25_29", "unknown")
MODES = ("on_site", "online", "hybrid", "outdoors")


def _positions() -> list[str]:
    grid = [f"visits_{g}_{b}" for g in GENDERS for b in BANDS]
    return [
        *grid,
        *(f"visits_{g}" for g in GENDERS),
        *(f"visits_age_{b}" for b in BANDS),
        "visits",
        "visits_without_breakdown",
        *(f"visits_mode_{m}" for m in MODES),
    ]


def _table_relations(node: str, period: str) -> list[Relation]:
    """What the reader knows adds up within one download (written here, not by the engine)."""

    def k(metric: str) -> tuple[str, str, str]:
        return (node, period, metric)

    relations = [Relation(k(f"visits_{g}"), [k(f"visits_{g}_{b}") for b in BANDS]) for g in GENDERS]
    relations += [
        Relation(k(f"visits_age_{b}"), [k(f"visits_{g}_{b}") for g in GENDERS]) for b in BANDS
    ]
    extra = [k("visits_without_breakdown")]
    relations.append(Relation(k("visits"), [*(k(f"visits_{g}") for g in GENDERS), *extra]))
    relations.append(Relation(k("visits"), [*(k(f"visits_age_{b}") for b in BANDS), *extra]))
    relations.append(Relation(k("visits"), [k(f"visits_mode_{m}") for m in MODES]))
    return relations


def _calendar_params(period: str) -> dict[str, str]:
    if len(period) == 4:
        return {"kind": "year", "start": f"{period}-01-01"}
    year, part = period.split("-")
    if part.startswith("H"):
        return {"kind": "half", "start": f"{year}-{1 if part == 'H1' else 7:02d}-01"}
    if part.startswith("Q"):
        return {"kind": "quarter", "start": f"{year}-{3 * int(part[1]) - 2:02d}-01"}
    return {"kind": "month", "start": f"{year}-{part}-01"}


def test_no_hidden_count_can_be_worked_out_from_every_table_a_coordinator_can_download(
    world: World, walter: User, activity: Activity, carl: User, login: Any
) -> None:
    """Subtracting Hill from the municipality, or two months from their quarter, gives nothing
    back: the attacker solves the linear programmes over every download at once."""
    import random

    from impactlog.logbook.models import Activity as ActivityModel
    from impactlog.logbook.services import create_activity

    hilda = make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)
    with unscoped():
        hill_club = create_activity(hilda, world.hill, name="Hill club", kind="group")
    rng = random.Random(9)
    for who, what in ((walter, activity), (hilda, hill_club)):
        for month in range(1, 13):
            for evening in range(rng.choice([1, 2])):
                counts = {
                    (g, b): int(rng.expovariate(1 / 4)) for g in GENDERS[:2] for b in BANDS[:3]
                }
                if sum(counts.values()):
                    record(who, what, dt.date(2025, month, 3 + 7 * evening), counts=counts)
    assert isinstance(hill_club, ActivityModel)

    client = login(carl)
    region_manager = make_person("rita@example.org", "Rita Region", world.region, Role.MANAGER)
    truth_client = Client()
    truth_client.force_login(region_manager, backend="django.contrib.auth.backends.ModelBackend")
    places = {"region": world.region.pk, "harbour": world.harbour.pk, "hill": world.hill.pk}
    periods = calendar_year(2025)
    shown: dict[tuple, int] = {}
    hidden: dict[tuple, Reason] = {}
    truth: dict[tuple, int] = {}
    relations: list[Relation] = []
    for name, pk in places.items():
        for period in periods:
            params = _calendar_params(period)
            rows = _csv(client.get(reverse("logbook:export_figures_csv", args=[pk]), params))
            got = {row["metric"]: row["value"] for row in rows}
            notes = {row["metric"]: row["note"] for row in rows}
            exact = _downloads(truth_client, pk, params)["csv"]
            for metric in _positions():
                key = (name, period, metric)
                truth[key] = int(exact[metric])
                if got[metric].isdigit():
                    assert int(got[metric]) == truth[key]
                    shown[key] = truth[key]
                elif got[metric].startswith("<"):
                    hidden[key] = Reason.PRIMARY
                else:  # "x": hidden (5 or more), or "not shown" (no size), as its note says
                    withheld = notes[metric].startswith("not shown")
                    hidden[key] = Reason.WITHHELD if withheld else Reason.SECONDARY
            relations += _table_relations(name, period)
            for metric in _positions():
                parts = periods[period]
                if parts:
                    relations.append(
                        Relation((name, period, metric), [(name, p, metric) for p in parts])
                    )
            if name == "region":
                for metric in _positions():
                    relations.append(
                        Relation(
                            ("region", period, metric),
                            [(n, period, metric) for n in ("harbour", "hill")],
                        )
                    )
    assert any(reason is Reason.PRIMARY for reason in hidden.values())
    protection = Protection(truth, hidden, 5)
    found = intervals(truth, relations, protection)
    small = {
        key: span
        for key, span in found.items()
        if 0 < truth[key] < 5 and span[1] - span[0] < 5 - 1e-6
    }
    assert small == {}
    # and one who also reads "fewer than 5" as 0..4 and "hidden" as 5 or more pins none
    assert pinned_by_labels(truth, relations, protection) == {}


# Every output a person without records rights can reach is listed here, in one of two lists.

#: Outputs of counts of young people: protected for these roles (the tests above, per output).
FIGURE_OUTPUTS = {
    "logbook:figures": "the page, its chart and the chart's data table",
    "logbook:export_figures_csv": "the figures CSV",
    "logbook:export_figures_xlsx": "the figures XLSX",
    # Protected with the network's survey thresholds: tests/test_survey_results*.py.
    "results:page": "a survey's results, by gender, age band, unit and period",
}
#: Pages these roles reach that show no count of young people, each with the reason.
NO_COUNTS = {
    "structure:node": "a place's name, kind and the places inside it",
    "structure:tree": "the tree of places",
    "structure:add": "a form for a new place",
    "structure:edit": "a form for a place",
    "structure:move": "a form to move a place",
    "structure:archive": "a confirmation",
    "structure:restore": "a confirmation",
    "structure:members": "the people who hold roles",
    "structure:invite": "a form for an invitation",
    "structure:member_edit": "a form for a role",
    "structure:member_remove": "a confirmation",
    "structure:invitation_revoke": "a confirmation",
    "structure:audit": "who changed what; the values of records only with records rights",
    "logbook:export": "the download page: a form, no figures",
    "jobs:status": "a job's progress; each kind of job asks for its own permission",
    "jobs:download": "a job's file; each kind of job asks for its own permission",
    "glossary:definitions": "the network's definitions",
    "glossary:definition_questions": "questions on definitions",
    "glossary:definition": "one definition",
    "glossary:definition_edit": "a form for a definition",
    "glossary:definition_ask": "a form for a question",
    "glossary:definition_answer": "a form for an answer",
    "network:settings": "the network's settings",
    "network:topic_add": "a form for a topic",
    "network:topic_archive": "a confirmation",
    "network:reflection": "the network's reflection questions",
    "network:reflection_archive": "a confirmation",
    "participants:settings": "which details of young people the organisation keeps, its home areas",
    "participants:notice": "the organisation's privacy notice",
    "progress:competences": "the names of the organisation's own competences",
    # kiosk.manage is held only by managers, who hold the records rights too (tenancy/roles.py).
    "kiosk:devices": "a unit's kiosks and what each sent, for the unit's managers only",
    "surveys:list": "each survey's number of answers, a count and never a result",
    "kiosk:code": "a pairing code, for the unit's managers only",
    "kiosk:revoke": "a confirmation, for the unit's managers only",
    # A survey's questions and its upload form: no answers, no counts.
    "xlsform:import": "a form to upload an XLSForm workbook, and the problems found in it",
    "xlsform:download": "a survey's questions as an XLSForm workbook, no answers",
    # Not a figure of the logbook: no gender, age, place or period below the organisation.
    "participants:retention": "how many records the next retention run anonymises in the whole "
    "organisation; aliases only with personal.view at their unit",
}
# surveys.answers reads single answers (the answers' download and codebook): a unit's records.
RECORDS_RIGHTS = {
    "records.view",
    "records.edit",
    "personal.view",
    "personal.edit",
    "surveys.answers",
}


def test_every_output_for_people_without_records_rights_is_protected_or_shows_no_counts() -> None:
    """A new page or download that coordinators, viewers or administrators can open must be
    listed: among the protected figure outputs (and tested above) or among those without counts."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def named(resolver: URLResolver, namespace: str = "") -> Any:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from named(pattern, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}", pattern.callback

    reachable = {
        name
        for name, view in named(get_resolver())
        if getattr(view, "required_perm", None) not in (None, *RECORDS_RIGHTS)
    }
    assert reachable == set(FIGURE_OUTPUTS) | set(NO_COUNTS)
    assert not set(FIGURE_OUTPUTS) & set(NO_COUNTS)
