"""A FastAPI webhook receiver for WhatsApp groups, on the wagroups wheel.

GET /webhook answers Meta's verification handshake. POST /webhook checks X-Hub-Signature-256
over the raw body, answers 200 at once, then handles every event once (by dedup_key): join
requests are approved, new members are greeted. Requests are built by wagroups and sent with
httpx to a configurable Graph base URL.

Run: WA_APP_SECRET=… WA_VERIFY_TOKEN=… WA_ACCESS_TOKEN=… WA_PHONE_NUMBER_ID=… \
     uvicorn app:app   (add WA_GRAPH_BASE_URL to point at a stub)
"""

import logging
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Set

import httpx
from fastapi import BackgroundTasks, FastAPI, Request, Response
from fastapi.responses import PlainTextResponse

import wagroups
from wagroups.types import Event, OperationName, Request as WaRequest

log = logging.getLogger("wagroups.example")


@dataclass
class Settings:
    app_secrets: List[str]
    verify_token: str
    access_token: str
    phone_number_id: str
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        return cls(
            app_secrets=env["WA_APP_SECRET"].split(","),  # several during a rotation
            verify_token=env["WA_VERIFY_TOKEN"],
            access_token=env["WA_ACCESS_TOKEN"],
            phone_number_id=env["WA_PHONE_NUMBER_ID"],
            graph_base_url=env.get("WA_GRAPH_BASE_URL", "https://graph.facebook.com"),
            graph_version=env.get("WA_GRAPH_VERSION", "v23.0"),
        )

    def config(self) -> Dict[str, str]:
        return {"base_url": self.graph_base_url, "version": self.graph_version, "access_token": self.access_token}


@dataclass
class Bot:
    settings: Settings
    http: httpx.Client
    seen: Set[str] = field(default_factory=set)  # use a shared store in production

    def send(self, operation: OperationName, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        request: WaRequest = wagroups.build_request(operation, params, self.settings.config())
        # Body as bytes, DELETE bodies included (httpx.delete() could not send them).
        reply = self.http.request(**wagroups.http_args(request))
        try:
            return dict(wagroups.parse_response(operation, reply.status_code, reply.content, reply.headers.items()))
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
        elif event["type"] == "unknown":
            log.info("kept an unrecognised item: %s", event["reason"])


def create_app(settings: Settings, http: Optional[httpx.Client] = None) -> FastAPI:
    app = FastAPI()
    bot = Bot(settings, http or httpx.Client(timeout=10))

    @app.get("/webhook")
    def handshake(request: Request) -> Response:
        try:
            challenge = wagroups.verify_subscription(request.query_params.multi_items(), settings.verify_token)
        except wagroups.VerificationError:
            return Response(status_code=403)
        return PlainTextResponse(challenge)

    @app.post("/webhook")
    async def receive(request: Request, background: BackgroundTasks) -> Response:
        body = await request.body()  # the raw bytes: never re-serialise before checking
        try:
            wagroups.verify_signature(body, request.headers.get("x-hub-signature-256"), settings.app_secrets)
            batch = wagroups.parse_webhook(body)
        except wagroups.VerificationError:
            return Response(status_code=401)
        except wagroups.WebhookError:
            return Response(status_code=400)
        for event in batch["events"]:
            background.add_task(bot.handle, event)
        return Response(status_code=200)

    return app


if os.environ.get("WA_APP_SECRET"):
    app = create_app(Settings.from_env(os.environ))
