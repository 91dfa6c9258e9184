"""Acceptance 3 (issue 14): the generated 产业招商指南 and the meeting minutes open in LibreOffice, with the
chain, its segments and gaps, the local base and policies, the targets by segment and the contacts; the
minutes with the reports, decisions and action items."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.factories import PersonFactory, ProjectFactory, UnitFactory
from zhaoshang.chains.documents import guide_docx, minutes_docx
from zhaoshang.chains.models import (
    ActionItem,
    ChainProjectLink,
    ChainSegment,
    GapKind,
    IndustryChain,
    Meeting,
    MeetingReport,
    SegmentGap,
    TargetEnterprise,
    TaskForce,
)

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def chain(db):
    force = UnitFactory(code="ZB01", name="新能源汽车产业专班", kind="task_force")
    office = UnitFactory(code="BJ01", name="驻北京招商局", kind="resident_office", regions="北京、天津")
    chain = IndustryChain.objects.create(name="新能源汽车", sections="C", classes="C36 汽车制造业",
                                         local_base="全市已有整车企业两家", policies="固定资产投资补助最高1000万元")
    chain.offices.set([office])
    leader = PersonFactory(unit=UnitFactory(code="BM01", name="市政府办公室", kind="department"), name="王市长",
                           title="副市长")
    tf = TaskForce.objects.create(chain=chain, unit=force, leader=leader, guide_title="《新能源汽车产业招商指南》")
    tf.team.set([PersonFactory(unit=force, name="李专员")])
    up = ChainSegment.objects.create(chain=chain, position="up", name="电池材料", order=0)
    mid = ChainSegment.objects.create(chain=chain, position="mid", name="动力电池", order=1,
                                      local_enterprises="本地电池企业甲")
    SegmentGap.objects.create(segment=up, kind=GapKind.BREAK, note="本地无正极材料企业")
    ChainProjectLink.objects.create(project=ProjectFactory(lead_unit=force, signed_amount=Decimal("30000")),
                                    segment=mid)
    TargetEnterprise.objects.create(name="宁德某电池有限公司", segment=mid, following_unit=force, tags="|fortune500|",
                                    region="福建宁德", contact_name="陈经理", contact_phone="13900000000",
                                    status="contacted", first_contact_on=dt.date(2024, 1, 5))
    return chain, force, office


def test_guide_opens_in_libreoffice(chain, to_pdf, tmp_path):
    path = tmp_path / "招商指南.docx"
    path.write_bytes(guide_docx(chain[0]))
    text, pages = to_pdf(path)
    flat = squash(text)
    for expected in ("新能源汽车产业招商指南", "一、产业链概况", "王市长", "新能源汽车产业专班", "李专员",
                     "二、产业链环节及堵点、断点、痛点、难点", "电池材料", "断点", "本地无正极材料企业",
                     "本地电池企业甲", "1个/30,000.00万元", "全市已有整车企业两家", "固定资产投资补助最高1000万元",
                     "五、重点目标企业", "宁德某电池有限公司", "世界500强", "六、联系方式", "陈经理", "13900000000",
                     "驻北京招商局"):
        assert squash(expected) in flat, expected
    assert pages >= 1


def test_minutes_open_in_libreoffice(chain, to_pdf, tmp_path):
    _, force, office = chain
    meeting = Meeting.objects.create(kind="dispatch", title="2024年3月上半月驻点招商工作调度会",
                                     date=dt.date(2024, 3, 12), organiser=force, decisions="各驻点局本月再签约一批项目")
    MeetingReport.objects.create(meeting=meeting, unit=office, content="本期走访企业12家")
    ActionItem.objects.create(meeting=meeting, text="跟进宁德某电池有限公司考察", owner_unit=office,
                              deadline=dt.date(2024, 3, 31))
    path = tmp_path / "纪要.docx"
    path.write_bytes(minutes_docx(meeting))
    flat = squash(to_pdf(path)[0])
    for expected in ("2024年3月上半月驻点招商工作调度会纪要", "驻点招商工作调度会", "一、工作汇报", "本期走访企业12家",
                     "二、会议决定", "各驻点局本月再签约一批项目", "三、督办事项", "跟进宁德某电池有限公司考察",
                     "2024-03-31", "未完成"):
        assert squash(expected) in flat, expected
