# PeriodClose and Correction now belong to the periods app; their tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('periods', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='Correction'),
                migrations.DeleteModel(name='PeriodClose'),
            ],
        ),
    ]
