"""Pre-review (项目预评审) before a project is signed.

Seed 003: "各区要建立项目预评审制度…严把项目准入关，在项目落地前进行充分论证，坚决淘汰不符合转调方向、
政策导向、环保要求的项目". Seed 002 (博乐): "坚持严禁“三高”项目进博乐…坚决杜绝高污染、高能耗、高排放的产业项目落地".
So a review that finds the project off the 转调方向 or the 政策导向, or marks any of the 三高, cannot pass.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Fit(models.TextChoices):
    YES = "fit", _("符合")
    NO = "unfit", _("不符合")


class Conclusion(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")


THREE_HIGHS = (("high_pollution", _("高污染")), ("high_energy", _("高能耗")), ("high_emission", _("高排放")))


class PreReview(models.Model):
    """One pre-review of a project. The latest review (by date, then entry) is the project's standing:
    a later 不通过 withdraws an earlier 通过."""

    project = models.ForeignKey("ledger.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="prereviews")
    direction_fit = models.CharField(_("转调方向"), max_length=10, choices=Fit.choices)
    direction_note = models.CharField(_("转调方向说明"), max_length=300, blank=True)
    policy_fit = models.CharField(_("政策导向"), max_length=10, choices=Fit.choices)
    policy_note = models.CharField(_("政策导向说明"), max_length=300, blank=True)
    high_pollution = models.BooleanField(_("高污染"), default=False)
    high_energy = models.BooleanField(_("高能耗"), default=False)
    high_emission = models.BooleanField(_("高排放"), default=False)
    reviewer = models.CharField(_("评审人"), max_length=200)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_on = models.DateField(_("评审日期"))
    conclusion = models.CharField(_("评审结论"), max_length=10, choices=Conclusion.choices)
    note = models.TextField(_("评审意见"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = _("项目预评审")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(conclusion=Conclusion.PASSED) | Q(
                    high_pollution=False, high_energy=False, high_emission=False,
                    direction_fit=Fit.YES, policy_fit=Fit.YES),
                name="prereview_pass_needs_fit_and_no_three_highs",
                violation_error_message=_("“三高”项目或不符合转调方向、政策导向的项目不能评审通过"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.reviewed_on:%Y-%m-%d} {self.get_conclusion_display()}"

    @property
    def three_highs(self) -> list[str]:
        """The 三高 marked on this review, as a person reads them."""
        return [str(label) for name, label in THREE_HIGHS if getattr(self, name)]

    def clean(self) -> None:
        if self.conclusion != Conclusion.PASSED:
            return
        errors = {}
        marked = self.three_highs
        if marked:
            errors["conclusion"] = [
                _("项目存在%(highs)s问题，属“三高”项目，不能评审通过") % {"highs": "、".join(marked)}]
        if self.direction_fit == Fit.NO:
            errors.setdefault("conclusion", []).append(_("项目不符合转调方向，不能评审通过"))
        if self.policy_fit == Fit.NO:
            errors.setdefault("conclusion", []).append(_("项目不符合政策导向，不能评审通过"))
        if errors:
            raise ValidationError(errors)
