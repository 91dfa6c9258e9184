"""产出质效: what a producing project yields in a year (产值, 税收, 用工, 用地), written with the rules of
the other ledger facts (scope on the introducing unit, closed periods, history, 核实认定), and the
figures derived from it: 亩均税收, 亩均产值 and 投资强度 (fixed-asset investment in place per 亩).

Web forms, the API and commands call these functions; the workbook sheet 产出 applies the same
rules in bulk (exchange/handlers/yields.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import clean_text
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import can_see_unit, check_can_edit_unit
from zhaoshang.periods import closing

from . import hooks
from .choices import FundKind, Verification
from .models import FundArrival, Project, ProjectYield
from .verification import mark_pending, mark_verified

YIELD_FIELDS = ("output_value", "tax", "employees", "land_mu", "note")
FIRST_YEAR = 1990
PER_MU_PLACES = Decimal("0.0001")


def year_end(year: int) -> dt.date:
    """The date a year's yield stands at (what closed periods 结账 are checked against)."""
    return dt.date(year, 12, 31)


def _check_year(project: Project, year) -> int:
    if not isinstance(year, int) or isinstance(year, bool):
        raise ApplicationError(_("请填写年度（如2024）"), field_errors={"year": [_("年度应为整数")]})
    now = today()
    if year < FIRST_YEAR or year > now.year:
        message = _("年度应在%(first)s年至%(last)s年之间") % {"first": FIRST_YEAR, "last": now.year}
        raise ApplicationError(message, field_errors={"year": [message]})
    if project.producing_on is None:
        message = _("项目尚未投产（未填写投产日期），不能登记产出")
        raise ApplicationError(message, field_errors={"year": [message]})
    if year < project.producing_on.year:
        message = _("项目于%(date)s投产，不能登记%(year)s年的产出") % {
            "date": f"{project.producing_on:%Y-%m-%d}", "year": year}
        raise ApplicationError(message, field_errors={"year": [message]})
    return year


def _check_something(item: ProjectYield) -> None:
    if item.output_value is None and item.tax is None and item.employees is None and item.land_mu is None:
        message = _("产值、税收、用工人数、用地至少填写一项")
        raise ApplicationError(message, field_errors={"tax": [message]})


def _summary(item: ProjectYield) -> str:
    parts = [f"{item.year}年"]
    if item.output_value is not None:
        parts.append(f"产值{item.output_value.normalize():f}万元")
    if item.tax is not None:
        parts.append(f"税收{item.tax.normalize():f}万元")
    if item.employees is not None:
        parts.append(f"用工{item.employees}人")
    if item.land_mu is not None:
        parts.append(f"用地{item.land_mu.normalize():f}亩")
    return " ".join(parts)


