"""A run's progress streamed over graphql-transport-ws until it ends."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from muster.app import create_app
from muster.settings import Settings
from schema.runs import subscriptions
from schema.runs.subscriptions import uninterrupted
from tests.conftest import TEST_JWT_SECRET, TOWNSHIP_START, auth_headers
from tests.factories import gid
from tests.test_runs_api import START_RUN

SUBSCRIBE = """
subscription($id: ID!) { rosterRun(id: $id) { status heartbeatAt unfilledHeads } }
"""
# How long a test waits for the server's next message before it fails (it never hangs).
REPLY_SECONDS = 30


def receive(read: Callable[[], Any], deadline: float, what: str = "a message") -> Any:
    """What ``read`` (a test socket's ``receive_json`` or ``receive``) returns, or a failed test
    once ``time.monotonic()`` passes ``deadline``: the test client's reads wait for ever."""
    box: queue.Queue[tuple[bool, Any]] = queue.Queue()

    def reader() -> None:
        try:
            box.put((True, read()))
        except BaseException as exc:  # handed to the test's thread
            box.put((False, exc))

    threading.Thread(target=reader, name="ws-receive", daemon=True).start()
    try:
        ok, value = box.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        pytest.fail(f"the server sent nothing more in time; the test was waiting for {what}")
    if not ok:
        raise value
    return value


def within(seconds: float = REPLY_SECONDS) -> float:
    """A deadline ``seconds`` from now, for ``receive``."""
    return time.monotonic() + seconds


def test_a_run_streams_its_status_until_it_ends(database_url: str, township) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
    )
    with TestClient(app) as http:
        started = http.post(
            "/graphql",
            json={
                "query": START_RUN,
                "variables": {
                    "org": gid("Organisation", township["centre"]),
                    "limit": 2,
                    "days": 1,
                },
            },
            headers=auth_headers(),
        ).json()
        run_id = started["data"]["startRosterRun"]["run"]["id"]
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": auth_headers()})
            assert receive(ws.receive_json, within())["type"] == "connection_ack"
            ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": run_id}},
                }
            )
            statuses = []
            deadline = within(120)  # the run's solver has a time limit of 2 s
            while True:
                message = receive(ws.receive_json, deadline, f"the run's end (seen: {statuses})")
                if message["type"] == "complete":
                    break
                assert message["type"] == "next", message
                statuses.append(message["payload"]["data"]["rosterRun"]["status"])
        assert statuses[-1] == "SUCCEEDED"
        assert statuses[0] in ("QUEUED", "RUNNING")
        assert "RUNNING" in statuses or statuses[0] == "QUEUED"


def test_a_subscription_needs_credentials(database_url: str) -> None:
    app = create_app(
        Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
    )
    with (
        TestClient(app) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": {}})
        message = receive(ws.receive, within())
        assert message["type"] == "websocket.close"


async def _queued_run(database_url: str, organisation_id: int) -> int:
    from db.services.runs import start_run
    from db.session import create_engine, create_sessionmaker, transaction

    engine = create_engine(database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            run = await start_run(
                session,
                organisation_id=organisation_id,
                period_start=TOWNSHIP_START,
                days=1,
                time_limit_seconds=5,
                weights={},
                trigger="ON_DEMAND",
                requested_by="test",
                heartbeat_timeout=600,
            )
            return run.id
    finally:
        await engine.dispose()


def test_a_flood_of_subscriptions_on_one_socket_is_refused(database_url: str, township) -> None:  # type: ignore[no-untyped-def]
    # A run that stays queued (no solver was started for it) keeps every subscription open.
    run_id = asyncio.run(_queued_run(database_url, township["centre"]))
    app = create_app(
        Settings(
            database_url=database_url,
            environment="test",
            jwt_secret=TEST_JWT_SECRET,
            max_subscriptions=3,
        )
    )
    with (
        TestClient(app) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": auth_headers()})
        assert receive(ws.receive_json, within())["type"] == "connection_ack"
        for n in range(4):
            ws.send_json(
                {
                    "id": str(n),
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": gid("RosterRun", run_id)}},
                }
            )
        # The refusal, and the first message of each of the three subscriptions let in (the
        # run's state then stays as it is, so nothing more comes until the socket closes).
        replies: dict[str, list[dict]] = {}
        deadline = within()
        while not all(str(n) in replies for n in range(4)):
            waiting = f"a reply to each subscribe, 0 to 3 (replies so far: {replies})"
            message = receive(ws.receive_json, deadline, waiting)
            replies.setdefault(message["id"], []).append(message)
        assert replies["3"][0]["type"] == "error", replies["3"]
        assert "limit" in replies["3"][0]["payload"][0]["message"]
        assert all(replies[str(n)][0]["type"] == "next" for n in range(3)), replies


async def test_a_cancelled_poll_still_finishes_its_read() -> None:
    finished = asyncio.Event()

    async def read() -> int:
        await asyncio.sleep(0.2)
        finished.set()
        return 1

    poll = asyncio.create_task(uninterrupted(read()))
    await asyncio.sleep(0.05)
    poll.cancel()  # the client left...
    await asyncio.sleep(0)
    poll.cancel()  # ...and the socket's handler, shutting down, cancels again
    with pytest.raises(asyncio.CancelledError):
        await poll
    assert finished.is_set()


def test_sockets_closed_while_their_subscriptions_read_shut_down_cleanly(  # type: ignore[no-untyped-def]
    database_url: str, township, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Polling without a pause, the subscriptions are mostly inside a query when the socket
    # closes. A read cancelled there used to leave SQLite connections closing for ever, and
    # the test client's event loop never ended (the suite's faulthandler_timeout ends a hang).
    monkeypatch.setattr(subscriptions, "POLL_SECONDS", 0)
    run_id = asyncio.run(_queued_run(database_url, township["centre"]))
    for _ in range(10):
        app = create_app(
            Settings(database_url=database_url, environment="test", jwt_secret=TEST_JWT_SECRET)
        )
        with (
            TestClient(app) as http,
            http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
        ):
            ws.send_json({"type": "connection_init", "payload": auth_headers()})
            assert receive(ws.receive_json, within())["type"] == "connection_ack"
            for n in range(3):
                ws.send_json(
                    {
                        "id": str(n),
                        "type": "subscribe",
                        "payload": {
                            "query": SUBSCRIBE,
                            "variables": {"id": gid("RosterRun", run_id)},
                        },
                    }
                )
            deadline = within()
            for _ in range(3):
                assert receive(ws.receive_json, deadline)["type"] == "next"
            time.sleep(0.05)
