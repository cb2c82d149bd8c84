"""What the tests of progress share: young people registered at Harbour (Fox and Owl), one at
Hill (Elk) and one in the other organisation (Otter), each with a registration consent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from impactlog.participants.models import Participant
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import publish, register


@dataclass
class People:
    fox: Participant
    owl: Participant
    elk: Participant
    otter: Participant


@pytest.fixture
def people(world: World) -> People:
    with unscoped():
        publish(world.region)
        publish(world.other_org)
        return People(
            fox=register(None, world.harbour, "Fox"),
            owl=register(None, world.harbour, "Owl"),
            elk=register(None, world.hill, "Elk"),
            otter=register(None, world.other_club, "Otter"),
        )
