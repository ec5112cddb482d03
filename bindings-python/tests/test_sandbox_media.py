"""The installed wheel against the sandbox binary over real HTTP (the standard library's client):
a group created (its id from the group_create delivery matched by request_id), a member's photo
and an upload each looked up, downloaded with the library's request (the token goes only to the
configured origin) and checked with check_media_download."""

import json
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

import wagroups
from conftest import running_sandbox

PHONE = "427119830566204"



def _send(request: Any) -> Tuple[int, bytes, List[Tuple[str, str]]]:
    args = wagroups.http_args(request, client="requests")
    req = urllib.request.Request(args["url"], data=args.get("data"), headers=args["headers"], method=args["method"])
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, res.read(), list(res.headers.items())
    except urllib.error.HTTPError as e:
        return e.code, e.read(), list(e.headers.items())


def _post(url: str, body: Dict[str, Any]) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=10) as res:
        return int(res.status)


def test_upload_photo_download_and_check_against_the_sandbox() -> None:
    with running_sandbox("--create-delay-ms", "0") as base:
        config = {"base_url": base, "access_token": "sandbox-token"}

        def call(operation: Any, params: Dict[str, Any], file: Optional[bytes] = None) -> Any:
            status, body, headers = _send(wagroups.build_request(operation, params, config, file))
            return wagroups.parse_response(operation, status, body, headers)

        def delivered() -> List[Any]:
            with urllib.request.urlopen(f"{base}/_sandbox/deliveries", timeout=10) as res:
                log = json.loads(res.read())["deliveries"]
            return [e for d in log for e in wagroups.parse_webhook(d["body"].encode())["events"]]

        created = call("create_group", {"phone_number_id": PHONE, "subject": "Photo club"})
        group = None
        for _ in range(400):
            group = next((e["group_id"] for e in delivered() if e["type"] == "group_create" and e["request_id"] == created["request_id"]), None)
            if group:
                break
            time.sleep(0.025)
        assert group, "the group_create event with the request id"
        link = call("get_invite_link", {"group_id": group})["invite_link"]
        assert _post(f"{base}/_sandbox/join", {"invite_link": link, "wa_id": "447700900318"}) == 200
        assert _post(f"{base}/_sandbox/groups/{group}/messages", {"from": "447700900318", "media": {"type": "image"}}) == 200
        photo = next(e for e in delivered() if e["type"] == "message" and e["kind"] == "image")

        def download(media_id: str) -> Any:
            info = call("get_media", {"media_id": media_id})
            status, body, _ = _send(wagroups.build_request("download_media", {"url": info["url"]}, config))
            assert status == 200
            return wagroups.check_media_download(body, info)

        assert download(photo["media"]["id"])["size_bytes"] > 0
        pdf = b"%PDF-1.7\n1 0 obj\n"
        uploaded = call("upload_media", {"phone_number_id": PHONE, "type": "application/pdf"}, pdf)
        assert download(uploaded["id"])["size_bytes"] == len(pdf)
        # Without the token the bytes are refused, in Meta's envelope.
        try:
            urllib.request.urlopen(f"{base}/_media/{uploaded['id']}", timeout=10)
            raise AssertionError("downloaded without the token")
        except urllib.error.HTTPError as e:
            assert e.code == 401 and json.loads(e.read())["error"]["code"] == 190
