"""Settings read from the environment (prefix ``MUSTER_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./muster.db"


class Settings(BaseSettings):
    """Runtime configuration of the service."""

    model_config = SettingsConfigDict(env_prefix="MUSTER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    environment: Literal["development", "production", "demo", "test"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_format: Literal["console", "json"] = "console"
    max_page_size: int = Field(default=100, ge=1)
    default_page_size: int = Field(default=20, ge=1)
    graphiql: bool = True
    echo_sql: bool = False

    # Abuse limits: defaults from graphql-armor and GitHub's API.
    max_query_depth: int = Field(default=10, ge=1, description="Nested field levels.")
    max_aliases: int = Field(default=15, ge=0, description="Aliases per operation.")
    max_tokens: int = Field(default=2000, ge=1, description="Lexical tokens per document.")
    max_directives: int = Field(default=50, ge=0, description="Directives per operation.")
    max_fields: int = Field(
        default=500, ge=1, description="Fields per operation, each fragment counted where spread."
    )
    max_field_repeats: int = Field(
        default=10, ge=1, description="Times one field may be selected in one selection set."
    )
    max_query_length: int = Field(default=15_000, ge=1, description="Characters of query text.")
    max_body_bytes: int = Field(default=1_048_576, ge=1, description="Bytes of request body.")
    max_query_cost: int = Field(
        default=50_000, ge=1, description="Connection nodes an operation may ask for."
    )
    execution_timeout: float = Field(
        default=10.0, gt=0, description="Seconds an operation may run before it is stopped."
    )
    statement_timeout: float = Field(
        default=10.0, ge=0, description="Seconds one PostgreSQL statement may run; 0 for none."
    )
    idempotency_key_ttl: float = Field(
        default=86_400, gt=0, description="Seconds an Idempotency-Key and its response are kept."
    )

    # Authentication: bearer JWTs (HS256 with a secret, or RS256 with a public key) and API keys.
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 signing secret, at least 32 characters in production."
    )
    jwt_public_key: str | None = Field(
        default=None, description="RS256: the PEM public key, or a path to a PEM file."
    )
    jwt_issuer: str = "muster"
    jwt_audience: str = "muster-api"
    jwt_leeway: float = Field(default=30, ge=0, description="Seconds of clock skew tolerated.")
    metrics_token: SecretStr | None = Field(
        default=None, description="Bearer token a Prometheus scraper may use for /metrics only."
    )

    @model_validator(mode="after")
    def _strong_secret_in_production(self) -> Settings:
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
        if self.production and self.jwt_algorithm == "HS256" and 0 < len(secret) < 32:
            raise ValueError("MUSTER_JWT_SECRET must be at least 32 characters in production")
        return self

    time_zone: str = Field(
        default="Asia/Shanghai", description="Local time of the posts: days and shifts are local."
    )
    max_subscriptions: int = Field(
        default=10, ge=1, description="Subscriptions one WebSocket connection may hold open."
    )
    run_workers: int = Field(default=2, ge=1, description="CP-SAT workers per roster run.")
    run_heartbeat_timeout: float = Field(
        default=60.0, gt=0, description="Seconds without a heartbeat after which a run is dead."
    )

    @property
    def zone(self) -> ZoneInfo:
        """The local time zone of the posts."""
        return ZoneInfo(self.time_zone)

    @property
    def production(self) -> bool:
        """Whether to hide introspection, suggestions and internal errors."""
        return self.environment == "production"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
