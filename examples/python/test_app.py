"""The FastAPI example against a local Graph stub (httpx.MockTransport records every request)."""

import hashlib
import hmac
import json
import os
import pathlib
import socket
import subprocess
import tempfile
import threading
import time
from typing import Any, Callable, Dict, List, Optional, TypeVar

import httpx
import pytest
from fastapi.testclient import TestClient

import wagroups
from app import Settings, create_app

SECRET = "app-secret"
GROUP = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD"


def delivery(*items: Dict[str, Any], field: str = "group_participants_update") -> bytes:
    value = {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "1", "phone_number_id": "42"}, "groups": list(items)}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "9", "changes": [{"field": field, "value": value}]}]}).encode()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def setup() -> "tuple[TestClient, List[httpx.Request]]":
    seen: List[httpx.Request] = []

    def graph(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/join_requests"):
            return httpx.Response(200, json={"approved_join_requests": json.loads(request.content)["join_requests"]})
        return httpx.Response(200, json={"messages": [{"id": "wamid.X"}]})

    db = str(pathlib.Path(tempfile.mkdtemp()) / "groups.sqlite3")
    settings = Settings([SECRET], "verify-me", "EAAG-token", "42", graph_base_url="http://graph.stub", graph_version="v23.0", state_db=db)
    client = TestClient(create_app(settings, httpx.Client(transport=httpx.MockTransport(graph))))
    return client, seen


def test_handshake() -> None:
    client, _ = setup()
    ok = client.get("/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert client.get("/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "no", "hub.challenge": "1"}).status_code == 403


def test_join_requests_are_approved_and_members_greeted_once() -> None:
    client, seen = setup()
    body = delivery(
        {"group_id": GROUP, "type": "group_join_request_created", "timestamp": "1781261377", "join_request_id": "JR1", "wa_id": "14155550173"},
        {"group_id": GROUP, "type": "group_participants_add", "reason": "invite_link", "timestamp": "1781265840", "added_participants": [{"wa_id": "14155550173"}]},
    )
    for _ in range(2):  # Meta retries: the second delivery must change nothing
        assert client.post("/webhook", content=body, headers={"X-Hub-Signature-256": sign(body)}).status_code == 200
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", f"/v23.0/{GROUP}/join_requests"),
        ("POST", "/v23.0/42/messages"),
    ]
    assert json.loads(seen[0].content) == {"messaging_product": "whatsapp", "join_requests": ["JR1"]}
    greeting = json.loads(seen[1].content)
    assert (greeting["recipient_type"], greeting["to"], greeting["type"]) == ("group", GROUP, "text")
    assert all(r.headers["authorization"] == "Bearer EAAG-token" for r in seen)


def test_bad_signatures_are_refused_and_unreadable_bodies_dropped() -> None:
    client, seen = setup()
    body = delivery({"group_id": GROUP, "type": "group_suspend", "timestamp": "1"}, field="group_status_update")
    assert client.post("/webhook", content=body, headers={"X-Hub-Signature-256": sign(body + b" ")}).status_code == 401
    assert client.post("/webhook", content=body).status_code == 401
    # Signed but not a WhatsApp delivery: answered 200 (Meta would send it again for days), nothing done.
    junk = b'{"object":"page"}'
    assert client.post("/webhook", content=junk, headers={"X-Hub-Signature-256": sign(junk)}).status_code == 200
    assert seen == []


def test_group_state_is_kept_per_group_in_sqlite() -> None:
    client, _ = setup()
    joined = delivery({"group_id": GROUP, "type": "group_participants_add", "timestamp": "1781265840", "added_participants": [{"wa_id": "14155550173"}]})
    suspended = delivery({"group_id": GROUP, "type": "group_suspend", "timestamp": "1781265900"}, field="group_status_update")
    for body in [suspended, joined, suspended]:  # out of order, and once twice
        assert client.post("/webhook", content=body, headers={"X-Hub-Signature-256": sign(body)}).status_code == 200
    state = client.get(f"/groups/{GROUP}").json()
    assert state["status"] == "suspended"
    assert [p["wa_id"] for p in state["participants"]] == ["14155550173"]
    assert client.get("/groups/unknown").status_code == 404


