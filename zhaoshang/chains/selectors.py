"""Reads of the chains app, scoped to the user. Chains and their segments are the city's structure and
every user sees them; the projects in them are the user's ledger scope (`ledger.selectors.project_scope`)
and the targets those followed by the user's units — so a unit user's chain page and the ledger it links
to agree, and learn nothing about other units."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.core.db import MoneySum, money
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

from .models import (
    POSITION_ORDER,
    ChainProjectLink,
    ChainSegment,
    GapKind,
    IndustryChain,
    Meeting,
    MeetingReport,
    TargetEnterprise,
)


def chain_list() -> QuerySet[IndustryChain]:
    return IndustryChain.objects.filter(is_active=True).order_by("order", "name")


def chain_get(pk: int) -> IndustryChain:
    chain = IndustryChain.objects.filter(pk=pk).select_related(
        "task_force__unit", "task_force__leader").first()
    if chain is None:
        raise Http404(_("产业链不存在"))
    return chain


def chain_by_name(name: str) -> IndustryChain | None:
    return IndustryChain.objects.filter(name=name.strip()).first()


def segment_get(pk: int) -> ChainSegment:
    segment = ChainSegment.objects.filter(pk=pk).select_related("chain").first()
    if segment is None:
        raise Http404(_("产业链环节不存在"))
    return segment


def segments_in_order(chain: IndustryChain) -> list[ChainSegment]:
    segs = list(chain.segments.prefetch_related("gaps"))
    return sorted(segs, key=lambda s: (POSITION_ORDER.get(s.position, 9), s.order, s.pk))


def target_scope(user: User) -> QuerySet[TargetEnterprise]:
    qs = TargetEnterprise.objects.all()
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(following_unit_id__in=ids)


def target_list(*, user: User, chain: int | None = None, segment: int | None = None, status: str = "",
                tag: str = "", q: str = "") -> QuerySet[TargetEnterprise]:
    qs = target_scope(user).select_related("segment__chain", "following_unit", "project")
    if chain:
        qs = qs.filter(segment__chain_id=chain)
    if segment:
        qs = qs.filter(segment_id=segment)
    if status:
        qs = qs.filter(status=status)
    if tag:
        qs = qs.filter(tags__contains=f"|{tag}|")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def target_get(*, user: User, pk: int) -> TargetEnterprise:
    target = target_list(user=user).filter(pk=pk).first()
    if target is None:
        raise Http404(_("目标企业不存在或无权查看"))
    return target


def segment_project_ids(segment_id: int) -> QuerySet:
    return ChainProjectLink.objects.filter(segment_id=segment_id).values("project_id")


@dataclass
class SegmentFigures:
    segment: ChainSegment
    projects: int = 0
    amount: Decimal = Decimal("0")
    targets: int = 0
    gaps: list = field(default_factory=list)

    @property
    def has_break(self) -> bool:
        return any(g.kind == GapKind.BREAK for g in self.gaps)


@dataclass
class ChainFigures:
    chain: IndustryChain
    segments: list[SegmentFigures]

    @property
    def projects(self) -> int:
        return sum(s.projects for s in self.segments)

    @property
    def amount(self) -> Decimal:
        return sum((s.amount for s in self.segments), Decimal("0"))

    @property
    def targets(self) -> int:
        return sum(s.targets for s in self.segments)

    @property
    def breaks(self) -> int:
        return sum(1 for s in self.segments if s.has_break)


def chain_figures(*, user: User, chain: IndustryChain) -> ChainFigures:
    """Per segment: the user's projects landed in it (count and 签约金额) and targets followed."""
    segments = segments_in_order(chain)
    scope = project_scope(user)
    per_seg = {
        r["segment_id"]: r for r in ChainProjectLink.objects.filter(
            segment__chain=chain, project_id__in=scope.order_by().values("id"))
        .order_by().values("segment_id").annotate(n=Count("id"), amount=MoneySum("project__signed_amount"))
    }
    targets = dict(target_scope(user).filter(segment__chain=chain).order_by().values("segment_id")
                   .annotate(n=Count("id")).values_list("segment_id", "n"))
    figures = []
    for seg in segments:
        row = per_seg.get(seg.pk, {})
        figures.append(SegmentFigures(seg, row.get("n", 0), money(row.get("amount")), targets.get(seg.pk, 0),
                                      list(seg.gaps.all())))
    return ChainFigures(chain, figures)


def chains_overview(*, user: User) -> list[ChainFigures]:
    return [chain_figures(user=user, chain=c) for c in chain_list().prefetch_related("segments")]


def meeting_scope(user: User) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("organiser", "chair", "chain", "series")
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    # A unit user sees the meetings their units called or reported at.
    reported = MeetingReport.objects.filter(unit_id__in=ids).values("meeting_id")
    return qs.filter(Q(organiser_id__in=ids) | Q(id__in=reported))


def meeting_get(*, user: User, pk: int) -> Meeting:
    meeting = meeting_scope(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("会议不存在或无权查看"))
    return meeting