@transaction.atomic
def yield_record(*, user: User, project: Project, year: int, output_value: Decimal | None = None,
                 tax: Decimal | None = None, employees: int | None = None, land_mu: Decimal | None = None,
                 note: str = "", correction_reason: str = "") -> ProjectYield:
    """Record a year's yield of a producing project; it starts at 待核实 and counts under
    `basis = "verified"` once 已认定. One row per project and year."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目的产出"))
    year = _check_year(project, year)
    if ProjectYield.objects.filter(project=project, year=year).exists():
        message = _("%(year)s年的产出已登记，请在原记录上修改") % {"year": year}
        raise ApplicationError(message, field_errors={"year": [message]})
    item = ProjectYield(project=project, year=year, output_value=output_value, tax=tax, employees=employees,
                        land_mu=land_mu, note=(note or "").strip(), recorded_by=user)
    _check_something(item)
    _validate(item)
    closed = closing.guard(user=user, dates=[year_end(year)], reason=correction_reason)
    _save(item, user)
    closed.record(record="产出", action="新增", project=project, summary=_summary(item), date=year_end(year))
    hooks.project_saved(project=project, user=user)
    return item


@transaction.atomic
def yield_update(*, user: User, item: ProjectYield, correction_reason: str = "", **fields) -> ProjectYield:
    """Change a year's figures. A changed yield that was checked goes back to 待核实; a 不予认定 one
    stays refused."""
    project = item.project
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目的产出"))
    unknown = set(fields) - set(YIELD_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if item.verification == Verification.REJECTED:
        raise ApplicationError(_("该产出记录已不予认定，不能修改"))
    before = {name: getattr(item, name) for name in YIELD_FIELDS}
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    changed = [name for name in YIELD_FIELDS if getattr(item, name) != before[name]]
    if not changed:
        return item
    _check_something(item)
    _validate(item)
    closed = closing.guard(user=user, dates=[year_end(item.year)], reason=correction_reason)
    if item.verification != Verification.PENDING:
        mark_pending(item)
        item.verification_reason = ""
        item._change_reason = _("修改后重新报送")
    _save(item, user)
    closed.record(record="产出", action="修改", project=project, summary=_summary(item), date=year_end(item.year))
    hooks.project_saved(project=project, user=user)
    return item


@transaction.atomic
def yield_delete(*, user: User, item: ProjectYield, correction_reason: str = "") -> None:
    project = item.project
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目的产出"))
    if item.verification == Verification.VERIFIED and not user.is_assessor:
        raise PermissionDeniedError(_("已认定的产出记录只有考核办可以删除"))
    closed = closing.guard(user=user, dates=[year_end(item.year)], reason=correction_reason)
    summary = _summary(item)
    item._history_user = user
    item.delete()
    closed.record(record="产出", action="删除", project=project, summary=summary, date=year_end(item.year))
    hooks.project_saved(project=project, user=user)


# ---------------------------------------------------------------------------------------------
# 核实认定 of a yield: the same steps as a stage filing or a fund arrival (integrity/services/verification).


def _check_may_verify(user: User, item: ProjectYield) -> None:
    if not user.is_authenticated or not user.can_verify:
        raise PermissionDeniedError(_("只有考核办可以核实认定"))
    if not user.is_assessor and not can_see_unit(user, item.project.lead_unit_id):
        raise PermissionDeniedError(_("区考核办只能核实本辖区单位的记录"))


def _refuse(item: ProjectYield, action: str) -> ApplicationError:
    return ApplicationError(_("该产出记录当前为“%(state)s”，不能%(action)s")
                            % {"state": item.get_verification_display(), "action": action})


@transaction.atomic
def yield_approve(*, user: User, item: ProjectYield, note: str = "") -> ProjectYield:
    """初审通过 (a district assessor) or 已认定 (the city, or a district it delegated)."""
    _check_may_verify(user, item)
    item = ProjectYield.objects.select_for_update().select_related("project").get(pk=item.pk)
    allowed = (Verification.PENDING, Verification.PRELIMINARY) if user.is_assessor else (Verification.PENDING,)
    if item.verification not in allowed:
        raise _refuse(item, pgettext("button", "通过"))
    note = clean_text(note, field="note", label=_("意见"), max_length=100)
    at = timezone.now()
    delegated = user.is_district_assessor and bool(user.unit and user.unit.verification_delegated)
    if user.is_assessor or delegated:
        mark_verified(item, user=user, at=at)
        reason = _("认定")
    else:
        item.verification = Verification.PRELIMINARY
        item.verification_reason = ""
        item.preliminary_by, item.preliminary_at = user, at
        item.reviewed_by, item.reviewed_at = user, at
        reason = _("初审通过")
    item._change_reason = (f"{reason}：{note}" if note else reason)[:100]
    _save(item, user)
    return item


@transaction.atomic
def yield_send_back(*, user: User, item: ProjectYield, reason: str, reject: bool = False) -> ProjectYield:
    """退回 (the unit corrects it) or 不予认定 (it never counts), with a reason."""
    _check_may_verify(user, item)
    action = pgettext("button", "不予认定") if reject else pgettext("button", "退回")
    reason = clean_text(reason, field="reason", label=_("理由"), max_length=500, multiline=True)
    if not reason:
        raise ApplicationError(_("请填写%(action)s理由") % {"action": action},
                               field_errors={"reason": [_("%(action)s必须填写理由") % {"action": action}]})
    item = ProjectYield.objects.select_for_update().select_related("project").get(pk=item.pk)
    allowed = [Verification.PENDING, Verification.PRELIMINARY]
    if user.is_assessor:
        allowed.append(Verification.VERIFIED)
    if reject:
        allowed.append(Verification.RETURNED)
    if item.verification not in allowed:
        raise _refuse(item, action)
    mark_pending(item)
    item.verification = Verification.REJECTED if reject else Verification.RETURNED
    item.verification_reason = reason
    item.reviewed_by, item.reviewed_at = user, timezone.now()
    item._change_reason = f"{action}：{reason}"[:100]
    _save(item, user)
    return item


# ---------------------------------------------------------------------------------------------
# Derived figures


def per_mu(amount: Decimal | None, land_mu: Decimal | None) -> Decimal | None:
    """An amount per 亩 (万元/亩), or None without both figures or without land."""
    if amount is None or not land_mu:
        return None
    return (Decimal(amount) / Decimal(land_mu)).quantize(PER_MU_PLACES)


def fixed_investment(project: Project, up_to: dt.date, *, verified_only: bool = False) -> Decimal:
    """Fixed-asset investment in place (固定资产投资到位资金) up to a date, 万元."""
    qs = FundArrival.objects.filter(project=project, kind=FundKind.FIXED_ASSET, date__lte=up_to)
    if verified_only:
        qs = qs.filter(verification=Verification.VERIFIED)
    return qs.aggregate(v=Sum("amount"))["v"] or Decimal(0)


def growth(current: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Growth on last year as a fraction (0.25 = 25%), None without a positive last year."""
    if current is None or not last:
        return None
    return ((Decimal(current) - Decimal(last)) / Decimal(last)).quantize(PER_MU_PLACES)


