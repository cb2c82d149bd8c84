
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('logbook', '0005_network_age_bands'),
        ('tenancy', '0001_initial'),
    ]

    # The tables exist already (created by the logbook); only the models move here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NetworkSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('plausible_participants', models.PositiveIntegerField(default=300, validators=[django.core.validators.MinValueValidator(1)], verbose_name='participants in one session above which we ask to confirm')),
                        ('age_bands', models.JSONField(blank=True, default=list)),
                        ('owner', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='network_settings', to='tenancy.node')),
                    ],
                    options={
                        'verbose_name': 'network settings',
                        'verbose_name_plural': 'network settings',
                        'db_table': 'logbook_logbooksettings',
                    },
                ),
                migrations.CreateModel(
                    name='ReflectionQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.CharField(max_length=300, verbose_name='question')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('archived_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.node', verbose_name='asked in')),
                    ],
                    options={
                        'verbose_name': 'reflection question',
                        'verbose_name_plural': 'reflection questions',
                        'db_table': 'logbook_reflectionquestion',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Tag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('vocabulary', models.CharField(choices=[('topic', 'Topic'), ('eu_goal', 'EU Youth Goal')], max_length=12, verbose_name='vocabulary')),
                        ('key', models.SlugField(max_length=60)),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('archived_at', models.DateTimeField(blank=True, null=True)),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.node', verbose_name='network')),
                    ],
                    options={
                        'verbose_name': 'tag',
                        'verbose_name_plural': 'tags',
                        'db_table': 'logbook_tag',
                        'ordering': ['vocabulary', 'key'],
                        'constraints': [models.UniqueConstraint(fields=('owner', 'key'), name='tag_unique_key')],
                    },
                ),
                ],
        ),
    ]
