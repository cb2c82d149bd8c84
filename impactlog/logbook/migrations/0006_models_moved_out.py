
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('glossary', '0001_initial'),
        ('logbook', '0005_network_age_bands'),
        ('network', '0001_initial'),
        ('tenancy', '0001_initial'),
    ]

    # The glossary and the network settings moved to apps of their own, the tree to tenancy; the tables stay.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='definitionversion',
                    name='definition',
                ),
                migrations.RemoveField(
                    model_name='definitionquestion',
                    name='definition',
                ),
                migrations.RemoveField(
                    model_name='definitionquestion',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='definitionquestion',
                    name='asked_by',
                ),
                migrations.RemoveField(
                    model_name='definitionquestion',
                    name='place',
                ),
                migrations.RemoveField(
                    model_name='definitionversion',
                    name='changed_by',
                ),
                migrations.RemoveField(
                    model_name='logbooksettings',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='reflectionquestion',
                    name='node',
                ),
                migrations.AlterField(
                    model_name='reflectionanswer',
                    name='question',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.reflectionquestion'),
                ),
                migrations.RemoveField(
                    model_name='tag',
                    name='owner',
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='node',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='tenancy.node', verbose_name='unit'),
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='tags',
                    field=models.ManyToManyField(blank=True, related_name='activities', to='network.tag', verbose_name='topics and goals'),
                ),
                migrations.AlterField(
                    model_name='session',
                    name='node',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.node'),
                ),
                migrations.DeleteModel(
                    name='Definition',
                ),
                migrations.DeleteModel(
                    name='DefinitionQuestion',
                ),
                migrations.DeleteModel(
                    name='DefinitionVersion',
                ),
                migrations.DeleteModel(
                    name='LogbookSettings',
                ),
                migrations.DeleteModel(
                    name='ReflectionQuestion',
                ),
                migrations.DeleteModel(
                    name='Tag',
                ),
                ],
        ),
    ]
