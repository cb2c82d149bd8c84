from django.db import migrations, models

# The actions whose values were records of the logbook when the guard was introduced; later
# entries store the guard that `impactlog.tenancy.audit.values_perm_for` decides.
RECORDS_ACTIONS = [
    "activity.created",
    "activity.updated",
    "session.created",
    "session.updated",
    "session.deleted",
    "file.uploaded",
    "file.viewed",
    "file.deleted",
    "import.completed",
]


def guard_old_entries(apps, schema_editor):
    # The historical model has a plain manager: the append-only rule of the live model's
    # queryset does not apply, and this is the one change the trail's rows ever get.
    entry = apps.get_model("tenancy", "AuditEntry")
    records = models.Q(action__in=RECORDS_ACTIONS) | models.Q(object_type__startswith="logbook.")
    entry.objects.filter(records).update(values_perm="records.view")


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="values_perm",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.RunPython(guard_old_entries, migrations.RunPython.noop),
    ]
