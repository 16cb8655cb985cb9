"""What every resolver gets: the sessionmaker, this request's data loaders, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from resolvers.loaders import Loaders

if TYPE_CHECKING:
    from muster.settings import Settings


@dataclass
class Context:
    """Per-request state. Loaders are per request, so nothing is cached across callers."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.sessionmaker)


Info = StrawberryInfo[Context, None]
