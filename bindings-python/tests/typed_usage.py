"""Checked with `mypy --strict`: the typings narrow webhook events on "type" and give each
operation's reply its own shape. Also run by pytest, so it cannot rot."""

from typing import List, Optional, Tuple

import wagroups
from wagroups.types import CreateGroupReply, Event, GroupInfo, JoinRequestsResult, NextAttempt, Request


def approve_everything(events: List[Event]) -> List[Request]:
    requests: List[Request] = []
    for event in events:
        if event["type"] == "group_join_request_created":
            # Narrowed: join_request_id and requester exist only on this variant.
            jr: Optional[str] = event["join_request_id"]
            if jr is not None and event["group_id"] is not None:
                requests.append(
                    wagroups.build_request("approve_join_requests", {"group_id": event["group_id"], "join_requests": [jr]})
                )
        elif event["type"] == "status":
            charge: Optional[str] = event["charge_key"]
            assert charge is None or "|" in charge
        elif event["type"] == "group_participants_remove":
            for failed in event["failed_participants"]:
                assert isinstance(failed["errors"], list)
        elif event["type"] == "unknown":
            assert isinstance(event["reason"], str)
    return requests


def subject_of(body: bytes) -> Optional[str]:
    info: GroupInfo = wagroups.parse_response("get_group_info", 200, body)
    return info.get("subject")


def approved(body: bytes) -> List[str]:
    result: JoinRequestsResult = wagroups.parse_response("approve_join_requests", 206, body)
    if result["outcome"] == "partially_failed":
        return [f["join_request_id"] or "" for f in result["failed_join_requests"]]
    return result.get("approved_join_requests") or []


def with_client(client: wagroups.Client) -> str:
    created: CreateGroupReply = client.create_group(phone_number_id="1", subject="Ride")
    media = client.download_media("123")
    groups = [g for g in client.paginate("list_groups", {"phone_number_id": "1"})]
    return f"{created.get('request_id')}{len(media['data'])}{len(groups)}"


async def with_async_client(client: wagroups.AsyncClient) -> Optional[str]:
    info: GroupInfo = await client.get_group_info(group_id="G")
    return info.get("subject")


def answer(method: str, body: bytes) -> Tuple[int, bytes]:
    got: wagroups.Received = wagroups.receive(method, None, {}, body, app_secrets=["s"], verify_token="v")
    for event in got.events:
        if event["type"] == "group_create":
            return got.status, event["dedup_key"].encode()
    decision: NextAttempt = wagroups.next_attempt({"retry": "backoff"}, 1, None, 0.5)
    if decision["action"] == "retry" and got.problem is not None:
        return got.status, str(decision["delay_ms"]).encode()
    return got.status, got.body


def test_typed_usage_runs() -> None:
    body = (
        b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"group_participants_update",'
        b'"value":{"groups":[{"group_id":"G","type":"group_join_request_created","timestamp":"1","join_request_id":"J"}]}}]}]}'
    )
    requests = approve_everything(wagroups.parse_webhook(body)["events"])
    assert requests[0]["url"].endswith("/G/join_requests")
    assert subject_of(b'{"id":"G","subject":"S"}') == "S"
    assert approved(b'{"approved_join_requests":["A"]}') == ["A"]
