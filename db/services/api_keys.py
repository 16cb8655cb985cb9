"""API keys: made with a random secret shown once, stored as a SHA-256 hash, revocable.

A key reads ``mk_<prefix>_<secret>``. The prefix finds the row; the whole key is compared by
its hash in constant time. The secret holds 256 random bits, so a fast hash is enough: there
is nothing to guess that a slow password hash would protect.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models.auth import ROLES, ApiKey
from db.models.base import utcnow

KEY_PREFIX = "mk_"


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: the row and the only copy of the key in clear."""

    row: ApiKey
    key: str


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(value: str) -> bool:
    """Whether ``value`` has the shape of one of our API keys (not a JWT)."""
    return value.startswith(KEY_PREFIX) and value.count("_") >= 2


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    role: str,
    organisation_id: int | None = None,
    volunteer_id: int | None = None,
    expires_at: datetime | None = None,
) -> NewKey:
    """Store a new key's hash; the returned key is never stored or shown again."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "coordinator" and organisation_id is None:
        raise ValueError("a coordinator key needs an organisation")
    if role == "volunteer" and volunteer_id is None:
        raise ValueError("a volunteer key needs a volunteer")
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        name=name,
        prefix=prefix,
        key_hash=hash_key(key),
        role=role,
        organisation_id=organisation_id,
        volunteer_id=volunteer_id,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return NewKey(row=row, key=key)


async def find_api_key(session: AsyncSession, key: str) -> ApiKey | None:
    """The live (not revoked, not expired) key matching ``key``, else None."""
    if not looks_like_key(key):
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key)):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row


async def revoke_api_key(session: AsyncSession, name: str) -> ApiKey | None:
    """Revoke the key called ``name``; None if there is none."""
    row = await session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    """Every key, newest first (hashes only; no key can be recovered)."""
    return list((await session.scalars(select(ApiKey).order_by(ApiKey.id.desc()))).all())
