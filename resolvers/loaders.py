"""Data loaders: every nested field costs one batched statement per request, not one per row.

Each batch opens its own session, because strawberry resolves sibling fields concurrently and
one AsyncSession cannot run two statements at once.

Loaders see only what the request's viewer may see (``resolvers.scope``): the standard loaders
below filter in SQL; a loader with its own ``fetch`` has the objects it returns screened by
one more statement, so a new loader cannot leak rows out of scope (deny by default).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from db import models as m
from resolvers.scope import screen, visible
from resolvers.viewer import Viewer


class BaseLoader(DataLoader[int, Any]):
    viewer: Viewer | None = None  # set by ``Loaders``; None sees nothing
    scoped = False  # True when ``fetch`` itself keeps to the viewer's scope

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._batch)
        self.sessionmaker = sessionmaker

    async def _batch(self, keys: Sequence[int]) -> list[Any]:
        async with self.sessionmaker() as session:
            found = await self.fetch(session, list(keys))
            return found if self.scoped else await screen(session, self.viewer, found)

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        raise NotImplementedError


class ByIdLoader(BaseLoader):
    """Rows by primary key; a missing id yields None, and so does one out of scope (its id is
    then in ``denied``, so callers can tell the two apart)."""

    model: type[m.Base]
    scoped = True

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(sessionmaker)
        self.denied: set[int] = set()

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        model = self.model
        allowed = visible(model, self.viewer)
        if allowed is None:
            rows = (await session.scalars(select(model).where(model.id.in_(keys)))).all()
            found = {row.id: row for row in rows}
            return [found.get(k) for k in keys]
        query = select(model, case((allowed, True), else_=False)).where(model.id.in_(keys))
        found = {}
        for row, ok in (await session.execute(query)).all():
            if ok:
                found[row.id] = row
            else:
                self.denied.add(row.id)
        return [found.get(k) for k in keys]


class ManyByKeyLoader(BaseLoader):
    """Lists of rows sharing a foreign key, in the model's natural order."""

    model: type[m.Base]
    key: str
    order_by: tuple[str, ...] = ("id",)
    scoped = True

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        model = self.model
        column = getattr(model, self.key)
        query = select(model).where(column.in_(keys))
        if (allowed := visible(model, self.viewer)) is not None:
            query = query.where(allowed)
        query = query.order_by(*(getattr(model, c) for c in self.order_by))
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in (await session.scalars(query)).all():
            grouped[getattr(row, self.key)].append(row)
        return [grouped.get(k, []) for k in keys]


class OrganisationByIdLoader(ByIdLoader):
    model = m.Organisation


class UnitByIdLoader(ByIdLoader):
    model = m.Unit


class GridByIdLoader(ByIdLoader):
    model = m.Grid


class VolunteerByIdLoader(ByIdLoader):
    model = m.Volunteer


class SkillByIdLoader(ByIdLoader):
    model = m.Skill


class TrainingByIdLoader(ByIdLoader):
    model = m.Training


class CheckpointByIdLoader(ByIdLoader):
    model = m.Checkpoint


class ShiftByIdLoader(ByIdLoader):
    model = m.Shift


class HeadcountLineByIdLoader(ByIdLoader):
    model = m.HeadcountLine


class ProtectiveItemByIdLoader(ByIdLoader):
    model = m.ProtectiveItem


class ProtectiveStockByIdLoader(ByIdLoader):
    model = m.ProtectiveStock


class RosterByIdLoader(ByIdLoader):
    model = m.Roster


class RosterRunByIdLoader(ByIdLoader):
    model = m.RosterRun


class CertificateByIdLoader(ByIdLoader):
    model = m.Certificate


class AvailabilityByIdLoader(ByIdLoader):
    model = m.Availability


class HealthReportByIdLoader(ByIdLoader):
    model = m.HealthReport


class AssignmentByIdLoader(ByIdLoader):
    model = m.Assignment


class RosterGapByIdLoader(ByIdLoader):
    model = m.RosterGap


class CertificatesByVolunteerIdLoader(ManyByKeyLoader):
    model = m.Certificate
    key = "volunteer_id"
    order_by = ("passed_on", "id")


class AvailabilitiesByVolunteerIdLoader(ManyByKeyLoader):
    model = m.Availability
    key = "volunteer_id"
    order_by = ("starts_at", "id")


class HealthReportsByVolunteerIdLoader(ManyByKeyLoader):
    model = m.HealthReport
    key = "volunteer_id"
    order_by = ("day", "reported_at", "id")


class AssignmentsByShiftIdLoader(ManyByKeyLoader):
    model = m.Assignment
    key = "shift_id"


class HeadcountLinesByShiftIdLoader(ManyByKeyLoader):
    model = m.HeadcountLine
    key = "shift_id"


class ChildrenByOrganisationIdLoader(ManyByKeyLoader):
    model = m.Organisation
    key = "parent_id"
    order_by = ("name", "id")


class GridsByUnitIdLoader(ManyByKeyLoader):
    model = m.Grid
    key = "claimed_by_unit_id"
    order_by = ("code", "id")


class ShiftsByCheckpointIdLoader(ManyByKeyLoader):
    model = m.Shift
    key = "checkpoint_id"
    order_by = ("starts_at", "id")


class ThroughTableLoader(BaseLoader):
    """Rows linked through an association table (many-to-many)."""

    model: type[m.Base]
    table: Any
    owner_column: str
    target_column: str
    scoped = True

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        owner = self.table.c[self.owner_column]
        target = self.table.c[self.target_column]
        query = (
            select(owner, self.model)
            .join(self.model, self.model.id == target)
            .where(owner.in_(keys))
            .order_by(self.model.id)
        )
        if (allowed := visible(self.model, self.viewer)) is not None:
            query = query.where(allowed)
        grouped: dict[int, list[Any]] = defaultdict(list)
        for owner_id, row in (await session.execute(query)).all():
            grouped[owner_id].append(row)
        return [grouped.get(k, []) for k in keys]


class SkillsByVolunteerIdLoader(ThroughTableLoader):
    model = m.Skill
    table = m.volunteer_skills
    owner_column = "volunteer_id"
    target_column = "skill_id"


class RequiredTrainingsByCheckpointIdLoader(ThroughTableLoader):
    model = m.Training
    table = m.checkpoint_required_trainings
    owner_column = "checkpoint_id"
    target_column = "training_id"


class Loaders:
    """One instance of every loader, created per request and bound to its viewer."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], viewer: Viewer | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._viewer = viewer
        self._made: dict[type[BaseLoader], BaseLoader] = {}

    def get(self, loader: type[BaseLoader]) -> BaseLoader:
        """The request's instance of ``loader``."""
        if loader not in self._made:
            made = loader(self._sessionmaker)
            made.viewer = self._viewer
            self._made[loader] = made
        return self._made[loader]

    def by_id(self, model: type[m.Base]) -> BaseLoader:
        """The by-id loader for ``model`` (used by ``node`` and foreign keys)."""
        return self.get(BY_ID[model])


BY_ID: dict[type[m.Base], type[ByIdLoader]] = {
    cls.model: cls for cls in ByIdLoader.__subclasses__()
}
