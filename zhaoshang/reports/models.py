"""Reports: the frozen content of the bulletin of a published run. (Closed periods and their
corrections live in the periods app, below the ledger.)"""

from django.db import models
from simple_history.models import HistoricalRecords


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


class DocumentNumber(models.Model):
    """A 发文字号 (文号) taken by a document: unique per issuing body and year of issue (the year the
    document is dated), reserved when a run's bulletin or annual report is frozen and never reused."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "工作通报"
        ANNUAL = "annual", "考核结果通报"

    issuer = models.CharField("发文机关", max_length=100)
    code = models.CharField("机关代字", max_length=30, blank=True)
    year = models.PositiveIntegerField("年份")
    number = models.PositiveIntegerField("序号")
    run = models.ForeignKey("assessment.AssessmentRun", verbose_name="考核结果", on_delete=models.PROTECT,
                            related_name="document_numbers")
    kind = models.CharField("文种", max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField("编号时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "文号"
        ordering = ["issuer", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="reports_docno_unique_per_issuer_year"),
            models.UniqueConstraint(fields=["run", "kind"], name="reports_docno_one_per_run_kind"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """郑招考〔2024〕3号 (GB/T 9704: 机关代字, the year in 六角括号, the number without leading zeros)."""
        return f"{self.code}〔{self.year}〕{self.number}号"
