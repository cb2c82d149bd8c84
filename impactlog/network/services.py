"""A network's logbook settings and small-number thresholds, its vocabulary of topics and goals,
and the reflection questions organisations ask their workers. State changes are audited in their
transaction."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impactlog.accounts.models import User
from impactlog.glossary.services import ensure_glossary
from impactlog.network.models import AgeBand, NetworkSettings, ReflectionQuestion, Tag, Vocabulary
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.holders import counts_in_bands
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_id_of, root_of

# The eleven European Youth Goals, a ready vocabulary for every network.
EU_YOUTH_GOALS = [
    ("eu-1", gettext_lazy("1 Connecting EU with Youth")),
    ("eu-2", gettext_lazy("2 Equality of All Genders")),
    ("eu-3", gettext_lazy("3 Inclusive Societies")),
    ("eu-4", gettext_lazy("4 Information & Constructive Dialogue")),
    ("eu-5", gettext_lazy("5 Mental Health & Wellbeing")),
    ("eu-6", gettext_lazy("6 Moving Rural Youth Forward")),
    ("eu-7", gettext_lazy("7 Quality Employment for All")),
    ("eu-8", gettext_lazy("8 Quality Learning")),
    ("eu-9", gettext_lazy("9 Space and Participation for All")),
    ("eu-10", gettext_lazy("10 Sustainable Green Europe")),
    ("eu-11", gettext_lazy("11 Youth Organisations & European Programmes")),
]
EU_GOAL_LABELS = dict(EU_YOUTH_GOALS)


def settings_for(node: Node) -> NetworkSettings:
    """The settings of the node's network, with defaults until someone changes them."""
    root_id = root_id_of(node)  # the top of the tree, without reading it
    found = NetworkSettings.objects.filter(owner_id=root_id).first()
    return found if found is not None else NetworkSettings(owner_id=root_id)


@dataclass(frozen=True)
class Thresholds:
    """A network's small-number thresholds, one per kind of measure: a count from 1 to the
    threshold minus one is protected for everyone without records rights (docs/privacy.md)."""

    visits: int
    people: int
    annual_survey: int
    other_surveys: int


def thresholds_in(network: NetworkSettings) -> Thresholds:
    return Thresholds(
        visits=network.threshold_visits,
        people=network.threshold_people,
        annual_survey=network.threshold_annual_survey,
        other_surveys=network.threshold_other_surveys,
    )


def thresholds_for(node: Node) -> Thresholds:
    """The thresholds of the network `node` belongs to (any node of the tree), the defaults
    until the network changes them. Reads one row at most and writes nothing."""
    return thresholds_in(settings_for(node))


def default_thresholds() -> Thresholds:
    return thresholds_in(NetworkSettings())


def lowered_below_default(before: Thresholds, after: Thresholds) -> list[str]:
    """The measures whose threshold `after` lowers, to a number below its default: the changes
    that protect young people less than Impact Logbook does unless told otherwise."""
    default = asdict(default_thresholds())
    old = asdict(before)
    return [
        name for name, value in asdict(after).items() if value < old[name] and value < default[name]
    ]


Band = tuple[str, str]  # (key stored with the counts, label shown)

MAX_AGE = 120


def default_bands() -> list[Band]:
    return [(band.value, str(band.label)) for band in AgeBand]


def bands_for(node: Node) -> list[Band]:
    """The age bands the node's network counts in, "age not known" always last."""
    return bands_in(settings_for(node))


def bands_in(network: NetworkSettings) -> list[Band]:
    """The age bands of a network's settings (read once by a caller that needs both)."""
    custom = network.age_bands
    if not custom:
        return default_bands()
    return [(f"{low}_{high}", f"{low}–{high}") for low, high in custom] + [
        (AgeBand.UNKNOWN.value, str(AgeBand.UNKNOWN.label))
    ]


def band_of_age(bands: list[Band], age: int) -> str:
    """The key of the band `age` falls in ("u13", "13_15" or a network's "from_to"), else the
    key of "age not known"."""
    for key, _label in bands:
        low, _sep, high = key.partition("_")
        if key.startswith("u") and key[1:].isdigit() and age < int(key[1:]):
            return key
        if low.isdigit() and high.isdigit() and int(low) <= age <= int(high):
            return key
    return AgeBand.UNKNOWN.value


