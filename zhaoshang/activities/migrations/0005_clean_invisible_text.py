"""Remove the invisible characters (control, bidirectional and zero-width characters) stored before the
rule of core/text.py refused them, so every export and page works with the rows already there (issue 11).
Running it again changes nothing; there is nothing to undo."""

from django.db import migrations

from zhaoshang.core.text import clean_stored_text

MODELS = [
    "activities.PromotionEvent",
    "activities.Visit",
    "activities.Recommendation",
    "activities.SubmissionDeadline",
    "activities.SubmissionStep",
    "activities.WorkLog",
    "activities.WeeklyCheck",
    "activities.MajorInfoReport",
    "activities.OfficeBudget",
    "activities.Expense",
]


def clean(apps, schema_editor):
    clean_stored_text(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_visit_industry")]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
