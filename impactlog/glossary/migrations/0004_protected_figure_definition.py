"""Give every existing network the new default definition of a protected figure (and any other
default it lacks): the step of 0003, run again for the definitions added since."""

from importlib import import_module

from django.db import migrations

add_defaults = import_module(
    "impactlog.glossary.migrations.0003_default_glossary_for_existing_networks"
).add_defaults


class Migration(migrations.Migration):
    dependencies = [("glossary", "0003_default_glossary_for_existing_networks")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
