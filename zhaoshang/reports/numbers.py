"""文号 (发文字号) of the documents made from a run: the issuing body, its 机关代字 and the year the document
is dated (the year of issue, not the year of the data), numbered 1, 2, 3 … per body and year.

A number is reserved once, when the run's bulletin is frozen (at publication) or its annual report is first
made for a published run, and never reused: the row stays even if the document is made again, and the unique
constraint (issuer, year, number) refuses a second holder. Two publications at the same moment cannot take
the same number: the last number is read under `select_for_update` (PostgreSQL locks it; SQLite writes one
at a time), and a collision that slips through is retried with the next number."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.utils import timezone

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import today

from .models import DocumentNumber

DEFAULT_ISSUER = "招商引资工作领导小组办公室"
ATTEMPTS = 5


def issuer(scheme=None) -> str:
    """The issuing body: the scheme's [bulletin] issuer (else ZHAOSHANG_ISSUER, else 招商引资工作领导小组办公室),
    with the city's name (ZHAOSHANG_CITY_NAME) in front unless it already starts with it."""
    body = (scheme.bulletin.issuer if scheme is not None else "") or getattr(settings, "ZHAOSHANG_ISSUER", "") \
        or DEFAULT_ISSUER
    city = getattr(settings, "ZHAOSHANG_CITY_NAME", "")
    return body if not city or body.startswith(city) else city + body


def issue_date(run: AssessmentRun) -> dt.date:
    """The date the document carries: the day the run was published (China time); a draft is dated today."""
    if run.published and run.published_at:
        return timezone.localtime(run.published_at).date()
    return today()


def reserve(run: AssessmentRun, kind: str, body: str, code: str, year: int) -> DocumentNumber:
    """The run's number for `kind` (DocumentNumber.Kind), taking the next free one the first time. Read and
    written on the primary database, also inside `stale_reads()` (a replica is never asked for a number)."""
    db = router.db_for_write(DocumentNumber)
    numbers = DocumentNumber.objects.using(db)
    found = numbers.filter(run=run, kind=kind).first()
    if found is not None:
        return found
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic(using=db):
                last = (numbers.select_for_update().filter(issuer=body, year=year)
                        .order_by("-number").values_list("number", flat=True).first())
                return numbers.create(issuer=body, code=code, year=year, number=(last or 0) + 1, run=run, kind=kind)
        except IntegrityError:  # taken meanwhile: by another run (try the next) or for this one
            found = numbers.filter(run=run, kind=kind).first()
            if found is not None:
                return found
    raise ApplicationError("文号分配冲突：同时有多份通报在编号，请稍后重试")


def doc_number(run: AssessmentRun, kind: str, body: str, code: str) -> str:
    """“郑招考〔2025〕3号” for a published run (reserved now if need be); a draft has none yet. The 机关代字 is the
    scheme's [bulletin] code, else the body's own (ZHAOSHANG_DOC_CODE), so one body's numbers read alike."""
    code = code or getattr(settings, "ZHAOSHANG_DOC_CODE", "")
    year = issue_date(run).year
    if not run.published:
        return f"{code}〔{year}〕号（草稿，发布时编号）"
    return reserve(run, kind, body, code, year).text
