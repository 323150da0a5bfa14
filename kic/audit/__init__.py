"""The append-only audit trail (who did what to which object, when, from where)."""

from kic.audit.models import AuditEvent
from kic.audit.trail import current_actor, record

__all__ = ["AuditEvent", "current_actor", "record"]
