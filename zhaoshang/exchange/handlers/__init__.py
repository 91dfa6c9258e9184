"""One handler per sheet, in the order sheets are processed (rows refer to rows of earlier sheets)."""

from .activities import (
    AdjustmentHandler,
    AttendanceHandler,
    EventHandler,
    RecommendationHandler,
    SubmissionHandler,
    TargetHandler,
    VisitHandler,
)
from .credits import CreditHandler
from .ledger import FundHandler, ProjectHandler, ShareHandler
from .orgs import GroupingHandler, PersonHandler, UnitHandler
from .yields import YieldHandler

HANDLERS = [
    (h.sheet_name, h)
    for h in (UnitHandler, GroupingHandler, PersonHandler, EventHandler, ProjectHandler, ShareHandler, CreditHandler,
              FundHandler, YieldHandler, VisitHandler, RecommendationHandler, SubmissionHandler, TargetHandler,
              AdjustmentHandler, AttendanceHandler)
]
