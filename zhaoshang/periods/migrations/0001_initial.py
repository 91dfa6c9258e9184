# The closed-period models moved here from the reports app (a layer above the ledger, which obeys
# them). Their tables keep their names, so this only tells Django's state where the models live:
# the tables were created by reports 0001.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0001_initial'),
        ('ledger', '0003_fund_amount_validator'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PeriodClose',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(help_text='2024、2024Q1 或 2024-03', max_length=16, unique=True, verbose_name='期间')),
                        ('label', models.CharField(max_length=32, verbose_name='期间名称')),
                        ('start', models.DateField(verbose_name='开始日期')),
                        ('end', models.DateField(verbose_name='结束日期')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('closed_at', models.DateTimeField(auto_now_add=True, verbose_name='结账时间')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='结账人')),
                    ],
                    options={
                        'verbose_name': '期间结账',
                        'verbose_name_plural': '期间结账',
                        'ordering': ['-start'],
                        'db_table': 'reports_periodclose',
                    },
                ),
                migrations.CreateModel(
                    name='Correction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('record', models.CharField(max_length=20, verbose_name='记录类型')),
                        ('action', models.CharField(max_length=10, verbose_name='操作')),
                        ('project_code', models.CharField(max_length=40, verbose_name='项目编号')),
                        ('project_name', models.CharField(max_length=200, verbose_name='项目名称')),
                        ('record_date', models.DateField(verbose_name='记录日期')),
                        ('summary', models.CharField(blank=True, max_length=500, verbose_name='内容')),
                        ('reason', models.TextField(verbose_name='更正理由')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='更正时间')),
                        ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.project', verbose_name='项目')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更正人')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='periods.periodclose', verbose_name='结账期间')),
                    ],
                    options={
                        'verbose_name': '结账后更正',
                        'verbose_name_plural': '结账后更正',
                        'ordering': ['-at', '-id'],
                        'db_table': 'reports_correction',
                    },
                ),
                migrations.AddConstraint(
                    model_name='periodclose',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='period_close_end_after_start', violation_error_message='结束日期不能早于开始日期'),
                ),
                migrations.AddConstraint(
                    model_name='correction',
                    constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='correction_reason_required', violation_error_message='结账后更正必须填写理由'),
                ),
            ],
        ),
    ]
