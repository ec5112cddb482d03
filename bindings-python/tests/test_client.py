"""The bot story through wagroups.Client and AsyncClient (httpx) and wagroups.receive, with the
installed wheel, against the sandbox binary over real HTTP: create (the group id from the
group_create delivery), list with paginate, send through two injected 429s (the waits observed
through the injected sleep), a 190 that is not retried, an upload and a checked download, and the
receiver answering the sandbox's handshake and signed deliveries, a bad signature, a wrong verify
token and a signed body it cannot read."""

import asyncio
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest

import wagroups
from conftest import running_sandbox

PHONE = "427119830566204"
SECRET = "s3cret"
VERIFY = "vt"



class Endpoint:
    """A webhook endpoint in a thread: wagroups.receive decides every answer."""

    def __init__(self) -> None:
        self.created: Dict[str, str] = {}
        self.problems: List[Tuple[str, str]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                path, _, query = self.path.partition("?")
                got = wagroups.receive(self.command, query, self.headers.items(), body,
                                       app_secrets=SECRET, verify_token=VERIFY)
                for e in got.events:
                    if e["type"] == "group_create" and e.get("request_id") and e.get("group_id"):
                        endpoint.created[e["request_id"]] = e["group_id"]
                if got.problem is not None:
                    endpoint.problems.append((type(got.problem).__name__, got.problem.code))
                self.send_response(got.status)
                self.send_header("content-type", got.content_type)
                self.send_header("content-length", str(len(got.body)))
                self.end_headers()
                self.wfile.write(got.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def group_of(self, request_id: str) -> str:
        for _ in range(500):
            if request_id in self.created:
                return self.created[request_id]
            time.sleep(0.01)
        raise AssertionError(f"no group_create for {request_id}")


@pytest.fixture()
def world() -> Iterator[Tuple[str, Endpoint]]:
    endpoint = Endpoint()
    try:
        with running_sandbox("--create-delay-ms", "200", "--callback", endpoint.url,
                             "--app-secret", SECRET, "--verify-token", VERIFY) as base:
            yield base, endpoint
    finally:
        endpoint.server.shutdown()


def _post(base: str, path: str, body: Dict[str, Any]) -> int:
    return httpx.post(f"{base}/_sandbox/{path}", json=body).status_code


def _sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_the_bot_story_through_the_client(world: Tuple[str, Endpoint]) -> None:
    base, endpoint = world
    waits: List[float] = []
    with httpx.Client() as http:
        client = wagroups.Client({"base_url": base, "access_token": "sandbox-token"}, http=http,
                                 sleep=waits.append, random=lambda: 0.5)
        groups = [endpoint.group_of(client.create_group(phone_number_id=PHONE, subject=s)["request_id"])
                  for s in ("Ride", "Run", "Swim")]
        listed = [g["id"] for g in client.paginate("list_groups", {"phone_number_id": PHONE, "limit": 1})]
        assert sorted(listed) == sorted(groups)

        link = client.get_invite_link(group_id=groups[0])["invite_link"]
        assert _post(base, "join", {"invite_link": link, "wa_id": "447700900318"}) == 200
        assert _post(base, f"groups/{groups[0]}/messages", {"from": "447700900318", "text": "hi"}) == 200

        # Two 429s then success: the server's Retry-After as each wait, in seconds.
        assert _post(base, "faults", {"operation": "send_message", "status": 429, "code": 130429,
                                      "times": 2, "retry_after": 2}) == 200
        sent = client.send_message(phone_number_id=PHONE, group_id=groups[0], type="text", text={"body": "hello"})
        assert sent["message_id"].startswith("wamid.")
        assert waits == [2.0, 2.0]
        # Without Retry-After: full jitter below the first ceiling (1 s) with random 0.5.
        assert _post(base, "faults", {"operation": "get_group_info", "code": 131208}) == 200
        client.get_group_info(group_id=groups[0])
        assert waits == [2.0, 2.0, 0.5]
        # A 190 is not retried.
        assert _post(base, "faults", {"operation": "get_group_info", "code": 190}) == 200
        with pytest.raises(wagroups.ApiError) as caught:
            client.get_group_info(group_id=groups[0])
        assert caught.value.code == "access_token_expired"
        assert caught.value.attempts == 1
        assert caught.value.info["operation"] == "get_group_info"
        assert len(waits) == 3

        # An upload, then the download checked against get_media.
        pdf = b"%PDF-1.7\n1 0 obj\n"
        uploaded = client.upload_media(pdf, phone_number_id=PHONE, type="application/pdf")
        media = client.download_media(uploaded["id"])
        assert media["data"] == pdf and media["size_bytes"] == len(pdf)

    # The receiver itself.
    assert httpx.post(endpoint.url, content=b"{}", headers={"x-hub-signature-256": _sign(b"{ }")}).status_code == 401
    assert httpx.post(endpoint.url, content=b"not json", headers={"x-hub-signature-256": _sign(b"not json")}).status_code == 200
    shake = httpx.get(endpoint.url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "42"})
    assert (shake.status_code, shake.text) == (200, "42")
    assert httpx.get(endpoint.url, params={"hub.mode": "subscribe", "hub.verify_token": "no", "hub.challenge": "1"}).status_code == 403
    assert endpoint.problems == [
        ("VerificationError", "signature_mismatch"),
        ("WebhookError", "webhook_invalid_json"),
        ("VerificationError", "subscription_token_mismatch"),
    ]


def test_the_async_client(world: Tuple[str, Endpoint]) -> None:
    base, endpoint = world
    waits: List[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def story() -> List[str]:
        async with httpx.AsyncClient() as http:
            client = wagroups.AsyncClient({"base_url": base, "access_token": "sandbox-token"}, http=http,
                                          sleep=sleep, random=lambda: 0.25)
            created = await client.create_group(phone_number_id=PHONE, subject="Async")
            group = await asyncio.to_thread(endpoint.group_of, created["request_id"])
            assert _post(base, "faults", {"operation": "list_groups", "status": 429, "code": 130429, "times": 2}) == 200
            listed = [g["id"] async for g in client.paginate("list_groups", {"phone_number_id": PHONE})]
            assert group in listed
            assert _post(base, "faults", {"operation": "delete_group", "code": 190}) == 200
            with pytest.raises(wagroups.ApiError):
                await client.delete_group(group_id=group)
            return listed

    asyncio.run(story())
    # Full jitter: 0.25 of the first ceiling (1 s), then of the doubled one (2 s).
    assert waits == [0.25, 0.5]


def test_receive_answers_without_a_server() -> None:
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    got = wagroups.receive("POST", None, {"X-Hub-Signature-256": _sign(body)}, body, app_secrets=[SECRET])
    assert (got.status, got.body, got.problem, got.events) == (200, b"", None, [])
    assert got.batch is not None
    refused = wagroups.receive("POST", None, {}, body, app_secrets=[SECRET])
    assert refused.status == 401 and isinstance(refused.problem, wagroups.VerificationError)
    misconfigured = wagroups.receive("GET", "hub.mode=subscribe&hub.challenge=1&hub.verify_token=x", None, b"",
                                     app_secrets=[SECRET])
    assert misconfigured.status == 500 and misconfigured.problem is not None
    assert misconfigured.problem.code == "verify_token_missing"
