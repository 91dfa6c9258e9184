"""Which evidence (材料) each kind of countable fact needs before it can be verified, and what a
filing still lacks. The rules are data (the setting `VERIFICATION_EVIDENCE`); this module only reads
them, so the verification queue, the project page and the API all say the same thing."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.core.uscc import is_valid_uscc

from .choices import EvidenceKind, Stage
from .models import FundArrival, StageRecord

FUND = "fund"
USCC = "uscc"  # not a file: the project must name its investor's valid 统一社会信用代码
INLINE_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def fact_key(fact: StageRecord | FundArrival) -> str:
    """The key of the fact's rules in `VERIFICATION_EVIDENCE`: its stage, or "fund"."""
    return fact.stage if isinstance(fact, StageRecord) else FUND


def requirements(key: str) -> list[list[str]]:
    return [list(req) for req in settings.VERIFICATION_EVIDENCE.get(key, [])]


def evidence_kinds(fact: StageRecord | FundArrival) -> set[str]:
    """The material kinds the fact carries (uses a prefetched `evidence` when there is one)."""
    if isinstance(fact, StageRecord):
        return {item.kind for item in fact.evidence.all()}
    return {fact.evidence_kind or EvidenceKind.OTHER} if fact.evidence else set()


def _label(kind: str) -> str:
    return str(EvidenceKind(kind).label)


def missing_evidence(fact: StageRecord | FundArrival) -> list[str]:
    """What the fact still lacks, one plain sentence per unmet requirement (empty when complete)."""
    have = evidence_kinds(fact)
    missing = []
    for req in requirements(fact_key(fact)):
        files = [k for k in req if k != USCC]
        if USCC in req and is_valid_uscc(fact.project.investor_uscc or ""):
            continue
        if files and have & set(files):
            continue
        names = [_label(k) for k in files]
        if USCC in req:
            names.append(_("有效的投资方统一社会信用代码"))
        missing.append(_("缺少%(what)s") % {"what": _("或").join(names)})
    return missing


def required_summary(key: str) -> str:
    """“须有：协议/合同” for a form's help text."""
    parts = []
    for req in requirements(key):
        names = [_label(k) for k in req if k != USCC]
        if USCC in req:
            names.append(_("统一社会信用代码"))
        parts.append(_("或").join(names))
    return _("认定须有：%(what)s") % {"what": "；".join(parts)} if parts else ""


def stage_of(key: str) -> str:
    return str(Stage(key).label) if key != FUND else _("到位资金")
