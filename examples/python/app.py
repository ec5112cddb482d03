"""A FastAPI webhook receiver for WhatsApp groups, on the wagroups wheel.

/webhook answers as wagroups.receive decides: Meta's verification handshake on GET; on POST
X-Hub-Signature-256 over the raw body (401 when it fails), then the parse (a signed delivery that
cannot be read is answered 200 and logged: Meta would otherwise send it again for days). It folds
the delivery into each group's state (one SQLite row per group,
updated in a transaction that checks the version it read, so concurrent deliveries for one group
never lose an update), answers 200, then handles every event once (by dedup_key): join requests
are approved, new members are greeted, members' messages answered. GET /groups/{group_id} shows a
group's state. POST /groups {"subject", …} creates a group and answers its request_id (202):
creation is asynchronous, so GET /created/{request_id} answers the group id once the
group_create event carrying that request_id has come (404 before). Calls go through
wagroups.Client (httpx, retries as the library decides) to a configurable Graph base URL.

Run: WA_APP_SECRET=… WA_VERIFY_TOKEN=… WA_ACCESS_TOKEN=… WA_PHONE_NUMBER_ID=… \
     uvicorn app:app   (add WA_GRAPH_BASE_URL to point at a stub, WA_STATE_DB for the SQLite file)
"""

import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Set

import httpx
from fastapi import BackgroundTasks, FastAPI, Request, Response

import wagroups
from wagroups.types import Event, GroupState, OperationName, StateChange, StateUpdate

log = logging.getLogger("wagroups.example")


@dataclass
class Settings:
    app_secrets: List[str]
    verify_token: str
    access_token: str
    phone_number_id: str
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"
    state_db: str = "groups.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        return cls(
            app_secrets=env["WA_APP_SECRET"].split(","),  # several during a rotation
            verify_token=env["WA_VERIFY_TOKEN"],
            access_token=env["WA_ACCESS_TOKEN"],
            phone_number_id=env["WA_PHONE_NUMBER_ID"],
            graph_base_url=env.get("WA_GRAPH_BASE_URL", "https://graph.facebook.com"),
            graph_version=env.get("WA_GRAPH_VERSION", "v23.0"),
            state_db=env.get("WA_STATE_DB", "groups.sqlite3"),
        )

    def config(self) -> Dict[str, str]:
        return {"base_url": self.graph_base_url, "version": self.graph_version, "access_token": self.access_token}


