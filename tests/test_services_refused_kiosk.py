"""Every service of the kiosk and its cards that an actor calls, called by someone without the
right on the object: PermissionDenied (Http404 never: the services are called directly), and
nothing written.

Pairing codes and revoking a device need `kiosk.manage` at the unit (its managers); issuing,
printing and revoking a young person's card need the right to their record at their home unit
(its workers and managers). Coordinators, viewers, administrators and another organisation
never. The device's own services (`pair_device`, `check_in`) have no actor: a device is refused
by its token, in test_kiosk_services.py and test_kiosk_api.py.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from impactlog.kiosk import services
from impactlog.kiosk.cards import services as cards
from impactlog.kiosk.cards.models import KioskCard
from impactlog.kiosk.models import CheckIn, KioskDevice, PairingCode
from impactlog.logbook.models import Activity
from impactlog.tenancy.roles import Role

from .conftest import World, make_person
from .progress_world import People
from .services_refused import Args, a, actor_services, params, refused_writing_nothing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

Case = tuple[str, Callable[..., Any], Callable[[SimpleNamespace], Args]]


@pytest.fixture
def c(  # type: ignore[no-untyped-def]
    world: World, people: People, drop_in: Activity, alice, carl, maria, walter, vera, otto
) -> SimpleNamespace:
    hilda = make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)
    _pairing, code = services.create_pairing_code(maria, drop_in)
    device, _token = services.pair_device(code, "Front desk")
    cards.issue_card(walter, people.fox)
    return SimpleNamespace(
        w=world,
        p=people,
        activity=drop_in,
        device=device,
        alice=alice,
        carl=carl,
        maria=maria,
        walter=walter,
        vera=vera,
        otto=otto,
        hilda=hilda,
    )


REFUSALS: list[Case] = [
    (
        "walter (a worker) makes a pairing code",
        services.create_pairing_code,
        lambda c: a(c.walter, c.activity),
    ),
    (
        "carl (coordinator) makes a pairing code",
        services.create_pairing_code,
        lambda c: a(c.carl, c.activity),
    ),
    (
        "alice (admin) makes a pairing code",
        services.create_pairing_code,
        lambda c: a(c.alice, c.activity),
    ),
    ("otto makes a pairing code", services.create_pairing_code, lambda c: a(c.otto, c.activity)),
    (
        "walter (a worker) revokes the kiosk",
        services.revoke_device,
        lambda c: a(c.walter, c.device),
    ),
    ("vera (viewer) revokes the kiosk", services.revoke_device, lambda c: a(c.vera, c.device)),
    ("otto revokes the kiosk", services.revoke_device, lambda c: a(c.otto, c.device)),
    ("carl (coordinator) issues Fox a card", cards.issue_card, lambda c: a(c.carl, c.p.fox)),
    ("alice (admin) issues Fox a card", cards.issue_card, lambda c: a(c.alice, c.p.fox)),
    ("vera (viewer) issues Fox a card", cards.issue_card, lambda c: a(c.vera, c.p.fox)),
    ("hilda (Hill's worker) issues Fox a card", cards.issue_card, lambda c: a(c.hilda, c.p.fox)),
    ("otto issues Fox a card", cards.issue_card, lambda c: a(c.otto, c.p.fox)),
    (
        "carl issues Harbour's missing cards",
        cards.issue_cards,
        lambda c: a(c.carl, c.w.harbour, [c.p.fox, c.p.owl]),
    ),
    (
        "hilda issues Harbour's missing cards",
        cards.issue_cards,
        lambda c: a(c.hilda, c.w.harbour, [c.p.fox, c.p.owl]),
    ),
    (
        "otto issues Harbour's missing cards",
        cards.issue_cards,
        lambda c: a(c.otto, c.w.harbour, [c.p.fox, c.p.owl]),
    ),
    ("carl prints Harbour's cards", cards.view_sheet, lambda c: a(c.carl, c.w.harbour)),
    ("alice prints Harbour's cards", cards.view_sheet, lambda c: a(c.alice, c.w.harbour)),
    ("hilda prints Harbour's cards", cards.view_sheet, lambda c: a(c.hilda, c.w.harbour)),
    ("otto prints Harbour's cards", cards.view_sheet, lambda c: a(c.otto, c.w.harbour)),
    ("carl revokes Fox's card", cards.revoke_card, lambda c: a(c.carl, c.p.fox)),
    ("vera revokes Fox's card", cards.revoke_card, lambda c: a(c.vera, c.p.fox)),
    ("hilda revokes Fox's card", cards.revoke_card, lambda c: a(c.hilda, c.p.fox)),
    ("otto revokes Fox's card", cards.revoke_card, lambda c: a(c.otto, c.p.fox)),
]

MODELS = [CheckIn, KioskCard, KioskDevice, PairingCode]


@pytest.mark.parametrize(("label", "service", "build"), params(REFUSALS))
def test_a_refused_service_call_writes_nothing(
    c: SimpleNamespace, label: str, service: Callable[..., Any], build: Callable[..., Args]
) -> None:
    refused_writing_nothing(MODELS, service, build(c))


def test_every_kiosk_service_with_an_actor_is_in_the_table() -> None:
    tabled = {service.__name__ for _label, service, _build in REFUSALS}
    assert actor_services(services) - tabled == set()
    assert actor_services(cards) - tabled == set()
    # the table knows both modules' services
    assert {"create_pairing_code", "revoke_device"} <= actor_services(services)
    assert {"issue_card", "issue_cards", "view_sheet", "revoke_card"} <= actor_services(cards)
