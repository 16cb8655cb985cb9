"""The register's tables. Importing this package registers every model on ``Base.metadata``."""

from db.models.audit import AuditEntry, AuditObject
from db.models.auth import ApiKey
from db.models.base import Base, Entity
from db.models.idempotency import IdempotencyRecord
from db.models.organisation import Grid, Organisation, Unit
from db.models.post import Checkpoint, HeadcountLine, Shift, checkpoint_required_trainings
from db.models.protection import ProtectiveItem, ProtectiveStock
from db.models.roster import Assignment, Roster, RosterGap, RosterRun
from db.models.training import Certificate, Skill, Training
from db.models.volunteer import Availability, HealthReport, Volunteer, volunteer_skills

__all__ = [
    "ApiKey",
    "Assignment",
    "AuditEntry",
    "AuditObject",
    "Availability",
    "Base",
    "Certificate",
    "Checkpoint",
    "Entity",
    "Grid",
    "HeadcountLine",
    "HealthReport",
    "IdempotencyRecord",
    "Organisation",
    "ProtectiveItem",
    "ProtectiveStock",
    "Roster",
    "RosterGap",
    "RosterRun",
    "Shift",
    "Skill",
    "Training",
    "Unit",
    "Volunteer",
    "checkpoint_required_trainings",
    "volunteer_skills",
]
