"""Import every model module so that ``Base.metadata`` is complete (used by Alembic and tests)."""

from kic.audit.models import AuditEvent
from kic.controls.models import ControlResult, ControlRun, ControlRunControl
from kic.cycle.models import Sample, SampleItem
from kic.db.base import Base
from kic.population.models import Dossier, Payment, PopulationSnapshot
from kic.users.models import User

metadata = Base.metadata

__all__ = [
    "AuditEvent", "ControlResult", "ControlRun", "ControlRunControl", "Dossier", "Payment", "PopulationSnapshot",
    "Sample", "SampleItem", "User", "metadata",
]
