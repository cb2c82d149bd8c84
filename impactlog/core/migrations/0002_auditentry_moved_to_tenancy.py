
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0001_initial'),
        ('core', '0001_initial'),
    ]

    # The audit trail moved to the tenancy app; the table stays.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='AuditEntry',
                ),
                ],
        ),
    ]
