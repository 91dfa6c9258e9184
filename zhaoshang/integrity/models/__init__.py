"""Integrity: flags (double counting, packaged projects, registry), spot-checks, inspections and
pre-review. One module per sub-domain; this package re-exports the models."""

from .flags import Flag, FlagKind, FlagProject, FlagStatus, Resolution  # noqa: F401
from .inspections import (  # noqa: F401
    InspectionPlan,
    PlanStatus,
    Rectification,
    RectificationStatus,
    SelfCheckAttachment,
    SelfCheckReport,
    SiteVisit,
    SiteVisitPhoto,
)
from .prereview import Conclusion, Fit, PreReview  # noqa: F401
from .registry import RegistryEntry, RegistryImport  # noqa: F401
from .spotchecks import SpotCheck, SpotCheckItem, SpotCheckResult  # noqa: F401
