"""Facts filed before verification existed count as they did: every stage filing and fund arrival
already stored becomes 已认定, dated on its own business date (so a run as of any earlier day counts
exactly what it counted before), and every signed project gets its 签约 filing. New filings start at
待核实. Set-based updates, so a province-sized ledger migrates in a few statements."""

from django.db import migrations
from django.db.models import F

STAGES = {"signed": "signed_on", "registered": "registered_on", "started": "started_on",
          "completed": "completed_on", "producing": "producing_on"}


def forwards(apps, schema_editor):
    Project = apps.get_model("ledger", "Project")
    StageRecord = apps.get_model("ledger", "StageRecord")
    FundArrival = apps.get_model("ledger", "FundArrival")

    # 签约 had no filing row: the signing date lived on the project only.
    batch = []
    for pid, signed_on in (Project.objects.filter(signed_on__isnull=False)
                           .exclude(stage_records__stage="signed").values_list("id", "signed_on").iterator()):
        batch.append(StageRecord(project_id=pid, stage="signed", date=signed_on, note="随项目信息录入"))
        if len(batch) >= 5000:
            StageRecord.objects.bulk_create(batch)
            batch = []
    StageRecord.objects.bulk_create(batch)

    StageRecord.objects.update(verification="verified", verified_on=F("date"))
    FundArrival.objects.update(verification="verified", verified_on=F("date"))
    Project.objects.update(**{f"{stage}_verified_on": F(field) for stage, field in STAGES.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0004_verification"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
