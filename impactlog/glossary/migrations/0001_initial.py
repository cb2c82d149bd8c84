
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('logbook', '0005_network_age_bands'),
        ('tenancy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables exist already (created by the logbook); only the models move here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Definition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, verbose_name='key')),
                        ('term', models.CharField(max_length=200, verbose_name='term')),
                        ('text', models.TextField(verbose_name='definition')),
                        ('is_default', models.BooleanField(default=True, verbose_name='default wording')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='definitions', to='tenancy.node', verbose_name='network')),
                    ],
                    options={
                        'verbose_name': 'definition',
                        'verbose_name_plural': 'definitions',
                        'db_table': 'logbook_definition',
                        'ordering': ['key'],
                    },
                ),
                migrations.CreateModel(
                    name='DefinitionQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('asked_at', models.DateTimeField(auto_now_add=True, verbose_name='asked')),
                        ('text', models.TextField(verbose_name='question')),
                        ('answer', models.TextField(blank=True, verbose_name='answer')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('asked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('definition', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='glossary.definition')),
                        ('place', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.node', verbose_name='asked from')),
                    ],
                    options={
                        'verbose_name': 'question on a definition',
                        'verbose_name_plural': 'questions on definitions',
                        'db_table': 'logbook_definitionquestion',
                        'ordering': ['-asked_at'],
                    },
                ),
                migrations.CreateModel(
                    name='DefinitionVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='version')),
                        ('term', models.CharField(max_length=200, verbose_name='term')),
                        ('text', models.TextField(verbose_name='definition')),
                        ('is_default', models.BooleanField(default=False, verbose_name='default wording')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='what changed and why')),
                        ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='changed')),
                        ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('definition', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='glossary.definition')),
                    ],
                    options={
                        'verbose_name': 'definition version',
                        'verbose_name_plural': 'definition versions',
                        'db_table': 'logbook_definitionversion',
                        'ordering': ['-version'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='definition',
                    constraint=models.UniqueConstraint(fields=('node', 'key'), name='definition_unique_key'),
                ),
                migrations.AddIndex(
                    model_name='definitionquestion',
                    index=models.Index(fields=['definition', 'answered_at'], name='definition_question_idx'),
                ),
                migrations.AddConstraint(
                    model_name='definitionversion',
                    constraint=models.UniqueConstraint(fields=('definition', 'version'), name='definition_version_unique'),
                ),
                ],
        ),
    ]