@dataclasses.dataclass
class YieldFigures:
    """One year's yield with what follows from it, for the project page and the API."""

    item: ProjectYield
    tax_per_mu: Decimal | None
    output_per_mu: Decimal | None
    intensity: Decimal | None
    tax_growth: Decimal | None
    output_growth: Decimal | None


def project_figures(project: Project) -> list[YieldFigures]:
    """The project's yields, latest year first, with 亩均税收, 亩均产值, 投资强度 and growth."""
    items = list(ProjectYield.objects.filter(project=project).select_related("recorded_by", "verified_by",
                                                                             "preliminary_by").order_by("year"))
    arrivals = list(FundArrival.objects.filter(project=project, kind=FundKind.FIXED_ASSET)
                    .values_list("date", "amount"))
    out = []
    by_year = {i.year: i for i in items}
    for item in items:
        item.project = project
        last = by_year.get(item.year - 1)
        invested = sum((a for d, a in arrivals if d <= year_end(item.year)), Decimal(0))
        out.append(YieldFigures(
            item=item,
            tax_per_mu=per_mu(item.tax, item.land_mu),
            output_per_mu=per_mu(item.output_value, item.land_mu),
            intensity=per_mu(invested, item.land_mu) if invested else None,
            tax_growth=growth(item.tax, last.tax if last else None),
            output_growth=growth(item.output_value, last.output_value if last else None),
        ))
    out.reverse()
    return out


# ---------------------------------------------------------------------------------------------
# 税收分成 (Bozhou's 共享机制): a project's tax is shared by its share ratio, or by a separate tax ratio
# where the places agreed one (`ProjectShare.tax_ratio`, None = the share ratio).

TAX_TOLERANCE = Decimal("0.00001")


def effective_tax_ratio(ratio: Decimal, tax_ratio: Decimal | None) -> Decimal:
    return Decimal(tax_ratio) if tax_ratio is not None else Decimal(ratio)


def check_tax_ratios(pairs) -> None:
    """`pairs`: (share ratio, tax ratio or None) of one project's shares. When any tax ratio is set the
    tax parts (a blank one takes its share ratio) must sum to 1."""
    pairs = list(pairs)
    if not any(t is not None for _r, t in pairs):
        return
    errors = []
    if any(t is not None and not Decimal(0) <= Decimal(t) <= 1 for _r, t in pairs):
        errors.append(_("每个税收分成比例必须在0到1之间"))
    total = sum((effective_tax_ratio(r, t) for r, t in pairs), Decimal(0))
    if abs(total - 1) > TAX_TOLERANCE:
        errors.append(_("税收分成比例之和应为1（未填写的按共享比例计），实际为%(total)s")
                      % {"total": f"{total.normalize():f}"})
    if errors:
        raise ApplicationError(_("税收分成比例有误：%(errors)s") % {"errors": "；".join(errors)},
                               field_errors={"shares": errors})


@transaction.atomic
def project_set_shares_and_tax(*, user: User, project: Project, shares, correction_reason: str = ""):
    """Set a project's shares (`services.project_set_shares`) with a tax ratio per unit: `shares` is
    [(unit, ratio, tax_ratio or None)]. Returns the share change waiting for another unit's consent, or
    None when applied. Tax ratios apply with the shares; a change that waits cannot carry them."""
    from . import services

    shares = list(shares)
    check_tax_ratios([(r, t) for _u, r, t in shares])
    change = services.project_set_shares(user=user, project=project, shares=[(u, r) for u, r, _t in shares],
                                         correction_reason=correction_reason)
    wanted = {u.pk: (Decimal(t) if t is not None else None) for u, _r, t in shares}
    if change is not None:
        current = dict(project.shares.values_list("unit_id", "tax_ratio"))
        if any(t is not None and current.get(uid) != t for uid, t in wanted.items()):
            raise ApplicationError(
                _("该共享变更须其他单位确认后生效，税收分成比例请在确认后另行设置"),
                field_errors={"shares": [_("待确认的共享变更不能同时设置税收分成比例")]})
        return change
    for share in project.shares.all():
        tax_ratio = wanted.get(share.unit_id)
        if share.tax_ratio != tax_ratio:
            share.tax_ratio = tax_ratio
            _validate(share)
            _save(share, user)
    return None
