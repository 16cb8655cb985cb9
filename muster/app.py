"""The Starlette application: GraphQL (with GraphiQL), health checks and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from db.services.runs import fail_dead_runs
from db.session import create_engine, create_sessionmaker, transaction
from muster.auth import Unauthenticated, authorize_metrics
from muster.graphql_view import MusterGraphQL, scope_headers
from muster.observability import configure_logging
from muster.settings import Settings, get_settings
from resolvers.runs.processes import SolverProcesses
from schema.extensions import REGISTRY


def create_app(settings: Settings | None = None) -> Starlette:
    """The whole service, bound to the database in ``settings``."""
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    engine = create_engine(
        settings.database_url,
        echo=settings.echo_sql,
        statement_timeout=settings.statement_timeout,
    )
    sessionmaker = create_sessionmaker(engine)
    graphql = MusterGraphQL(
        sessionmaker,
        settings,
        # Without introspection (production) GraphiQL could not read the schema.
        graphql_ide="graphiql" if settings.graphiql and not settings.production else None,
        allow_queries_via_get=False,  # GET would let a cross-site link run queries
        multipart_uploads_enabled=False,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        # A flood of subscriptions on one socket is refused; a socket must say hello quickly.
        max_subscriptions_per_connection=settings.max_subscriptions,
        connection_init_wait_timeout=timedelta(seconds=10),
    )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            return JSONResponse(
                {"status": "unavailable", "database": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": engine.dialect.name})

    async def metrics(request: Request) -> Response:
        # Operation names and traffic are not for the public: the scraper's token or an admin.
        try:
            await authorize_metrics(scope_headers(request.scope), settings, sessionmaker)
        except Unauthenticated as exc:
            return JSONResponse(
                {"error": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    solver_processes = SolverProcesses(
        database_url=settings.database_url,
        sessionmaker=sessionmaker,
        time_zone=settings.time_zone,
        workers=settings.run_workers,
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Runs left active by a server or machine that went down are failed, not shown running.
        async with transaction(sessionmaker) as session:
            await fail_dead_runs(session, timeout=settings.run_heartbeat_timeout)
        yield
        await solver_processes.close()
        await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions (graphql-transport-ws)
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
        ],
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.state.solver_processes = solver_processes
    return app
