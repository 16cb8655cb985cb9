"""A run's progress streamed over graphql-transport-ws until it ends."""

from __future__ import annotations

from starlette.testclient import TestClient

from muster.app import create_app
from muster.settings import Settings
from tests.conftest import TEST_JWT_SECRET, auth_headers
from tests.factories import gid
from tests.test_runs_api import START_RUN

SUBSCRIBE = """
subscription($id: ID!) { rosterRun(id: $id) { status heartbeatAt unfilledHeads } }
"""


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
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": run_id}},
                }
            )
            statuses = []
            while True:
                message = ws.receive_json()
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
        message = ws.receive()
        assert message["type"] == "websocket.close"
