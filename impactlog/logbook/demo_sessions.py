"""A year of believable sessions for every demo unit, called by `manage.py demo`.

Every unit gets one to three activities that fit it and the sessions of the 365 days before today
(today itself is left for the demo's youth worker to log). The rhythm is that of real youth work:
drop-ins four or five evenings a week, clubs weekly in the school term, events monthly, a summer
dip with a fortnight's staff holiday, a Christmas break. Each centre has its own mix of girls and
boys and each programme its own ages. A generator seeded per unit makes the records the same on
every run; an activity that already has sessions is left alone, so loading twice adds nothing.

Activities, their target groups and opening hours, the places sessions are held at and the
notes are written in the unit's own language (`LOCAL`): a Latvian centre's activities have
Latvian names. A text without a translation for the unit's language stays in English.

Sessions are written in bulk, with one `demo.loaded` audit entry per unit instead of one per
session, so the whole demo loads in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity, ActivityKind, Session, SessionCount, SessionMode
from impactlog.structure.demo_world import PEOPLE
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped, validate

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# Relative attendance by month: a summer dip and a busy autumn.
SEASON = dict(enumerate([0.9, 1.0, 1.05, 1.0, 0.9, 0.75, 0.55, 0.6, 1.05, 1.1, 1.1, 0.95], 1))
NOTES = [
    "Quiet evening, exam week at the schools.",
    "Two new young people came with friends.",
    "Young people planned next month's event.",
    "Rain, so everyone stayed inside; board games all evening.",
    "A conflict between two groups was talked through.",
    "Visit from the municipality's youth affairs specialist.",
]


@dataclass(frozen=True)
class ActivitySpec:
    kind: str
    name: str
    days: tuple[int, ...]  # weekdays the activity meets on
    start: str
    end: str
    size: int  # typical number of participants
    rhythm: str = "weekly"  # weekly, fortnightly, monthly (3rd weekday), twice_monthly
    term_only: bool = False  # pauses from mid-June to August, like school clubs
    target_group: str = ""
    opening_hours: str = ""
    youth_led: bool = False
    youth_share: float = 0.1  # chance a session is produced by young people
    unknown_share: float = 0.03  # chance only a single total was counted
    staff: int = 1
    volunteers: int = 0
    mode: str = SessionMode.ON_SITE
    place: str = ""


@dataclass(frozen=True)
class UnitProfile:
    girls: float  # share of girls among visits
    bands: Mapping[str, float]  # age band weights
    activities: tuple[ActivitySpec, ...]


YOUTH = {"u13": 12, "13_15": 38, "16_18": 32, "19_24": 12, "25_29": 2, "unknown": 4}
OLDER_TEENS = {"u13": 4, "13_15": 30, "16_18": 44, "19_24": 16, "25_29": 2, "unknown": 4}
YOUNGER_TEENS = {"u13": 22, "13_15": 46, "16_18": 22, "19_24": 6, "unknown": 4}
CHILDREN = {"u13": 90, "13_15": 7, "unknown": 3}
TEENS = {"u13": 3, "13_15": 55, "16_18": 40, "unknown": 2}
YOUNG_ADULTS = {"16_18": 55, "19_24": 35, "25_29": 5, "unknown": 5}
VOLUNTEERS = {"16_18": 30, "19_24": 45, "25_29": 20, "unknown": 5}
WEEKDAYS = (MON, TUE, WED, THU, FRI)
GROUP, EVENT, SCHOOL, ONLINE = (
    ActivityKind.GROUP,
    ActivityKind.EVENT,
    ActivityKind.SCHOOL,
    ActivityKind.ONLINE,
)


def _drop_in(name: str, days: tuple[int, ...], start: str, end: str, size: int) -> ActivitySpec:
    hours = f"{_day_range(days)} {start[:2].lstrip('0')}–{end[:2].lstrip('0')}"
    return ActivitySpec(
        ActivityKind.DROP_IN,
        name,
        days,
        start,
        end,
        size,
        target_group="Young people aged 13 to 24",
        opening_hours=hours,
        youth_share=0.12,
        staff=2,
        volunteers=1,
    )


def _day_range(days: tuple[int, ...]) -> str:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return f"{names[days[0]]}–{names[days[-1]]}"


# The demo's texts in the languages of the demo's centres, keyed by their English wording.
# fmt: off
LOCAL: dict[str, dict[str, str]] = {
    "lv": {
        "Open evenings": "Atvērtie vakari",
        "Music studio": "Mūzikas studija",
        "Youth café night": "Jauniešu kafejnīcas vakars",
        "Open meeting place": "Atvērtā jauniešu telpa",
        "Skate and BMX club": "Skeitborda un BMX klubs",
        "Imanta skate park": "Imantas skeitparks",
        "Drop-in lounge": "Brīvā laika telpa",
        "Dance group": "Deju grupa",
        "Open stage": "Atvērtā skatuve",
        "Youth house open hours": "Jauniešu mājas atvērtās stundas",
        "Youth council": "Jauniešu dome",
        "Saturday Lab": "Sestdienas laboratorija",
        "School lab visits": "Skolēnu vizītes laboratorijā",
        "Family Science Day": "Ģimeņu zinātnes diena",
        "Teen Science Club": "Pusaudžu zinātnes klubs",
        "Online coding evenings": "Programmēšanas vakari tiešsaistē",
        "Online": "Tiešsaistē",
        "Young people aged 13 to 24": "Jaunieši vecumā no 13 līdz 24 gadiem",
        "Children aged 8 to 12": "Bērni vecumā no 8 līdz 12 gadiem",
        "Quiet evening, exam week at the schools.": "Kluss vakars, skolās eksāmenu nedēļa.",
        "Two new young people came with friends.": "Divi jauni jaunieši atnāca kopā ar draugiem.",
        "Young people planned next month's event.": "Jaunieši plānoja nākamā mēneša pasākumu.",
        "Rain, so everyone stayed inside; board games all evening.":
            "Lija, tāpēc visi palika iekšā; visu vakaru spēlējām galda spēles.",
        "A conflict between two groups was talked through.":
            "Konflikts starp divām grupām tika izrunāts.",
        "Visit from the municipality's youth affairs specialist.":
            "Ciemojās pašvaldības jaunatnes lietu speciāliste.",
    },
    "lt": {
        "Open evenings": "Atviri vakarai",
        "Open youth centre": "Atviras jaunimo centras",
        "Board game club": "Stalo žaidimų klubas",
        "Street basketball tournament": "Gatvės krepšinio turnyras",
        "Šilainiai school yard": "Šilainių mokyklos kiemas",
        "Open space": "Atvira erdvė",
        "Online gaming night": "Žaidimų vakaras internete",
        "Open afternoons": "Atviros popietės",
        "Cooking club": "Kulinarijos būrelis",
        "Family day": "Šeimos diena",
        "Young people aged 13 to 24": "13–24 metų jaunimas",
        "Quiet evening, exam week at the schools.": "Ramus vakaras, mokyklose egzaminų savaitė.",
        "Two new young people came with friends.": "Su draugais atėjo du nauji jaunuoliai.",
        "Young people planned next month's event.": "Jaunimas planavo kito mėnesio renginį.",
        "Rain, so everyone stayed inside; board games all evening.":
            "Lijo, tad visi liko viduje; visą vakarą žaidėme stalo žaidimus.",
        "A conflict between two groups was talked through.":
            "Dviejų grupių konfliktas buvo išsikalbėtas.",
        "Visit from the municipality's youth affairs specialist.":
            "Lankėsi savivaldybės jaunimo reikalų koordinatorė.",
    },
    "et": {
        "Open evenings": "Avatud õhtud",
        "Exchange preparation group": "Vahetusaastaks valmistumise rühm",
        "Students going abroad next year": "Järgmisel aastal välismaale minevad õpilased",
        "Online check-ins": "Veebikohtumised",
        "Online": "Veebis",
        "Returnee evening": "Tagasitulijate õhtu",
        "Volunteer training": "Vabatahtlike koolitus",
        "Community action day": "Kogukonna talgupäev",
        "Volunteering talks in schools": "Vabatahtliku töö tunnid koolides",
        "Young people aged 13 to 24": "13–24-aastased noored",
        "Quiet evening, exam week at the schools.": "Vaikne õhtu, koolides on eksaminädal.",
        "Two new young people came with friends.": "Kaks uut noort tulid koos sõpradega.",
        "Young people planned next month's event.": "Noored planeerisid järgmise kuu üritust.",
        "Rain, so everyone stayed inside; board games all evening.":
            "Sadas vihma, nii et kõik jäid tuppa; terve õhtu mängiti lauamänge.",
        "A conflict between two groups was talked through.":
            "Kahe grupi vaheline konflikt räägiti läbi.",
        "Visit from the municipality's youth affairs specialist.":
            "Külas oli omavalitsuse noorsootöö spetsialist.",
    },
    "sl": {"Open evenings": "Odprti večeri", "Young people aged 13 to 24": "Mladi od 13 do 24 let"},
    "sv": {"Open evenings": "Öppna kvällar", "Young people aged 13 to 24": "Unga 13–24 år"},
    "fi": {"Open evenings": "Avoimet illat", "Young people aged 13 to 24": "13–24-vuotiaat nuoret"},
}
# The days of the week, shortened, for an activity's opening hours ("P.–Pk. 15–20").
WEEKDAY_NAMES: dict[str, list[str]] = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "lv": ["P.", "O.", "T.", "C.", "Pk.", "S.", "Sv."],
    "lt": ["Pr", "An", "Tr", "Kt", "Pn", "Št", "Sk"],
    "et": ["E", "T", "K", "N", "R", "L", "P"],
    "sl": ["pon.", "tor.", "sre.", "čet.", "pet.", "sob.", "ned."],
    "sv": ["mån", "tis", "ons", "tors", "fre", "lör", "sön"],
    "fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
}
# fmt: on


def local(language: str, text: str) -> str:
    """The demo's `text` in `language`, or as it is when it has no translation there."""
    return LOCAL.get(language, {}).get(text, text)


