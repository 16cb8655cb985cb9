"""Who is calling: the subject of a verified credential, their role and their scope."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a caller may do; see ``resolvers.permissions`` for the rules."""

    ADMIN = "admin"  # everything, including the audit log
    SCHEDULER = "scheduler"  # the whole centre's register and rosters
    COORDINATOR = "coordinator"  # one organisation and everything below it
    VOLUNTEER = "volunteer"  # their own record, shifts, availability and health reports


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller of one request."""

    subject: str  # the token's ``sub`` or ``api-key:<name>``
    role: Role
    organisation_id: int | None = None  # a coordinator's subtree root
    volunteer_id: int | None = None  # a volunteer's own record
    credential: str = "token"  # "token" or "api-key"

    def __post_init__(self) -> None:
        if self.role is Role.COORDINATOR and self.organisation_id is None:
            raise ValueError("a coordinator needs an organisation")
        if self.role is Role.VOLUNTEER and self.volunteer_id is None:
            raise ValueError("a volunteer needs a volunteer id")

    @property
    def whole_centre(self) -> bool:
        """Whether the caller sees the whole register (admin or scheduler)."""
        return self.role in (Role.ADMIN, Role.SCHEDULER)
