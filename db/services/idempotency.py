"""Idempotency keys: the first request with a key is answered and its response kept; a retry
with the same key and request gets that response again instead of being applied twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import IdempotencyRecord
from db.models.base import utcnow
from db.session import transaction


@dataclass(frozen=True, slots=True)
class Claimed:
    """This request is the first with its key: answer it, then ``complete`` or ``release``."""

    record_id: int


@dataclass(frozen=True, slots=True)
class Replay:
    """The key was answered before, for the same request: send this response again."""

    status_code: int
    response: str


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The key was used before for a different request."""


@dataclass(frozen=True, slots=True)
class InProgress:
    """Another request with the key is being answered right now."""


Outcome = Claimed | Replay | Mismatch | InProgress


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    caller: str,
    key: str,
    request_hash: str,
    ttl: timedelta,
    lease: timedelta,
) -> Outcome:
    """Record that ``caller`` is sending ``key`` for the request hashed ``request_hash``.

    Expired keys are forgotten first. Two concurrent claims of one key cannot both succeed:
    the unique (caller, key) constraint lets one insert, and the other sees InProgress. A claim
    left unanswered longer than ``lease`` (its process died) may be taken over.
    """
    try:
        async with transaction(sessionmaker) as session:
            now = utcnow()
            await session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)
            )
            found = await _find(session, caller, key)
            if found is not None:
                return await _outcome(session, found, request_hash, lease)
            record = IdempotencyRecord(
                caller=caller, key=key, request_hash=request_hash, expires_at=now + ttl
            )
            session.add(record)
            await session.flush()
            return Claimed(record.id)
    except IntegrityError:  # a concurrent claim of the same key inserted first
        async with transaction(sessionmaker) as session:
            found = await _find(session, caller, key)
            if found is None:  # it was released meanwhile; the client may retry
                return InProgress()
            return await _outcome(session, found, request_hash, lease)


async def _find(session: AsyncSession, caller: str, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
    )
    return await session.scalar(query)


async def _outcome(
    session: AsyncSession, found: IdempotencyRecord, request_hash: str, lease: timedelta
) -> Outcome:
    if found.request_hash != request_hash:
        return Mismatch()
    if found.status_code is not None and found.response is not None:
        return Replay(found.status_code, found.response)
    now = utcnow()
    if found.created_at + lease > now:
        return InProgress()
    # Take over an abandoned claim, unless another retry just did.
    taken = await session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == found.id,
            IdempotencyRecord.created_at == found.created_at,
            IdempotencyRecord.status_code.is_(None),
        )
        .values(created_at=now)
    )
    return Claimed(found.id) if taken.rowcount == 1 else InProgress()  # type: ignore[attr-defined]


async def complete(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    record_id: int,
    status_code: int,
    response: str,
) -> None:
    """Keep the response to a claimed key, for retries to receive."""
    async with transaction(sessionmaker) as session:
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id)
            .values(status_code=status_code, response=response)
        )


async def release(sessionmaker: async_sessionmaker[AsyncSession], *, record_id: int) -> None:
    """Forget a claimed key whose request failed before it was applied, so it can be retried."""
    async with transaction(sessionmaker) as session:
        await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
