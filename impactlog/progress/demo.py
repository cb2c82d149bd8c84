"""Demo progress for the demo young people (participants/demo.py): a worker's ratings and the
young person's own over the autumn, a goal reached and one open, journal entries with an answer
and a recognition from a peer, in the place's language. Loading it again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from impactlog.participants.models import Participant
from impactlog.progress import own, services
from impactlog.progress.models import GoalStatus, Rating
from impactlog.tenancy.models import Membership, Node
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

# Per language: two goals (the first reached) with steps, two journal entries (did, learned), a
# worker's answer, a recognition and a progress note.
TEXTS: dict[str, dict[str, Any]] = {
    "lv": {
        "goals": [
            ("Vadīt darbnīcu jaunākajiem", ["Izvēlēties tēmu", "Sagatavot plānu", "Novadīt"]),
            ("Pieteikties jauniešu domē", ["Uzrakstīt motivācijas vēstuli"]),
        ],
        "journal": [
            ("Filmējām īsfilmu par mūsu apkaimi.", "Kadru var izplānot uz papīra, pirms filmē."),
            ("Gatavojām vakariņas divdesmit cilvēkiem.", "Ja visu sadala pa daļām, nav stresa."),
        ],
        "answer": "Paldies, ka dalījies! Tavs plāns bija ļoti skaidrs.",
        "recognition": "Tu man palīdzēji saprast, kā strādā kamera.",
        "note": "Šonedēļ pati uzņēmās vadīt iesildīšanos, iepriekš to neuzdrošinājās.",
    },
    "lt": {
        "goals": [
            ("Vesti dirbtuves jaunesniems", ["Pasirinkti temą", "Parengti planą", "Pravesti"]),
            ("Įstoti į jaunimo tarybą", ["Parašyti motyvacinį laišką"]),
        ],
        "journal": [
            ("Filmavome trumpą filmą apie savo rajoną.", "Kadrus galima susiplanuoti popieriuje."),
            ("Gaminome vakarienę dvidešimčiai žmonių.", "Kai darbą padalini, nebėra streso."),
        ],
        "answer": "Ačiū, kad pasidalijai! Tavo planas buvo labai aiškus.",
        "recognition": "Padėjai man suprasti, kaip veikia kamera.",
        "note": "Šią savaitę pati ėmėsi vesti apšilimą, anksčiau to nedrįso.",
    },
    "en": {
        "goals": [
            ("Lead a workshop for younger ones", ["Choose a topic", "Make a plan", "Run it"]),
            ("Apply to the youth council", ["Write a motivation letter"]),
        ],
        "journal": [
            ("We filmed a short film about our area.", "A shot can be planned on paper first."),
            ("We cooked dinner for twenty people.", "Split the work up and there is no stress."),
        ],
        "answer": "Thank you for sharing! Your plan was very clear.",
        "recognition": "You helped me understand how the camera works.",
        "note": "This week she led the warm-up herself; she did not dare to before.",
    },
}
# (key competence, worker's levels over time, own levels over time)
RATINGS = [("digital", [2, 3, 4], [3, 3, 5]), ("learning", [2, 3], [2, 2])]


def _worker(unit: Node) -> Any:
    found = (
        # demo seeding (system code, no actor): reads the place it fills
        Membership.all_objects.filter(node=unit, role__in=[Role.WORKER, Role.MANAGER])
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return found.user if found is not None else None


def _progress_of(participant: Participant, peer: Participant, now: dt.datetime) -> None:
    texts = TEXTS.get(participant.unit.language, TEXTS["en"])
    worker = _worker(participant.unit)
    for key, worker_levels, own_levels in RATINGS:
        for step, (by_worker, by_self) in enumerate(zip(worker_levels, own_levels, strict=True)):
            moment = now - dt.timedelta(days=8 * (len(worker_levels) - step))
            services.rate(worker, participant, key, by_worker, now=moment)
            own.self_assess(participant, key, by_self, now=moment + dt.timedelta(hours=1))
    for number, (title, steps) in enumerate(texts["goals"]):
        goal = services.add_goal(
            worker, participant, title, mentor=worker, steps=steps, now=now - dt.timedelta(days=25)
        )
        if number == 0:
            for goal_step in goal.steps.all():
                services.mark_step(worker, goal_step, True, now=now - dt.timedelta(days=6))
            services.set_goal_status(
                worker, goal, GoalStatus.REACHED, now=now - dt.timedelta(days=3)
            )
    for number, (did, learned) in enumerate(texts["journal"]):
        entry = own.write_journal(
            participant, did, learned, now=now - dt.timedelta(days=20 - 10 * number)
        )
        if number == 0:
            services.answer_journal(worker, entry, texts["answer"], now=now - dt.timedelta(days=19))
    services.add_note(worker, participant, texts["note"], now=now - dt.timedelta(days=5))
    recognition = own.recognise(
        peer, participant, "digital", texts["recognition"], now=now - dt.timedelta(days=3)
    )
    services.decide_recognition(worker, recognition, True, now=now - dt.timedelta(days=2))


def load(places: Mapping[str, Node], *, now: dt.datetime | None = None) -> int:
    """Give the first two registered young people of each demo unit their progress; returns for
    how many young people it was added."""
    now = now or timezone.now()
    added = 0
    with unscoped():
        for unit in sorted(places.values(), key=lambda node: node.path):
            people = list(
                # demo seeding (system code, no actor): reads the place it fills
                Participant.all_objects.filter(
                    unit=unit, anonymised_at__isnull=True, stopped_at__isnull=True
                )
                .select_related("unit")
                .order_by("registered_at", "pk")[:2]
            )
            if len(people) < 2:
                continue
            first, second = people
            for participant, peer in ((first, second), (second, first)):
                # demo seeding (system code, no actor): reads the place it fills
                if Rating.all_objects.filter(participant=participant).exists():
                    continue
                _progress_of(participant, peer, now)
                added += 1
    return added
