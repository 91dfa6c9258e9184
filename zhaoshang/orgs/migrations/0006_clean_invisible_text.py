"""Remove the invisible characters (control, bidirectional and zero-width characters) stored before the
rule of core/text.py refused them, so every export and page works with the rows already there (issue 11).
Running it again changes nothing; there is nothing to undo."""

from django.db import migrations

from zhaoshang.core.text import clean_stored_text

MODELS = ["orgs.UnitGroup", "orgs.Unit", "orgs.Grouping", "orgs.Person", "orgs.ApiToken"]


def clean(apps, schema_editor):
    clean_stored_text(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_administrator_roles")]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