def parse_bands(text: str) -> list[list[int]]:
    """Age bands written one per line as "from–to" (e.g. "10–14"), checked to be in order and
    not to overlap. An empty text means the default bands."""
    bands: list[list[int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.replace("–", "-").split("-")]
        # Not str.isdigit(): it takes "²" and "٣", which int() refuses; and no age has four digits.
        if len(parts) != 2 or not all(re.fullmatch("[0-9]{1,3}", part) for part in parts):
            raise ValidationError(
                _("Line %(line)s: write a band as two ages, for example 10–14.") % {"line": number}
            )
        low, high = int(parts[0]), int(parts[1])
        if low > high or high > MAX_AGE:
            raise ValidationError(
                _("Line %(line)s: the first age must not be above the second.") % {"line": number}
            )
        if bands and low <= bands[-1][1]:
            raise ValidationError(
                _("Line %(line)s: bands must go from young to old without overlapping.")
                % {"line": number}
            )
        bands.append([low, high])
    if len(bands) > 12:
        raise ValidationError(_("Use at most 12 age bands."))
    return bands


def parse_consent_ages(text: str) -> dict[str, int]:
    """Lines of a country code and an age ("DE 16") as {"DE": 16}; empty for none."""
    ages: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(":", " ").split()
        if not parts:
            continue
        if (
            len(parts) != 2
            or len(parts[0]) != 2
            or not parts[0].isascii()
            or not parts[0].isalpha()
            or not parts[1].isascii()
            or not parts[1].isdigit()
            or not 13 <= int(parts[1]) <= 16
        ):
            raise ValidationError(
                _(
                    "Line %(line)s: write a country code and an age from 13 to 16, for example "
                    "DE 16."
                )
                % {"line": number}
            )
        ages[parts[0].upper()] = int(parts[1])
    return ages


def _network_of(actor: User | None, node: Node) -> Node:
    """The top of `node`'s tree (both read again from the database), once `actor` may change
    what the network shares there."""
    # re-read the object the caller named; authorize() decides
    root = root_of(Node.all_objects.get(pk=node.pk))
    authorize(actor, Perm.EDIT_DEFINITIONS, root)
    return root


def _audited(network: NetworkSettings) -> dict[str, Any]:
    """What the audit trail compares before and after a change of the settings."""
    return {
        "plausible_participants": network.plausible_participants,
        "age_bands": network.age_bands,
        "consent_ages": network.consent_ages,
        "threshold_visits": network.threshold_visits,
        "threshold_people": network.threshold_people,
        "threshold_annual_survey": network.threshold_annual_survey,
        "threshold_other_surveys": network.threshold_other_surveys,
    }


@service
def update_settings(
    actor: User | None,
    node: Node,
    *,
    plausible_participants: int,
    age_bands: list[list[int]] | None = None,
    thresholds: Thresholds | None = None,
    consent_ages: dict[str, int] | None = None,
    confirm_lower: bool = False,
) -> NetworkSettings:
    """Change the settings of the network `node` belongs to (any node of the tree).

    Thresholds lowered below their defaults protect young people less: that needs
    `confirm_lower`, the person's word that they understand it."""
    root = _network_of(actor, node)
    current, _created = NetworkSettings.objects.select_for_update().get_or_create(owner=root)
    before = _audited(current)
    old_thresholds = thresholds_in(current)
    current.plausible_participants = plausible_participants
    if age_bands is not None and age_bands != current.age_bands:
        if counts_in_bands(root):
            raise ValidationError(
                _(
                    "The age bands can only be changed before the first head-count is "
                    "recorded, so that the network's figures stay comparable."
                )
            )
        current.age_bands = age_bands
    if consent_ages is not None:
        current.consent_ages = consent_ages
    if thresholds is not None:
        current.threshold_visits = thresholds.visits
        current.threshold_people = thresholds.people
        current.threshold_annual_survey = thresholds.annual_survey
        current.threshold_other_surveys = thresholds.other_surveys
    current.full_clean()
    if lowered_below_default(old_thresholds, thresholds_in(current)) and not confirm_lower:
        raise ValidationError(
            {
                "confirm_lower": _(
                    "A number is lower than its default. Tick the box to confirm that you "
                    "understand that lower numbers protect young people less."
                )
            }
        )
    current.save()
    changes = audit.diff(before, _audited(current))
    if changes:
        audit.record(actor, AuditAction.SETTINGS_CHANGED, current, node=root, changes=changes)
    if any(name.startswith("threshold_") for name in changes):
        disclosure_store.records_changed(root)  # the protected figures are decided again
    return current


def tag_label(tag: Tag) -> str:
    """A goal's name in the reader's language; a topic as the network wrote it."""
    if tag.vocabulary == Vocabulary.EU_YOUTH_GOAL and tag.key in EU_GOAL_LABELS:
        return str(EU_GOAL_LABELS[tag.key])
    return tag.name


def add_default_vocabulary(root: Node) -> None:
    """Give a network the EU Youth Goals it does not have yet (the system's own change)."""
    # a new network's defaults: its root is in no one's scope yet
    have = set(Tag.all_objects.filter(owner=root).values_list("key", flat=True))
    Tag.objects.bulk_create(
        Tag(owner=root, vocabulary=Vocabulary.EU_YOUTH_GOAL, key=key, name=str(label))
        for key, label in EU_YOUTH_GOALS
        if key not in have
    )


def create_network_defaults(root: Node) -> None:
    """What every network starts with: the EU Youth Goals and the default glossary.

    Called by `structure.services.create_node` when a top-level node is created, inside its
    transaction; pages only read them. Existing networks got them from a data migration.
    """
    if root.parent_id is not None:
        raise ValueError("Only the top of a tree keeps the network's defaults.")
    with transaction.atomic():
        add_default_vocabulary(root)
        ensure_glossary(root)


def vocabulary(node: Node, *, include_archived: bool = False) -> QuerySet[Tag]:
    """The network's topics and goals (reading only: it writes nothing)."""
    tags = Tag.objects.filter(owner_id=root_id_of(node))
    if not include_archived:
        tags = tags.filter(archived_at__isnull=True)
    return tags.order_by("vocabulary", "name")


@service
def add_topic(actor: User | None, node: Node, name: str) -> Tag:
    """Add a topic to the vocabulary of the network `node` belongs to (any node of the tree)."""
    root = _network_of(actor, node)
    name = name.strip()
    key = slugify(name)[:60]
    if not key:
        raise ValidationError({"name": _("Give the topic a name.")})
    if Tag.objects.filter(owner=root, key=key).exists():
        raise ValidationError({"name": _("The vocabulary already has this topic.")})
    tag = Tag.objects.create(owner=root, vocabulary=Vocabulary.TOPIC, key=key, name=name)
    audit.record(actor, AuditAction.TAG_CREATED, tag, node=root, changes={"name": name})
    return tag


@service
def archive_tag(actor: User | None, tag: Tag) -> None:
    # re-read the object the caller named; authorize() decides
    tag = Tag.all_objects.select_for_update(of=("self",)).select_related("owner").get(pk=tag.pk)
    authorize(actor, Perm.EDIT_DEFINITIONS, tag)
    if tag.archived_at is None:
        tag.archived_at = timezone.now()
        tag.save(update_fields=["archived_at"])
        audit.record(actor, AuditAction.TAG_ARCHIVED, tag, node=tag.owner)


def questions_for(unit: Node) -> list[ReflectionQuestion]:
    """The reflection questions asked at the unit or anywhere above it."""
    return list(
        ReflectionQuestion.objects.filter(
            node_id__in=[*unit.ancestor_ids(), unit.pk], archived_at__isnull=True
        ).order_by("node__depth", "position", "pk")
    )


@service
def add_question(actor: User | None, node: Node, text: str) -> ReflectionQuestion:
    """Ask `text` after every session recorded at `node` or below it."""
    # re-read the object the caller named; authorize() decides
    node = Node.all_objects.select_for_update().get(pk=node.pk)
    authorize(actor, Perm.MANAGE_REFLECTION, node)
    if node.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    position = ReflectionQuestion.objects.filter(node=node).count()
    question = ReflectionQuestion.objects.create(node=node, text=text, position=position)
    audit.record(
        actor, AuditAction.REFLECTION_QUESTION_ADDED, question, node=node, changes={"text": text}
    )
    return question


@service
def archive_question(actor: User | None, question: ReflectionQuestion) -> None:
    question = (
        # re-read the object the caller named; authorize() decides
        ReflectionQuestion.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=question.pk)
    )
    authorize(actor, Perm.MANAGE_REFLECTION, question)
    if question.archived_at is None:
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at"])
        audit.record(actor, AuditAction.REFLECTION_QUESTION_ARCHIVED, question, node=question.node)
