"""What every resolver gets: the sessionmaker, this request's data loaders, the settings, and
the viewer (who is calling; see ``resolvers.permissions`` for the checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from db.services.audit import AuditDraft
from resolvers.loaders import Loaders
from resolvers.viewer import Viewer

if TYPE_CHECKING:
    from muster.settings import Settings


@dataclass
class Context:
    """Per-request state. Loaders are per request and per viewer, so nothing is cached across
    callers; without a viewer every check refuses."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    request: Any = None
    response: Any = None
    viewer: Viewer | None = None
    connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init payload
    # Audit entries not yet written (refusals; mutations that wrote nothing), stored when
    # each operation ends (``schema.audit.extension``).
    audit: list[AuditDraft] = field(default_factory=list)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.sessionmaker, self.viewer)


Info = StrawberryInfo[Context, None]
