"""Import every model module so that ``Base.metadata`` is complete (used by Alembic and tests)."""

from kic.audit.models import AuditEvent
from kic.db.base import Base
from kic.population.models import Dossier, Payment, PopulationSnapshot

metadata = Base.metadata

__all__ = ["AuditEvent", "Dossier", "Payment", "PopulationSnapshot", "metadata"]