def test_concurrent_deliveries_for_one_group_never_lose_an_update() -> None:
    client, _ = setup()
    store = client.app.state.store  # type: ignore[attr-defined]
    bodies = [
        delivery({"group_id": GROUP, "type": "group_participants_add", "timestamp": str(1781265840 + i),
                  "added_participants": [{"wa_id": f"1415555{i:04d}"}]})
        for i in range(40)
    ]

    def worker(chunk: List[bytes]) -> None:
        for b in chunk:
            store.apply(b, {GROUP})

    threads = [threading.Thread(target=worker, args=(bodies[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    state = store.get(GROUP)
    assert sorted(p["wa_id"] for p in state["participants"]) == sorted(f"1415555{i:04d}" for i in range(40))


T = TypeVar("T")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(what: str, check: "Callable[[], Optional[T]]", timeout: float = 10) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value is not None:
            return value
        time.sleep(0.025)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("create_delay_ms", [0, 3000])
def test_story_against_the_sandbox(create_delay_ms: int) -> None:
    """The receiver served by uvicorn, subscribed to the local sandbox: the bot creates a group
    that needs approval and takes its id from the group_create event matching the request id
    (created at once, or after three seconds), two people ask to join and the bot approves them,
    a member writes and the bot answers, both read it, and the SQLite state shows members,
    receipts and free service deliveries."""
    import uvicorn

    binary = os.environ.get("WAGROUPS_SANDBOX")
    assert binary, "set WAGROUPS_SANDBOX to the wagroups-sandbox binary (make test-python does)"
    app_port, sandbox_port = _free_port(), _free_port()
    graph = f"http://127.0.0.1:{sandbox_port}"
    db = str(pathlib.Path(tempfile.mkdtemp()) / "groups.sqlite3")
    settings = Settings([SECRET], "verify-me", "EAAG-token", "427119830566204", graph_base_url=graph, state_db=db)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=app_port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    _until("the receiver", lambda: True if server.started else None)
    sandbox = subprocess.Popen([binary, "--listen", f"127.0.0.1:{sandbox_port}", "--callback", f"http://127.0.0.1:{app_port}/webhook",
                                "--verify-token", "verify-me", "--app-secret", SECRET, "--access-token", "EAAG-token",
                                "--db", ":memory:", "--retry-base-ms", "50", "--create-delay-ms", str(create_delay_ms)],
                               stdout=subprocess.DEVNULL)
    try:
        http = httpx.Client(timeout=10)
        _until("the sandbox", lambda: True if _alive(http, f"{graph}/_sandbox/state") else None)
        config = {"base_url": graph, "version": "v23.0", "access_token": "EAAG-token"}
        asked = http.post(f"http://127.0.0.1:{app_port}/groups", json={"subject": "Python riders", "join_approval_mode": "approval_required"})
        assert asked.status_code == 202, asked.text
        request_id = asked.json()["request_id"]

        def created() -> Optional[str]:
            res = http.get(f"http://127.0.0.1:{app_port}/created/{request_id}")
            return str(res.json()["group_id"]) if res.status_code == 200 else None

        group = _until("the group_create event", created, timeout=create_delay_ms / 1000 + 10)
        link_reply = http.request(**wagroups.http_args(wagroups.build_request("get_invite_link", {"group_id": group}, config)))
        link = wagroups.parse_response("get_invite_link", link_reply.status_code, link_reply.content)["invite_link"]
        for wa in ["447700900318", "14155550173"]:
            assert http.post(f"{graph}/_sandbox/join", json={"invite_link": link, "wa_id": wa}).json()["result"] == "join_request_created"

        def members() -> Optional[List[str]]:
            res = http.get(f"http://127.0.0.1:{app_port}/groups/{group}")
            found = [p["wa_id"] for p in res.json()["participants"]] if res.status_code == 200 else []
            return found if len(found) == 2 else None

        assert sorted(_until("the bot to approve both requests", members)) == ["14155550173", "447700900318"]
        time.sleep(0.3)  # let the greetings (refused: nobody has written yet) settle
        state_url = f"http://127.0.0.1:{app_port}/groups/{group}"
        before = set(http.get(state_url).json()["messages"])
        assert http.post(f"{graph}/_sandbox/groups/{group}/messages", json={"from": "447700900318", "text": "Coffee stop?"}).status_code == 200

        def answer() -> Optional[str]:
            messages = http.get(state_url).json()["messages"]
            fresh = [m for m in messages if m not in before and len(messages[m]["recipients"]) == 2]
            return fresh[0] if fresh else None

        wamid = _until("the bot's answer to reach both members", answer)
        for wa in ["447700900318", "14155550173"]:
            assert http.post(f"{graph}/_sandbox/messages/{wamid}/read", json={"wa_id": wa}).status_code == 200

        def read_by_both() -> Optional[Dict[str, Any]]:
            state: Dict[str, Any] = http.get(state_url).json()
            statuses = [r["status"] for r in state["messages"][wamid]["recipients"].values()]
            return state if statuses == ["read", "read"] else None

        final = _until("both read receipts", read_by_both)
        assert final["totals"]["group_service"]["billable_deliveries"] == 0 and final["totals"]["group_service"]["free_deliveries"] >= 2
        assert final["service_window_until"] is not None
        log = http.get(f"{graph}/_sandbox/deliveries").json()["deliveries"]
        assert log and all(d["delivered_at"] for d in log), log
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        server.should_exit = True


def _alive(http: httpx.Client, url: str) -> bool:
    try:
        return http.get(url).status_code == 200
    except httpx.HTTPError:
        return False
