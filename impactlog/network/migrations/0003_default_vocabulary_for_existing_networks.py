"""Give every existing network the EU Youth Goals, which pages used to add on their first view.

New networks get them when they are created (`network.services.create_network_defaults`). The
names are written out here so that the migration does not depend on code that may change; pages
show each goal's name in the reader's language from its key.
"""

from django.db import migrations

EU_YOUTH_GOALS = [
    ("eu-1", "1 Connecting EU with Youth"),
    ("eu-2", "2 Equality of All Genders"),
    ("eu-3", "3 Inclusive Societies"),
    ("eu-4", "4 Information & Constructive Dialogue"),
    ("eu-5", "5 Mental Health & Wellbeing"),
    ("eu-6", "6 Moving Rural Youth Forward"),
    ("eu-7", "7 Quality Employment for All"),
    ("eu-8", "8 Quality Learning"),
    ("eu-9", "9 Space and Participation for All"),
    ("eu-10", "10 Sustainable Green Europe"),
    ("eu-11", "11 Youth Organisations & European Programmes"),
]


def add_goals(apps, schema_editor):
    Node = apps.get_model("tenancy", "Node")
    Tag = apps.get_model("network", "Tag")
    tags = Tag._default_manager
    for root in Node._default_manager.filter(parent__isnull=True):
        have = set(tags.filter(owner=root).values_list("key", flat=True))
        tags.bulk_create(
            Tag(owner=root, vocabulary="eu_goal", key=key, name=name)
            for key, name in EU_YOUTH_GOALS
            if key not in have
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_child_rows_reached_through_their_parent"),
        ("tenancy", "0001_initial"),
    ]

    # Nothing to undo: the goals stay, as they would have after any page view before.
    operations = [migrations.RunPython(add_goals, migrations.RunPython.noop)]