def opening_hours(language: str, spec: ActivitySpec) -> str:
    """A drop-in's opening hours in the unit's language, such as "P.–Pk. 15–20"."""
    if not spec.opening_hours:
        return ""
    names = WEEKDAY_NAMES.get(language, WEEKDAY_NAMES["en"])
    hours = f"{spec.start[:2].lstrip('0')}–{spec.end[:2].lstrip('0')}"
    return f"{names[spec.days[0]]}–{names[spec.days[-1]]} {hours}"


# fmt: off
PROFILES: dict[str, UnitProfile] = {
    "agenskalns": UnitProfile(0.49, YOUTH, (
        _drop_in("Open evenings", WEEKDAYS, "15:00", "20:00", 22),
        ActivitySpec(GROUP, "Music studio", (WED,), "17:00", "19:00", 8, term_only=True),
        ActivitySpec(EVENT, "Youth café night", (FRI,), "18:00", "22:00", 45, rhythm="monthly",
                     youth_led=True, youth_share=0.8, unknown_share=0.2, staff=2, volunteers=3),
    )),
    "imanta": UnitProfile(0.28, OLDER_TEENS, (
        _drop_in("Open meeting place", (TUE, WED, THU, FRI, SAT), "14:00", "20:00", 25),
        ActivitySpec(GROUP, "Skate and BMX club", (THU,), "16:00", "18:30", 12, term_only=True,
                     mode=SessionMode.OUTDOORS, place="Imanta skate park"),
    )),
    "purvciems": UnitProfile(0.64, YOUNGER_TEENS, (
        _drop_in("Drop-in lounge", (MON, TUE, WED, THU), "15:00", "19:30", 16),
        ActivitySpec(GROUP, "Dance group", (TUE,), "17:00", "18:30", 14, term_only=True),
        ActivitySpec(EVENT, "Open stage", (SAT,), "17:00", "20:00", 35, rhythm="monthly",
                     youth_led=True, youth_share=0.7, unknown_share=0.15, staff=2, volunteers=2),
    )),
    "ziepniekkalns": UnitProfile(0.45, YOUTH, (
        _drop_in("Youth house open hours", WEEKDAYS, "14:00", "19:00", 18),
        ActivitySpec(GROUP, "Youth council", (MON,), "17:00", "18:30", 9, term_only=True,
                     youth_led=True, youth_share=0.9),
    )),
    "silainiai": UnitProfile(0.36, OLDER_TEENS, (
        _drop_in("Open youth centre", WEEKDAYS, "15:00", "20:00", 28),
        ActivitySpec(GROUP, "Board game club", (FRI,), "17:00", "19:00", 10, term_only=True,
                     youth_share=0.4),
        ActivitySpec(EVENT, "Street basketball tournament", (SAT,), "12:00", "16:00", 40,
                     rhythm="monthly", mode=SessionMode.OUTDOORS, unknown_share=0.3, staff=2,
                     volunteers=2, place="Šilainiai school yard"),
    )),
    "dainava": UnitProfile(0.55, YOUTH, (
        _drop_in("Open space", (TUE, WED, THU, FRI, SAT), "14:00", "19:00", 20),
        ActivitySpec(ONLINE, "Online gaming night", (THU,), "19:00", "21:00", 10,
                     mode=SessionMode.ONLINE, youth_share=0.5, place="Discord"),
    )),
    "aleksotas": UnitProfile(0.47, YOUNGER_TEENS, (
        _drop_in("Open afternoons", (MON, TUE, WED, THU), "15:00", "20:00", 15),
        ActivitySpec(GROUP, "Cooking club", (WED,), "16:00", "18:00", 10, term_only=True),
        ActivitySpec(EVENT, "Family day", (SUN,), "12:00", "16:00", 38, rhythm="monthly",
                     unknown_share=0.3, staff=3, volunteers=2),
    )),
    "science-saturdays": UnitProfile(0.5, CHILDREN, (
        ActivitySpec(GROUP, "Saturday Lab", (SAT,), "10:00", "13:00", 16, term_only=True,
                     target_group="Children aged 8 to 12", staff=2, volunteers=2),
        ActivitySpec(SCHOOL, "School lab visits", (TUE,), "09:00", "11:00", 24,
                     rhythm="twice_monthly", term_only=True, unknown_share=0.1, staff=2),
        ActivitySpec(EVENT, "Family Science Day", (SUN,), "11:00", "15:00", 50, rhythm="monthly",
                     unknown_share=0.25, staff=3, volunteers=4),
    )),
    "teen-science-club": UnitProfile(0.42, TEENS, (
        ActivitySpec(GROUP, "Teen Science Club", (WED,), "16:30", "18:30", 12, term_only=True,
                     youth_share=0.3),
        ActivitySpec(ONLINE, "Online coding evenings", (MON,), "19:00", "20:30", 9,
                     mode=SessionMode.ONLINE, place="Online"),
    )),
    "exchange-year": UnitProfile(0.6, YOUNG_ADULTS, (
        ActivitySpec(GROUP, "Exchange preparation group", (THU,), "17:00", "19:00", 14,
                     term_only=True, target_group="Students going abroad next year"),
        ActivitySpec(ONLINE, "Online check-ins", (TUE,), "18:00", "19:00", 10, rhythm="fortnightly",
                     mode=SessionMode.ONLINE, place="Online"),
        ActivitySpec(EVENT, "Returnee evening", (FRI,), "18:00", "21:00", 30, rhythm="monthly",
                     youth_led=True, youth_share=0.8, staff=1, volunteers=3),
    )),
    "volunteers": UnitProfile(0.58, VOLUNTEERS, (
        ActivitySpec(GROUP, "Volunteer training", (TUE,), "17:30", "19:30", 12,
                     rhythm="fortnightly", term_only=True),
        ActivitySpec(EVENT, "Community action day", (SAT,), "10:00", "15:00", 25, rhythm="monthly",
                     mode=SessionMode.OUTDOORS, youth_share=0.5, volunteers=2),
        ActivitySpec(SCHOOL, "Volunteering talks in schools", (THU,), "10:00", "11:30", 26,
                     rhythm="twice_monthly", term_only=True, unknown_share=0.1),
    )),
}
# fmt: on
# A unit added to the demo world later still gets a plausible drop-in.
DEFAULT = UnitProfile(0.48, YOUTH, (_drop_in("Open evenings", WEEKDAYS, "15:00", "20:00", 18),))


