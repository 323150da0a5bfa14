"""Every table of kic: importing this module makes ``Base.metadata`` complete (Alembic, the tests).

It sits above the domain packages, which each own their models; ``kic.db`` (the foundation) knows none
of them."""

from kic.audit.models import AuditEvent
from kic.controls.models import ControlResult, ControlRun, ControlRunControl, ControlRunReason
from kic.db.base import Base
from kic.db.locks import KIC_LOCK
from kic.findings.models import ImprovementAction
from kic.gemeenten.models import Gemeente
from kic.population.models import Dossier, Payment, PopulationSnapshot
from kic.reports.models import ReportVersion
from kic.review.models import Review, ReviewControl, ReviewEvidence, ReviewImport
from kic.samples.models import Sample, SampleItem
from kic.scheduling.models import JobRun
from kic.users.models import LoginThrottle, User, WebSession

metadata = Base.metadata

__all__ = [
    "KIC_LOCK",
    "AuditEvent",
    "ControlResult",
    "ControlRun",
    "ControlRunControl",
    "ControlRunReason",
    "Dossier",
    "Gemeente",
    "ImprovementAction",
    "JobRun",
    "LoginThrottle",
    "Payment",
    "PopulationSnapshot",
    "ReportVersion",
    "Review",
    "ReviewControl",
    "ReviewEvidence",
    "ReviewImport",
    "Sample",
    "SampleItem",
    "User",
    "WebSession",
    "metadata",
]