class GroupStore:
    """One row per group: its state (wagroups' JSON) and a version. A delivery is folded into the
    rows it touches, then written back only if no other writer changed them meanwhile (else it is
    folded again from the fresh rows); folding is idempotent, so a retry is always safe."""

    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS groups (group_id TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def apply(self, body: bytes, keys: Set[str]) -> List[StateChange]:
        """Fold one verified delivery into the rows of `keys` (group ids, and the request ids of
        creations it may complete); returns what changed."""
        return self._fold(keys, lambda states: wagroups.apply_events(states, body))

    def apply_reply(self, operation: OperationName, params: Dict[str, Any], reply: bytes, key: str) -> List[StateChange]:
        """Fold the reply to one of the bot's own calls into the row of `key`."""
        return self._fold({key}, lambda states: wagroups.apply_reply(states, operation, params, reply, int(time.time())))

    def created(self, request_id: str) -> Optional[Dict[str, Any]]:
        """The state a creation became (under its group id), or the one still waiting."""
        with self._connect() as con:
            row = con.execute("SELECT state FROM groups WHERE json_extract(state, '$.create_request_id') = ? "
                              "ORDER BY group_id = ? LIMIT 1", (request_id, request_id)).fetchone()
        return json.loads(row[0]) if row else None

    def _fold(self, keys: Set[str], fold: Callable[[Dict[str, GroupState]], StateUpdate]) -> List[StateChange]:
        con = self._connect()
        try:
            for _ in range(100):
                marks = ",".join("?" * len(keys))
                rows = con.execute(f"SELECT group_id, version, state FROM groups WHERE group_id IN ({marks})", sorted(keys)).fetchall()
                versions = {g: v for g, v, _ in rows}
                states = {g: json.loads(s) for g, _, s in rows}
                update = fold(states)
                con.execute("BEGIN IMMEDIATE")
                try:
                    # A creation that got its group moves from its request id to the group id.
                    for gone in set(versions) - set(update["state"]):
                        con.execute("DELETE FROM groups WHERE group_id = ? AND version = ?", (gone, versions[gone]))
                    for gid, state in update["state"].items():
                        text = json.dumps(state)
                        if gid in versions:
                            cur = con.execute("UPDATE groups SET version = version + 1, state = ? WHERE group_id = ? AND version = ?",
                                              (text, gid, versions[gid]))
                        else:
                            cur = con.execute("INSERT OR IGNORE INTO groups (group_id, version, state) VALUES (?, 1, ?)", (gid, text))
                        if cur.rowcount != 1:
                            raise _Conflict()
                    con.execute("COMMIT")
                    return list(update["changes"])
                except _Conflict:
                    con.execute("ROLLBACK")
            raise RuntimeError("too much contention on one group")
        finally:
            con.close()

    def get(self, group_id: str) -> Optional[Dict[str, Any]]:
        with self._connect() as con:
            row = con.execute("SELECT state FROM groups WHERE group_id = ?", (group_id,)).fetchone()
        return json.loads(row[0]) if row else None


class _Conflict(Exception):
    """Another writer changed a row between our read and our write."""


@dataclass
class Bot:
    settings: Settings
    client: wagroups.Client
    seen: Set[str] = field(default_factory=set)  # use a shared store in production

    def send(self, operation: OperationName, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        # The client retries what the library says to retry (429s after Retry-After…).
        try:
            return dict(self.client.call(operation, params))
        except wagroups.ApiError as e:
            log.warning("%s failed: %s (retry: %s)", operation, e.code, e.retry)
            return None

    def handle(self, event: Event) -> None:
        if event["dedup_key"] in self.seen:
            return  # Meta retries for up to 7 days: handle each event once
        self.seen.add(event["dedup_key"])
        group_id = event["group_id"]
        if group_id is None:
            return
        if event["type"] == "group_join_request_created" and event["join_request_id"] is not None:
            self.send("approve_join_requests", {"group_id": group_id, "join_requests": [event["join_request_id"]]})
        elif event["type"] == "group_participants_add" and event["added_participants"]:
            self.send(
                "send_message",
                {
                    "phone_number_id": self.settings.phone_number_id,
                    "group_id": group_id,
                    "type": "text",
                    "text": {"body": f"Welcome! {len(event['added_participants'])} new member(s) joined."},
                },
            )
        elif event["type"] == "message" and event["text"] is not None:
            # A member just wrote, so the group's service window is open: a free-form answer may go.
            self.send(
                "send_message",
                {
                    "phone_number_id": self.settings.phone_number_id,
                    "group_id": group_id,
                    "type": "text",
                    "text": {"body": "Thanks, noted! A rider from the shop will answer here."},
                },
            )
        elif event["type"] == "unknown":
            log.info("kept an unrecognised item: %s", event["reason"])


def create_app(settings: Settings, http: Optional[httpx.Client] = None) -> FastAPI:
    app = FastAPI()
    client = wagroups.Client(settings.config(), http=http or httpx.Client(timeout=10))
    bot = Bot(settings, client)
    store = GroupStore(settings.state_db)

    @app.api_route("/webhook", methods=["GET", "POST"])
    async def webhook(request: Request, background: BackgroundTasks) -> Response:
        body = await request.body()  # the raw bytes: never re-serialise before checking
        got = wagroups.receive(request.method, request.url.query, request.headers.items(), body,
                               app_secrets=settings.app_secrets, verify_token=settings.verify_token)
        if got.problem is not None:
            log.warning("webhook %s: %s", got.status, got.problem)
        events = got.events
        group_ids = {e["group_id"] for e in events if e["group_id"] is not None}
        # A group_create event completes the creation kept under its request id.
        created = {e["request_id"] for e in events if e["type"] == "group_create" and e["request_id"] is not None}
        if group_ids or created:
            # Stored before answering: if this fails, Meta delivers again.
            for change in store.apply(body, group_ids | created):
                log.info("state change: %s", json.dumps(change))
        for event in events:
            background.add_task(bot.handle, event)
        return Response(got.body, status_code=got.status, media_type=got.content_type)

    @app.post("/groups")
    async def create_group(request: Request) -> Response:
        params = {"phone_number_id": settings.phone_number_id, **(await request.json())}
        try:
            reply = client.create_group(**params)
        except wagroups.ApiError as e:
            return Response(json.dumps(e.info), status_code=502, media_type="application/json")
        request_id = reply["request_id"]
        if request_id is None:
            return Response(status_code=502)
        # The group id comes later, with the group_create event carrying this request id.
        store.apply_reply("create_group", params, json.dumps(reply).encode(), request_id)
        return Response(json.dumps({"request_id": request_id}), status_code=202, media_type="application/json")

    @app.get("/created/{request_id}")
    def created(request_id: str) -> Response:
        state = store.created(request_id)
        if state is None or state["status"] == "creating":
            return Response(status_code=404)
        if state["status"] == "create_failed":
            return Response(json.dumps({"status": "create_failed"}), status_code=409, media_type="application/json")
        return Response(json.dumps({"group_id": state["group_id"]}), media_type="application/json")

    @app.get("/groups/{group_id}")
    def group_state(group_id: str) -> Response:
        state = store.get(group_id)
        if state is None:
            return Response(status_code=404)
        return Response(json.dumps(state), media_type="application/json")

    app.state.store = store
    return app


if os.environ.get("WA_APP_SECRET"):
    app = create_app(Settings.from_env(os.environ))