def load(places: Mapping[str, Node], *, today: dt.date | None = None) -> int:
    """Give every unit in `places` (keyed by slug path) its activities and a year of sessions.

    Returns the number of sessions created: 0 when the demo is loaded again.
    """
    today = today or timezone.localdate()
    created = 0
    with unscoped(), transaction.atomic():
        for key, unit in sorted(places.items()):
            if unit.kind == NodeKind.UNIT:
                created += _load_unit(key, unit, today)
    return created


def _load_unit(key: str, unit: Node, today: dt.date) -> int:
    profile = PROFILES.get(unit.slug, DEFAULT)
    rng = random.Random(f"impactlog-demo/{key}")  # noqa: S311 (demo data, not secrets)
    staff = list(
        User.objects.filter(
            email__in=[
                p.email for p in PEOPLE if p.place == key and p.role in {Role.WORKER, Role.MANAGER}
            ]
        ).order_by("email")
    )
    holiday = dt.date(today.year, 7, 6) + dt.timedelta(weeks=rng.randrange(5))
    new_activities = 0
    pending: list[tuple[Session, dict[tuple[str, str], int]]] = []
    for spec in profile.activities:
        # system code: the demo data
        activity = Activity.all_objects.filter(
            node=unit, name=local(unit.language, spec.name)
        ).first()
        if activity is None:
            activity = _create_activity(unit, spec, staff)
            new_activities += 1
        # system code: the demo data
        if Session.all_objects.filter(activity=activity).exists():
            continue
        for day in _days(spec, today, holiday, rng):
            pending.append(_session(activity, spec, profile, day, rng, staff))
    if not pending and not new_activities:
        return 0
    # system code: the demo data
    sessions = Session.all_objects.bulk_create([s for s, _counts in pending], batch_size=500)
    for unit in {session.node for session in sessions}:
        disclosure_store.records_changed(unit)
    SessionCount.objects.bulk_create(
        (
            SessionCount(session=session, gender=gender, age_band=band, count=n)
            for session, (_s, counts) in zip(sessions, pending, strict=True)
            for (gender, band), n in counts.items()
        ),
        batch_size=1000,
    )
    audit.record(
        None,
        AuditAction.DEMO_LOADED,
        unit,
        node=unit,
        changes={"activities": new_activities, "sessions": len(sessions)},
    )
    return len(sessions)


