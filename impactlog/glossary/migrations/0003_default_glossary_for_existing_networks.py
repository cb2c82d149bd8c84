"""Give every existing network the default definitions it lacks, which pages used to add on
their first view. New networks get them when they are created
(`network.services.create_network_defaults`).

The default texts come from `impactlog.glossary.defaults`, a module of constant data; they are
stored in the source language and shown translated while `is_default` holds.
"""

from django.db import migrations
from django.utils import translation


def add_defaults(apps, schema_editor):
    from impactlog.glossary.defaults import DEFAULT_DEFINITIONS

    Node = apps.get_model("tenancy", "Node")
    Definition = apps.get_model("glossary", "Definition")
    DefinitionVersion = apps.get_model("glossary", "DefinitionVersion")
    with translation.override(None):
        for root in Node._default_manager.filter(parent__isnull=True):
            have = set(
                Definition._default_manager.filter(node=root).values_list("key", flat=True)
            )
            for item in DEFAULT_DEFINITIONS:
                if item.key in have:
                    continue
                definition = Definition._default_manager.create(
                    node=root,
                    key=item.key,
                    term=str(item.term),
                    text=item.text,
                    is_default=True,
                    version=1,
                )
                DefinitionVersion._default_manager.create(
                    definition=definition,
                    version=1,
                    term=definition.term,
                    text=definition.text,
                    is_default=True,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0002_child_rows_reached_through_their_parent"),
        ("tenancy", "0001_initial"),
    ]

    # Nothing to undo: the definitions stay, as they would have after any page view before.
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
