
import django.db.models.deletion
import impactlog.tenancy.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('structure', '0002_constraint_messages'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables exist already (created by structure and core); only the models move here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Node',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('path', models.CharField(editable=False, max_length=500)),
                        ('depth', models.PositiveSmallIntegerField(default=0, editable=False)),
                        ('kind', models.CharField(choices=[('network', 'Network'), ('region', 'Municipality or region'), ('organisation', 'Organisation'), ('unit', 'Unit')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('slug', models.SlugField(help_text='Letters, numbers and hyphens; used in addresses and exports.', max_length=80, verbose_name='short name')),
                        ('country', models.CharField(choices=[('AT', 'Austria'), ('BE', 'Belgium'), ('BG', 'Bulgaria'), ('HR', 'Croatia'), ('CY', 'Cyprus'), ('CZ', 'Czechia'), ('DK', 'Denmark'), ('EE', 'Estonia'), ('FI', 'Finland'), ('FR', 'France'), ('DE', 'Germany'), ('GR', 'Greece'), ('HU', 'Hungary'), ('IS', 'Iceland'), ('IE', 'Ireland'), ('IT', 'Italy'), ('LV', 'Latvia'), ('LI', 'Liechtenstein'), ('LT', 'Lithuania'), ('LU', 'Luxembourg'), ('MT', 'Malta'), ('NL', 'Netherlands'), ('NO', 'Norway'), ('PL', 'Poland'), ('PT', 'Portugal'), ('RO', 'Romania'), ('SK', 'Slovakia'), ('SI', 'Slovenia'), ('ES', 'Spain'), ('SE', 'Sweden'), ('CH', 'Switzerland'), ('UA', 'Ukraine'), ('GB', 'United Kingdom')], max_length=2, verbose_name='country')),
                        ('language', models.CharField(choices=[('en', 'English'), ('lv', 'Latvian'), ('lt', 'Lithuanian'), ('et', 'Estonian'), ('sl', 'Slovenian'), ('sv', 'Swedish'), ('fi', 'Finnish')], default='en', max_length=8, verbose_name='default language')),
                        ('time_zone', models.CharField(default='Europe/Riga', max_length=64, validators=[impactlog.tenancy.models.validate_time_zone], verbose_name='time zone')),
                        ('require_two_factor', models.BooleanField(default=False, help_text='Everyone with a role here or below must sign in with a second factor.', verbose_name='require two-factor authentication')),
                        ('archived_at', models.DateTimeField(blank=True, null=True, verbose_name='archived')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='tenancy.node', verbose_name='parent')),
                    ],
                    options={
                        'verbose_name': 'node',
                        'verbose_name_plural': 'nodes',
                        'db_table': 'structure_node',
                        'ordering': ['path'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('admin', 'Administrator'), ('coordinator', 'Coordinator'), ('manager', 'Manager'), ('worker', 'Youth worker'), ('viewer', 'Viewer')], max_length=20, verbose_name='role')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                        ('node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='tenancy.node', verbose_name='place')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'db_table': 'structure_membership',
                        'ordering': ['node__path', 'user__email'],
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                        ('role', models.CharField(choices=[('admin', 'Administrator'), ('coordinator', 'Coordinator'), ('manager', 'Manager'), ('worker', 'Youth worker'), ('viewer', 'Viewer')], max_length=20, verbose_name='role')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField()),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='tenancy.node')),
                    ],
                    options={
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                        'db_table': 'structure_invitation',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('actor_label', models.CharField(blank=True, max_length=254)),
                        ('action', models.CharField(db_index=True, max_length=64, verbose_name='action')),
                        ('object_type', models.CharField(blank=True, max_length=64)),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('object_repr', models.CharField(blank=True, max_length=300)),
                        ('changes', models.JSONField(blank=True, default=dict)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                        ('node', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.node')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit entries',
                        'db_table': 'core_auditentry',
                        'ordering': ['-at', '-pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='node',
                    index=models.Index(fields=['path'], name='node_path_idx', opclasses=['varchar_pattern_ops']),
                ),
                migrations.AddConstraint(
                    model_name='node',
                    constraint=models.UniqueConstraint(fields=('parent', 'slug'), name='node_unique_slug_in_parent', violation_error_message='Another place here already uses this short name.'),
                ),
                migrations.AddConstraint(
                    model_name='node',
                    constraint=models.UniqueConstraint(condition=models.Q(('parent__isnull', True)), fields=('slug',), name='node_unique_root_slug', violation_error_message='Another place here already uses this short name.'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(fields=('user', 'node'), name='membership_unique_user_node'),
                ),
                ],
        ),
    ]