def _create_activity(unit: Node, spec: ActivitySpec, staff: list[User]) -> Activity:
    activity = Activity(
        node=unit,
        kind=spec.kind,
        name=local(unit.language, spec.name),
        target_group=local(unit.language, spec.target_group),
        opening_hours=opening_hours(unit.language, spec),
        youth_led=spec.youth_led,
    )
    validate(activity)
    activity.save()
    activity.responsible.set(staff)
    return activity


def _days(
    spec: ActivitySpec, today: dt.date, holiday: dt.date, rng: random.Random
) -> Iterator[dt.date]:
    """The days in the year before today on which the activity met."""
    day = today - dt.timedelta(days=365)
    while day < today:
        if _meets(spec, day, holiday, rng):
            yield day
        day += dt.timedelta(days=1)


def _meets(spec: ActivitySpec, day: dt.date, holiday: dt.date, rng: random.Random) -> bool:
    if day.weekday() not in spec.days:
        return False
    if (day.month, day.day) >= (12, 23) or (day.month, day.day) <= (1, 6):
        return False  # Christmas break
    summer = day.month in (7, 8)
    if spec.term_only and (6, 16) <= (day.month, day.day) <= (8, 31):
        return False
    nth = (day.day - 1) // 7 + 1  # the nth such weekday of the month
    if spec.rhythm == "fortnightly" and day.isocalendar().week % 2:
        return False
    if spec.rhythm == "monthly" and nth != 3:
        return False
    if spec.rhythm == "twice_monthly" and nth not in (1, 3):
        return False
    if spec.kind == ActivityKind.DROP_IN and summer:
        closed = holiday.replace(year=day.year)  # the staff's fortnight of holiday
        if closed <= day < closed + dt.timedelta(days=14) or rng.random() < 0.25:
            return False
    return rng.random() >= 0.03  # now and then a session is cancelled


