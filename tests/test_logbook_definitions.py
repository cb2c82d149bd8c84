"""The network's glossary: default definitions, versioned edits, questions and the help tag."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.glossary import services as definitions
from impactlog.glossary.defaults import DEFAULT_DEFINITIONS, DEFAULTS
from impactlog.glossary.models import Definition, DefinitionQuestion, DefinitionVersion
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person

DOCS = Path(__file__).resolve().parent.parent / "docs" / "definitions.md"


@pytest.fixture
def nina(world: World) -> User:
    """Coordinator of the whole network: she keeps its definitions."""
    return make_person("nina@example.org", "Nina Network", world.network, Role.COORDINATOR)


def _url(name: str, node_pk: int, *args: Any) -> str:
    return reverse(f"glossary:{name}", args=[node_pk, *args])


def _visit(world: World) -> Definition:
    with unscoped():
        definitions.ensure_glossary(world.network)
    return Definition.all_objects.get(node=world.network, key="visit")


def _edit(client: Any, world: World, key: str = "visit", **data: Any) -> Any:
    with unscoped():
        definitions.ensure_glossary(world.network)
    version = Definition.all_objects.get(node=world.network, key=key).version
    form = {"term": "Visit", "text": "One young person in one session.", "version": version}
    form.update(data)
    return client.post(_url("definition_edit", world.harbour.pk, key), form)


def _ask(user: User, world: World, text: str = "Does a sibling waiting count?") -> Any:
    with unscoped():
        return definitions.ask_question(user, _visit(world), world.harbour, text)


# Defaults


def test_a_network_gets_the_default_definitions_when_it_is_created(
    world: World, walter: User, login: Any
) -> None:
    stored = Definition.all_objects.filter(node=world.network)
    assert sorted(stored.values_list("key", flat=True)) == sorted(DEFAULTS)
    assert all(d.is_default and d.version == 1 for d in stored)
    assert DefinitionVersion.all_objects.filter(definition__node=world.network).count() == len(
        DEFAULTS
    )
    assert AuditEntry.all_objects.filter(action="definitions.created", node=world.network).count()

    response = login(walter).get(_url("definitions", world.harbour.pk))

    assert response.status_code == 200
    for default in DEFAULT_DEFINITIONS:
        assert str(default.term) in response.content.decode()
    assert stored.count() == len(DEFAULTS)
    assert AuditEntry.all_objects.filter(action="definitions.created").count() == 2  # two roots


def test_an_organisation_that_is_its_own_top_keeps_a_glossary_of_its_own(
    world: World, otto: User, walter: User, login: Any
) -> None:
    assert login(otto).get(_url("definitions", world.other_club.pk)).status_code == 200
    own = Definition.all_objects.filter(node=world.other_org)
    assert own.count() == len(DEFAULTS)
    network = Definition.all_objects.filter(node=world.network)
    assert not set(own.values_list("pk", flat=True)) & set(network.values_list("pk", flat=True))


def test_a_default_definition_is_shown_from_the_translatable_code_not_its_stored_copy(
    world: World,
) -> None:
    visit = _visit(world)
    assert visit.text == DEFAULTS["visit"].text  # the tests run in English, the source language
    assert visit.shown_text == DEFAULTS["visit"].text
    visit.text = "stale copy of an older release"
    assert visit.shown_text == DEFAULTS["visit"].text


# Editing


def test_a_network_coordinator_edits_a_definition_into_a_new_version_and_keeps_the_history(
    world: World, nina: User, login: Any
) -> None:
    text = "A visit is one young person in one session.\n\nStaff do not count."
    response = _edit(login(nina), world, text=text, note="Shorter, after the spring meeting")

    assert response.status_code == 302
    visit = Definition.all_objects.get(node=world.network, key="visit")
    assert (visit.version, visit.is_default, visit.text) == (2, False, text)
    versions = list(DefinitionVersion.all_objects.filter(definition=visit).order_by("version"))
    assert [(v.version, v.is_default) for v in versions] == [(1, True), (2, False)]
    assert versions[0].text == DEFAULTS["visit"].text
    assert (versions[1].changed_by, versions[1].note) == (nina, "Shorter, after the spring meeting")
    entry = AuditEntry.all_objects.get(action="definition.edited")
    assert entry.actor == nina and entry.node == world.network
    assert entry.changes["text"] == [DEFAULTS["visit"].text, text]
    assert entry.changes["version"] == [1, 2]

    page = login(nina).get(_url("definition", world.harbour.pk, "visit")).content.decode()
    assert "Staff do not count." in page
    assert "Shorter, after the spring meeting" in page
    assert "Wording of version 1" in page


def test_saving_a_default_unchanged_keeps_it_a_translated_default(
    world: World, nina: User, login: Any
) -> None:
    default = DEFAULTS["visit"]
    response = _edit(login(nina), world, term=str(default.term), text=default.text)

    assert response.status_code == 302
    visit = Definition.all_objects.get(node=world.network, key="visit")
    assert (visit.version, visit.is_default) == (1, True)
    assert not AuditEntry.all_objects.filter(action="definition.edited").exists()


def test_an_edit_made_over_a_newer_version_is_refused_with_a_message(
    world: World, nina: User, alice: User, login: Any
) -> None:
    _edit(login(alice), world, text="Alice's wording.")

    response = _edit(login(nina), world, text="Nina's wording.", version=1)

    assert response.status_code == 200
    assert "Someone else changed this definition" in response.content.decode()
    assert Definition.all_objects.get(node=world.network, key="visit").text == "Alice's wording."


def test_an_empty_definition_is_refused_with_an_explanation(
    world: World, nina: User, login: Any
) -> None:
    response = _edit(login(nina), world, text="   \r\n  ")

    assert response.status_code == 200
    assert "Write the definition: what counts and what does not." in response.content.decode()
    assert Definition.all_objects.get(node=world.network, key="visit").version == 1
    with pytest.raises(ValidationError) as error:
        definitions.edit_definition(nina, _visit(world), term="", text="")
    assert set(error.value.message_dict) == {"term", "text"}


def test_a_youth_worker_cannot_edit_a_definition_but_can_ask_about_it(
    world: World, walter: User, login: Any
) -> None:
    client = login(walter)
    assert client.get(_url("definition_edit", world.harbour.pk, "visit")).status_code == 403
    assert _edit(client, world, text="Anything goes.").status_code == 403
    with pytest.raises(PermissionDenied):
        definitions.edit_definition(walter, _visit(world), term="Visit", text="Anything goes.")

    response = client.post(
        _url("definition_ask", world.harbour.pk, "visit"),
        {"text": "A girl came at 15:00 and again at 19:00. One visit or two?"},
    )

    assert response.status_code == 302
    question = DefinitionQuestion.all_objects.get()
    assert (question.asked_by, question.place, question.is_answered) == (
        walter,
        world.harbour,
        False,
    )
    assert AuditEntry.all_objects.filter(action="definition.question_asked").count() == 1
    assert Definition.all_objects.get(node=world.network, key="visit").is_default


def test_a_municipality_coordinator_cannot_change_the_networks_definitions(
    world: World, carl: User, login: Any
) -> None:
    assert login(carl).get(_url("definition_edit", world.region.pk, "visit")).status_code == 403


def test_an_empty_question_is_refused_with_an_explanation(
    world: World, walter: User, login: Any
) -> None:
    _visit(world)
    response = login(walter).post(_url("definition_ask", world.harbour.pk, "visit"), {"text": " "})

    assert response.status_code == 200
    assert "Write your question" in response.content.decode()
    assert not DefinitionQuestion.all_objects.exists()


def test_an_outsider_finds_no_glossary_in_a_tree_not_their_own(
    world: World, otto: User, login: Any
) -> None:
    client = login(otto)
    for name, args in [
        ("definitions", []),
        ("definition", ["visit"]),
        ("definition_edit", ["visit"]),
        ("definition_questions", []),
    ]:
        assert client.get(_url(name, world.harbour.pk, *args)).status_code == 404, name
    response = client.post(_url("definition_ask", world.harbour.pk, "visit"), {"text": "Hi?"})
    assert response.status_code == 404
    assert not DefinitionQuestion.all_objects.exists()


def test_an_unknown_definition_is_not_found(world: World, walter: User, login: Any) -> None:
    assert login(walter).get(_url("definition", world.harbour.pk, "nope")).status_code == 404


# Questions


def test_an_answered_question_is_shown_to_every_member_and_an_open_one_only_to_coordinators(
    world: World,
    walter: User,
    maria: User,
    vera: User,
    nina: User,
    login: Any,
) -> None:
    answered = _ask(walter, world, "Does a sibling waiting at the door count?")
    _ask(walter, world, "Does a youth worker's own child count?")
    response = login(nina).post(
        _url("definition_answer", world.harbour.pk, "visit", answered.pk),
        {"answer": "No: waiting without taking part is not a visit."},
    )
    assert response.status_code == 302
    assert AuditEntry.all_objects.filter(action="definition.question_answered").count() == 1

    for member in (maria, vera):
        for page in (
            login(member).get(_url("definition", world.harbour.pk, "visit")),
            login(member).get(_url("definitions", world.harbour.pk)),
        ):
            text = page.content.decode()
            assert page.status_code == 200
            assert "Does a sibling waiting at the door count?" in text
            assert "waiting without taking part is not a visit" in text
            assert "own child" not in text
            assert "Walter Worker" not in text

    asker = login(walter).get(_url("definition", world.harbour.pk, "visit")).content.decode()
    assert "own child" in asker and "Waiting for an answer" in asker

    coordinator = login(nina)
    detail = coordinator.get(_url("definition", world.harbour.pk, "visit")).content.decode()
    assert "own child" in detail and "Walter Worker" in detail
    questions = coordinator.get(_url("definition_questions", world.harbour.pk))
    assert questions.status_code == 200
    waiting = questions.content.decode()
    assert "own child" in waiting and "sibling" not in waiting


def test_only_the_networks_coordinators_and_administrators_answer(
    world: World, walter: User, carl: User, alice: User, login: Any
) -> None:
    question = _ask(walter, world)
    url = _url("definition_answer", world.harbour.pk, "visit", question.pk)

    for person in (walter, carl):
        assert login(person).post(url, {"answer": "Yes."}).status_code == 403
    with pytest.raises(PermissionDenied):
        definitions.answer_question(walter, question, "Yes.")
    assert login(alice).post(url, {"answer": "No."}).status_code == 302
    assert DefinitionQuestion.all_objects.get().answer == "No."


def test_an_empty_answer_is_refused_and_a_question_answers_only_under_its_definition(
    world: World, walter: User, nina: User, login: Any
) -> None:
    question = _ask(walter, world)
    client = login(nina)

    response = client.post(
        _url("definition_answer", world.harbour.pk, "visit", question.pk), {"answer": ""}
    )
    assert response.status_code == 200
    assert "Write the answer that every member of the network will read." in (
        response.content.decode()
    )
    assert not DefinitionQuestion.all_objects.get().is_answered
    wrong = _url("definition_answer", world.harbour.pk, "visitor", question.pk)
    assert client.get(wrong).status_code == 404


# The help tag and reports


def _render_help(world: World, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        '{% load definitions %}{% definition_help "visit" node %}'
        '{% definition_help "youth-producer" node help_id="producer-help" %}'
        '{% definition_help "group-hour" node %}'
    )
    return template.render(Context({"node": world.harbour, "request": request}))


def test_the_help_tag_shows_the_current_definitions_with_one_query(
    world: World, nina: User, walter: User, django_assert_num_queries: Any
) -> None:
    with unscoped():
        definitions.edit_definition(
            nina,
            _visit(world),
            term="Visit",
            text="One young person in one session.\n\nStaff do not count.",
        )

    with django_assert_num_queries(1):
        html = _render_help(world, walter)

    assert "One young person in one session." in html
    assert "Staff do not count." not in html  # only the first paragraph stands by the field
    assert "A youth producer is a young person" in html
    assert 'id="producer-help"' in html
    assert _url("definition", world.harbour.pk, "visit") in html


def test_the_help_tag_shows_the_defaults_of_a_glossary_without_stored_rows(
    world: World, walter: User, django_assert_num_queries: Any
) -> None:
    Definition.all_objects.all().delete()  # a network from before the defaults were stored
    with django_assert_num_queries(1):
        html = _render_help(world, walter)

    assert "A visit is one young person taking part in one session." in html
    assert not Definition.all_objects.exists()


def test_the_help_tag_fails_loudly_on_an_unknown_key(world: World) -> None:
    template = Template('{% load definitions %}{% definition_help "vist" node %}')
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"node": world.harbour}))


def test_reports_get_the_definitions_their_figures_follow_in_reading_order(
    world: World, nina: User, django_assert_num_queries: Any
) -> None:
    with unscoped():
        definitions.edit_definition(nina, _visit(world), term="Visit", text="Our wording.")

    with django_assert_num_queries(1):
        entries = definitions.definitions_for(world.harbour)

    assert [entry.key for entry in entries] == [item.key for item in DEFAULT_DEFINITIONS]
    visit = next(entry for entry in entries if entry.key == "visit")
    assert (visit.text, visit.version, visit.is_default) == ("Our wording.", 2, False)


# Documentation


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_docs_explain_every_default_definition_word_for_word() -> None:
    docs = _words(DOCS.read_text(encoding="utf-8"))
    for default in DEFAULT_DEFINITIONS:
        assert f"### {default.term} Key: `{default.key}`" in docs, default.key
        for paragraph in default.paragraphs:
            assert _words(str(paragraph)) in docs, default.key
