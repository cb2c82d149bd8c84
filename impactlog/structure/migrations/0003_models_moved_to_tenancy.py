
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_auditentry_moved_to_tenancy'),
        ('logbook', '0006_models_moved_out'),
        ('structure', '0002_constraint_messages'),
    ]

    # The tree, memberships and invitations moved to the tenancy app; the tables stay.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='membership',
                    name='node',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='node',
                    name='parent',
                ),
                migrations.DeleteModel(
                    name='Invitation',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Node',
                ),
                ],
        ),
    ]