def _session(
    activity: Activity,
    spec: ActivitySpec,
    profile: UnitProfile,
    day: dt.date,
    rng: random.Random,
    staff: list[User],
) -> tuple[Session, dict[tuple[str, str], int]]:
    start = dt.time.fromisoformat(spec.start)
    end = dt.time.fromisoformat(spec.end)
    if spec.kind == ActivityKind.DROP_IN and rng.random() < 0.1:
        end = (dt.datetime.combine(day, end) + dt.timedelta(minutes=30)).time()  # stayed open
    minutes = (dt.datetime.combine(day, end) - dt.datetime.combine(day, start)).seconds // 60
    busy = 1.15 if spec.kind == ActivityKind.DROP_IN and day.weekday() == FRI else 1.0
    expected = spec.size * SEASON[day.month] * busy * rng.gauss(1.0, 0.18)
    participants = max(1, round(expected))
    counts: dict[tuple[str, str], int] = {}
    breakdown_known = rng.random() >= spec.unknown_share
    if breakdown_known:
        genders = rng.choices(
            ["girls", "boys", "non_binary", "not_stated"],
            weights=[profile.girls, 0.96 - profile.girls, 0.02, 0.02],
            k=participants,
        )
        bands = rng.choices(
            list(profile.bands), weights=list(profile.bands.values()), k=participants
        )
        for cell in zip(genders, bands, strict=True):
            counts[cell] = counts.get(cell, 0) + 1
    youth_produced = rng.random() < spec.youth_share
    producers = min(participants, rng.randint(1, 4)) if youth_produced else 0
    staff_present = max(1, spec.staff + rng.choice([-1, 0, 0, 0, 0, 0, 1]))
    volunteers = rng.randint(0, spec.volunteers)
    online = spec.mode == SessionMode.ONLINE
    session = Session(
        activity=activity,
        node=activity.node,
        date=day,
        start_time=start,
        end_time=end,
        minutes=minutes,
        mode=spec.mode,
        place=local(activity.node.language, spec.place),
        participants=participants,
        breakdown_known=breakdown_known,
        youth_produced=youth_produced,
        youth_producers=producers,
        youth_minutes=(minutes if rng.random() < 0.6 else minutes // 2) if youth_produced else 0,
        staff=staff_present,
        staff_minutes=staff_present * minutes,
        volunteers=volunteers,
        volunteer_minutes=volunteers * minutes,
        online_live=participants if online else None,
        online_views=rng.randint(0, 3 * participants) if online else None,
        notes=local(activity.node.language, rng.choice(NOTES)) if rng.random() < 0.05 else "",
        created_by=staff[0] if staff else None,
    )
    return session, counts
