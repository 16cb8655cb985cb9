"""Data loaders: every nested field costs one batched statement per request, not one per row.

Each batch opens its own session, because strawberry resolves sibling fields concurrently and
one AsyncSession cannot run two statements at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from db import models as m


class _Loader(DataLoader[int, Any]):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._batch)
        self.sessionmaker = sessionmaker

    async def _batch(self, keys: Sequence[int]) -> list[Any]:
        async with self.sessionmaker() as session:
            return await self.fetch(session, list(keys))

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        raise NotImplementedError


class _ById(_Loader):
    """Rows by primary key; a missing id yields None."""

    model: type[m.Base]

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        model = self.model
        rows = (await session.scalars(select(model).where(model.id.in_(keys)))).all()
        found = {row.id: row for row in rows}
        return [found.get(k) for k in keys]


class _ManyByKey(_Loader):
    """Lists of rows sharing a foreign key, in the model's natural order."""

    model: type[m.Base]
    key: str
    order_by: tuple[str, ...] = ("id",)

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        model = self.model
        column = getattr(model, self.key)
        query = select(model).where(column.in_(keys))
        query = query.order_by(*(getattr(model, c) for c in self.order_by))
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in (await session.scalars(query)).all():
            grouped[getattr(row, self.key)].append(row)
        return [grouped.get(k, []) for k in keys]


class OrganisationByIdLoader(_ById):
    model = m.Organisation


class UnitByIdLoader(_ById):
    model = m.Unit


class GridByIdLoader(_ById):
    model = m.Grid


class VolunteerByIdLoader(_ById):
    model = m.Volunteer


class SkillByIdLoader(_ById):
    model = m.Skill


class TrainingByIdLoader(_ById):
    model = m.Training


class CheckpointByIdLoader(_ById):
    model = m.Checkpoint


class ShiftByIdLoader(_ById):
    model = m.Shift


class HeadcountLineByIdLoader(_ById):
    model = m.HeadcountLine


class ProtectiveItemByIdLoader(_ById):
    model = m.ProtectiveItem


class ProtectiveStockByIdLoader(_ById):
    model = m.ProtectiveStock


class RosterByIdLoader(_ById):
    model = m.Roster


class RosterRunByIdLoader(_ById):
    model = m.RosterRun


class CertificateByIdLoader(_ById):
    model = m.Certificate


class AvailabilityByIdLoader(_ById):
    model = m.Availability


class HealthReportByIdLoader(_ById):
    model = m.HealthReport


class AssignmentByIdLoader(_ById):
    model = m.Assignment


class CertificatesByVolunteerIdLoader(_ManyByKey):
    model = m.Certificate
    key = "volunteer_id"
    order_by = ("passed_on", "id")


class AvailabilitiesByVolunteerIdLoader(_ManyByKey):
    model = m.Availability
    key = "volunteer_id"
    order_by = ("starts_at", "id")


class HealthReportsByVolunteerIdLoader(_ManyByKey):
    model = m.HealthReport
    key = "volunteer_id"
    order_by = ("day", "reported_at", "id")


class AssignmentsByShiftIdLoader(_ManyByKey):
    model = m.Assignment
    key = "shift_id"


class HeadcountLinesByShiftIdLoader(_ManyByKey):
    model = m.HeadcountLine
    key = "shift_id"


class ChildrenByOrganisationIdLoader(_ManyByKey):
    model = m.Organisation
    key = "parent_id"
    order_by = ("name", "id")


class GridsByUnitIdLoader(_ManyByKey):
    model = m.Grid
    key = "claimed_by_unit_id"
    order_by = ("code", "id")


class ShiftsByCheckpointIdLoader(_ManyByKey):
    model = m.Shift
    key = "checkpoint_id"
    order_by = ("starts_at", "id")


class _ThroughTable(_Loader):
    """Rows linked through an association table (many-to-many)."""

    model: type[m.Base]
    table: Any
    owner_column: str
    target_column: str

    async def fetch(self, session: AsyncSession, keys: list[int]) -> list[Any]:
        owner = self.table.c[self.owner_column]
        target = self.table.c[self.target_column]
        query = (
            select(owner, self.model)
            .join(self.model, self.model.id == target)
            .where(owner.in_(keys))
            .order_by(self.model.id)
        )
        grouped: dict[int, list[Any]] = defaultdict(list)
        for owner_id, row in (await session.execute(query)).all():
            grouped[owner_id].append(row)
        return [grouped.get(k, []) for k in keys]


class SkillsByVolunteerIdLoader(_ThroughTable):
    model = m.Skill
    table = m.volunteer_skills
    owner_column = "volunteer_id"
    target_column = "skill_id"


class RequiredTrainingsByCheckpointIdLoader(_ThroughTable):
    model = m.Training
    table = m.checkpoint_required_trainings
    owner_column = "checkpoint_id"
    target_column = "training_id"


class Loaders:
    """One instance of every loader, created per request."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._made: dict[type[_Loader], _Loader] = {}

    def get(self, loader: type[_Loader]) -> _Loader:
        """The request's instance of ``loader``."""
        if loader not in self._made:
            self._made[loader] = loader(self._sessionmaker)
        return self._made[loader]

    def by_id(self, model: type[m.Base]) -> _Loader:
        """The by-id loader for ``model`` (used by ``node`` and foreign keys)."""
        return self.get(BY_ID[model])


BY_ID: dict[type[m.Base], type[_ById]] = {cls.model: cls for cls in _ById.__subclasses__()}
