"""The demo city's verification (核实认定) mix, put on top of the generator's all-verified ledger once the
accounts exist: what a city looks like a few weeks before its bulletin.

- Facts (stage filings and fund arrivals) of the last two months wait: 待核实, filed by the unit's
  account; in the district assessor's district (`qkh`) about half have passed their 初审.
- Three were returned (退回) by the city assessor with a reason, one was rejected (不予认定).
- Everything else is 已认定 by the city assessor, on the fact's own date (so the demo's scores stay those
  of the generator).
- Facts of the last five months carry evidence: small real PDFs and PNGs written at run time, so the
  queue shows evidence beside a record; a few waiting ones lack theirs, and the queue says what is missing.

Deterministic for a seed (its own random stream); bulk updates, no history rows (like the generator)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F

from zhaoshang.core.periods import today as shanghai_today
from zhaoshang.ledger.choices import EvidenceKind, FundKind, Stage, Verification
from zhaoshang.ledger.models import FundArrival, StageEvidence, StageRecord, evidence_path, fund_evidence_path
from zhaoshang.ledger.verification import refresh_project_verified_dates
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Unit, User

from .activitygen import aware
from .evidencefiles import pdf_bytes, png_bytes

RECENT_DAYS = 60  # filed this recently: still waiting
EVIDENCE_DAYS = 150  # filed this recently: the evidence files are in the demo
DISTRICT_ASSESSOR = "qkh"
DISTRICT_UNIT = "ZM01"  # 中牟县 and its towns
RETURNED = {  # what the city assessor sent back, and why
    "fund": "缺少银行回单，请补充后重新报送",
    Stage.STARTED: "缺少施工许可证或开工现场照片，请补充后重新报送",
    Stage.REGISTERED: "营业执照扫描件不清晰，统一社会信用代码无法辨认，请重新上传后报送",
}
REJECTED = "经实地核查，投资方系2019年已在本市注册的存量企业，本次属于重新包装申报，不予认定为新签约项目"
# Per fact: (material kind, the file's Chinese name, PDF or PNG, its English title in the PDF).
MATERIALS = {
    Stage.SIGNED: (EvidenceKind.CONTRACT, "投资协议", "pdf", "INVESTMENT AGREEMENT"),
    Stage.REGISTERED: (EvidenceKind.LICENSE, "营业执照", "png", ""),
    Stage.STARTED: (EvidenceKind.PERMIT, "施工许可证", "pdf", "CONSTRUCTION PERMIT"),
    Stage.COMPLETED: (EvidenceKind.ACCEPTANCE, "竣工验收备案表", "pdf", "COMPLETION ACCEPTANCE RECORD"),
    Stage.PRODUCING: (EvidenceKind.PRODUCTION, "投产证明", "pdf", "CERTIFICATE OF PRODUCTION"),
    "fund": (EvidenceKind.BANK_RECEIPT, "银行回单", "pdf", "BANK RECEIPT"),
    "capital": (EvidenceKind.CAPITAL_REPORT, "验资报告", "pdf", "CAPITAL VERIFICATION REPORT"),
}
PHOTO = (EvidenceKind.PHOTO, "现场照片", "png", "")
STATE_FIELDS = ["verification", "verification_reason", "preliminary_by", "preliminary_at", "verified_by",
                "verified_at", "verified_on", "reviewed_by", "reviewed_at"]


def _key(fact) -> str:
    return fact.stage if isinstance(fact, StageRecord) else "fund"


def _material(fact) -> tuple:
    if isinstance(fact, StageRecord):
        return MATERIALS[fact.stage]
    return MATERIALS["capital" if fact.kind in (FundKind.REGISTERED_CAPITAL, FundKind.FOREIGN) else "fund"]


def _file(fact, material: tuple, n: int) -> bytes:
    _kind, _label, ext, title = material
    if ext == "png":
        return png_bytes(fact.pk, photo=material[0] == EvidenceKind.PHOTO)
    project = fact.project
    lines = [f"Project code: {project.code}", f"Date: {fact.date:%Y-%m-%d}"]
    if project.investor_uscc:
        lines.append(f"Investor USCC: {project.investor_uscc}")
    amount = getattr(fact, "amount", None) or project.signed_amount
    lines += [f"Amount: {amount.normalize():f} (10k CNY)", f"Document no.: ZS-{fact.date:%Y}-{n:05d}"]
    return pdf_bytes(title, lines)


class _Mix:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(f"zhaoshang:{seed}:verification")
        self.today = today
        self.assessor = User.objects.filter(username="assessor").first()
        self.district = User.objects.filter(username=DISTRICT_ASSESSOR).first()
        self.staff = {u.unit_id: u for u in User.objects.filter(role=UserRole.UNIT_STAFF).order_by("id")}
        district_unit = Unit.objects.filter(code=DISTRICT_UNIT).first()
        self.district_units = set()
        if district_unit is not None:
            self.district_units = {district_unit.pk, *Unit.objects.filter(parent=district_unit).values_list("pk",
                                                                                                            flat=True)}
        self.counts: Counter = Counter()
        self.files = 0

    def at(self, day: dt.date, later: int, hour: int = 10) -> dt.datetime:
        return aware(min(day + dt.timedelta(days=later), self.today), hour, 30)

    def run(self) -> Counter:
        recent = self.today - dt.timedelta(days=RECENT_DAYS)
        shown = self.today - dt.timedelta(days=EVIDENCE_DAYS)
        # Older facts were verified by the city assessor (on their own date, as the generator set it).
        StageRecord.objects.filter(verification=Verification.VERIFIED).update(
            verified_by=self.assessor, reviewed_by=self.assessor)
        FundArrival.objects.filter(verification=Verification.VERIFIED).update(
            verified_by=self.assessor, reviewed_by=self.assessor)
        # In the district assessor's district those older facts passed its 初审 first (分级考核), so a
        # spot-check of any past year (`zhaoshang integrity spotcheck --period 2025`) has a population.
        if self.district and self.district_units:
            for model in (StageRecord, FundArrival):
                model.objects.filter(verification=Verification.VERIFIED,
                                     project__lead_unit_id__in=self.district_units).update(
                    preliminary_by=self.district, preliminary_at=F("verified_at"))
        records = list(StageRecord.objects.filter(date__gte=shown).select_related("project").order_by("date", "id"))
        funds = list(FundArrival.objects.filter(date__gte=shown).select_related("project").order_by("date", "id"))
        facts = [*records, *funds]
        waiting = [f for f in facts if f.date >= recent]
        for fact in waiting:
            self.pending(fact)
        returned = self.pick_returned(waiting, facts)
        rejected = self.pick_rejected(facts, set(map(id, returned)))
        missing = {id(f) for f in waiting if f not in returned and self.rng.random() < 0.12}
        missing |= {id(f) for f in returned if _key(f) != Stage.REGISTERED}  # returned for a missing file
        for fact in waiting:
            if fact in returned or fact is rejected:
                continue
            if fact.project.lead_unit_id in self.district_units and self.rng.random() < 0.5 and self.district:
                fact.verification = Verification.PRELIMINARY
                fact.preliminary_by = fact.reviewed_by = self.district
                fact.preliminary_at = fact.reviewed_at = self.at(fact.date, 2, 15)
        self.write_evidence(facts, missing)
        StageRecord.objects.bulk_update(records, [*STATE_FIELDS, "filed_by"], batch_size=500)
        FundArrival.objects.bulk_update(funds, [*STATE_FIELDS, "recorded_by", "evidence", "evidence_kind"],
                                        batch_size=500)
        for fact in facts:
            if fact.verification != Verification.VERIFIED:
                self.counts[str(Verification(fact.verification).label)] += 1
        self.counts["证明材料"] = self.files
        ids = sorted({r.project_id for r in records})
        for i in range(0, len(ids), 900):
            refresh_project_verified_dates(ids[i:i + 900])
        return self.counts

    def pending(self, fact) -> None:
        fact.verification = Verification.PENDING
        fact.verified_by = fact.verified_at = fact.verified_on = None
        fact.reviewed_by = fact.reviewed_at = None
        filer = self.staff.get(fact.project.lead_unit_id)
        if isinstance(fact, StageRecord):
            fact.filed_by = filer
        else:
            fact.recorded_by = filer

    def pick_returned(self, waiting: list, facts: list) -> list:
        chosen = []
        for key, reason in RETURNED.items():
            pool = [f for f in waiting if _key(f) == key and f.project.lead_unit_id not in self.district_units]
            pool = pool or [f for f in facts if _key(f) == key]
            if not pool:
                continue
            fact = pool[int(self.rng.random() * len(pool))]
            if fact.verification != Verification.PENDING:
                self.pending(fact)
            fact.verification, fact.verification_reason = Verification.RETURNED, reason
            fact.reviewed_by, fact.reviewed_at = self.assessor, self.at(fact.date, 3)
            chosen.append(fact)
        return chosen

    def pick_rejected(self, facts: list, taken: set):
        # A signing of this year that went no further: the packaged project the speech warns about.
        pool = [f for f in facts if _key(f) == Stage.SIGNED and id(f) not in taken
                and f.project.stage == Stage.SIGNED]
        pool = pool or [f for f in facts if _key(f) == Stage.SIGNED and id(f) not in taken]
        if not pool:
            return None
        fact = pool[int(self.rng.random() * len(pool))]
        self.pending(fact)
        fact.verification, fact.verification_reason = Verification.REJECTED, REJECTED
        fact.reviewed_by, fact.reviewed_at = self.assessor, self.at(fact.date, 5)
        return fact

    def write_evidence(self, facts: list, missing: set) -> None:
        items = []
        for n, fact in enumerate(facts, start=1):
            if id(fact) in missing:
                continue
            materials = [_material(fact)]
            if _key(fact) == Stage.STARTED and self.rng.random() < 0.5:
                materials.append(PHOTO)
            for material in materials:
                kind, label, ext = material[0], material[1], material[2]
                filename = f"{fact.project.code}-{label}-{fact.date:%Y%m%d}.{ext}"
                if isinstance(fact, StageRecord):
                    item = StageEvidence(record=fact, kind=kind)
                    item.file.name = default_storage.save(evidence_path(item, filename),
                                                          ContentFile(_file(fact, material, n)))
                    items.append(item)
                else:
                    fact.evidence.name = default_storage.save(fund_evidence_path(fact, filename),
                                                              ContentFile(_file(fact, material, n)))
                    fact.evidence_kind = kind
                self.files += 1
        StageEvidence.objects.bulk_create(items, batch_size=500)


def apply_verification_mix(*, seed: int, today: dt.date | None = None) -> Counter:
    """Put the demo's verification states and evidence on the generated ledger; returns a count per
    state that is not 已认定, and of the evidence files written."""
    return _Mix(seed, today or shanghai_today()).run()
