"""The demo world: a cross-border youth-centre network, two municipalities, two NGOs and one
person for every role. Every demo password is `impactlog-demo`."""

from __future__ import annotations

from dataclasses import dataclass, field

from impactlog.tenancy.models import NodeKind
from impactlog.tenancy.roles import Role

DEMO_PASSWORD = "impactlog-demo"


@dataclass
class PlaceSpec:
    slug: str
    name: str
    kind: str
    country: str
    language: str
    time_zone: str
    children: list[PlaceSpec] = field(default_factory=list)


def _unit(slug: str, name: str, country: str, language: str, tz: str) -> PlaceSpec:
    return PlaceSpec(slug, name, NodeKind.UNIT, country, language, tz)


RIGA, VILNIUS_TZ, TALLINN = "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn"

WORLD = [
    PlaceSpec(
        "baltic-youth-centres",
        "Baltic Youth Centre Network",
        NodeKind.NETWORK,
        "LV",
        "lv",
        RIGA,
        [
            PlaceSpec(
                "riga",
                "Riga City",
                NodeKind.REGION,
                "LV",
                "lv",
                RIGA,
                [
                    _unit("agenskalns", "Āgenskalns Youth Centre", "LV", "lv", RIGA),
                    _unit("imanta", "Imanta Youth Centre", "LV", "lv", RIGA),
                    _unit("purvciems", "Purvciems Youth Space", "LV", "lv", RIGA),
                    _unit("ziepniekkalns", "Ziepniekkalns Youth House", "LV", "lv", RIGA),
                ],
            ),
            PlaceSpec(
                "kaunas",
                "Kaunas District Municipality",
                NodeKind.REGION,
                "LT",
                "lt",
                VILNIUS_TZ,
                [
                    _unit("silainiai", "Šilainiai Open Youth Centre", "LT", "lt", VILNIUS_TZ),
                    _unit("dainava", "Dainava Youth Space", "LT", "lt", VILNIUS_TZ),
                    _unit("aleksotas", "Aleksotas Youth Centre", "LT", "lt", VILNIUS_TZ),
                ],
            ),
        ],
    ),
    PlaceSpec(
        "science-lab-riga",
        "Science Lab Riga",
        NodeKind.ORGANISATION,
        "LV",
        "lv",
        RIGA,
        [
            _unit("science-saturdays", "Science Saturdays (ages 8 to 12)", "LV", "lv", RIGA),
            _unit("teen-science-club", "Teen Science Club", "LV", "lv", RIGA),
        ],
    ),
    PlaceSpec(
        "youth-exchange-estonia",
        "Youth Exchange Estonia",
        NodeKind.ORGANISATION,
        "EE",
        "et",
        TALLINN,
        [
            _unit("exchange-year", "Exchange Year Programme", "EE", "et", TALLINN),
            _unit("volunteers", "Volunteer Programme", "EE", "et", TALLINN),
        ],
    ),
]


@dataclass
class PersonSpec:
    email: str
    full_name: str
    language: str
    place: str  # slug path from the root, e.g. "baltic-youth-centres/riga"
    role: str
    description: str


PEOPLE = [
    PersonSpec(
        "aija@example.org",
        "Aija Bērziņa",
        "lv",
        "baltic-youth-centres",
        Role.ADMIN,
        "network administrator",
    ),
    PersonSpec(
        "lukas@example.org",
        "Lukas Petrauskas",
        "lt",
        "baltic-youth-centres",
        Role.COORDINATOR,
        "network coordinator",
    ),
    PersonSpec(
        "ilze@example.org",
        "Ilze Ozola",
        "lv",
        "baltic-youth-centres/riga",
        Role.COORDINATOR,
        "Riga municipality youth coordinator",
    ),
    PersonSpec(
        "martins@example.org",
        "Mārtiņš Liepiņš",
        "lv",
        "baltic-youth-centres/riga/agenskalns",
        Role.MANAGER,
        "youth centre manager",
    ),
    PersonSpec(
        "anna@example.org",
        "Anna Kalniņa",
        "en",
        "baltic-youth-centres/riga/agenskalns",
        Role.WORKER,
        "youth worker",
    ),
    PersonSpec(
        "viktors@example.org",
        "Viktors Zariņš",
        "lv",
        "baltic-youth-centres/riga",
        Role.VIEWER,
        "city council viewer",
    ),
    PersonSpec(
        "elina@example.org",
        "Elīna Krūmiņa",
        "lv",
        "science-lab-riga",
        Role.MANAGER,
        "NGO programme manager",
    ),
    PersonSpec(
        "kadri@example.org",
        "Kadri Tamm",
        "et",
        "youth-exchange-estonia",
        Role.ADMIN,
        "NGO administrator and impact lead",
    ),
]
