"""Reports: the frozen content of the bulletin of a published run. (Closed periods and their
corrections live in the periods app, below the ledger.)"""

from django.db import models


class BulletinSnapshot(models.Model):
    """The content of a published run's bulletin (tables, overview, problems, key projects) frozen
    when it was first needed after publication, so the bulletin reads the same whatever changes later."""

    run = models.OneToOneField("assessment.AssessmentRun", verbose_name="考核结果", on_delete=models.PROTECT,
                               related_name="bulletin_snapshot")
    content = models.JSONField("内容")
    sha256 = models.CharField("内容哈希", max_length=64)
    created_at = models.DateTimeField("冻结时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报快照"

    def __str__(self) -> str:
        return f"{self.run} 通报"
