"""The whole language-neutral fixture corpus, through the installed wheel: every result must
equal the Rust output exactly."""

import base64
import json
from typing import Any, Dict

import pytest

import wagroups
from conftest import FIXTURES, cases


def body_of(inp: Dict[str, Any]) -> bytes:
    if "body_parts" in inp:
        # [text, times, separator] each, {i} in the text standing for the repetition's number:
        # bodies too large to store, built alike everywhere.
        return "".join(
            sep.join(text.replace("{i}", str(i)) for i in range(times)) for text, times, sep in inp["body_parts"]
        ).encode()
    if "body_base64" in inp:
        return base64.b64decode(inp["body_base64"])
    return inp["body"].encode()


def run(inp: Dict[str, Any]) -> Any:
    kind = inp["kind"]
    op = inp.get("operation", "")
    if kind == "request":
        file = base64.b64decode(inp["file_base64"]) if "file_base64" in inp else None
        return wagroups.build_request(op, inp["params"], inp.get("config"), file)
    if kind == "state_apply":
        return wagroups.apply_events(inp["states"], [d.encode() for d in inp["deliveries"]])
    if kind == "state_reply":
        return wagroups.apply_reply(inp["states"], op, inp["params"], inp["reply"].encode(), inp["at"])
    if kind == "retry":
        return wagroups.next_attempt(inp["error"], inp["attempt"], inp["policy"], inp["random"])
    if kind == "receive":
        limits = inp.get("limits", {})
        got = wagroups.receive(
            inp["method"], inp["query"], inp["headers"], body_of(inp),
            app_secrets=inp["secrets"], verify_token=inp["verify_token"], **limits,
        )
        # The answer is an object with the body as bytes and the problem as an exception; the
        # corpus holds their JSON forms.
        assert got.events == (got.batch["events"] if got.batch is not None else [])
        problem = got.problem.info if got.problem is not None else None
        return {"status": got.status, "content_type": got.content_type, "body": got.body.decode(),
                "batch": got.batch, "problem": problem}
    if kind == "state_seed":
        return wagroups.seed_from_group_info(inp["reply"].encode(), inp["read_at"])
    if kind == "state_quote":
        return wagroups.quote_message(inp["state"], inp["now"], inp["template_category"])
    if kind == "state_prune":
        return wagroups.prune(inp["state"], inp["now"], inp.get("keep"))
    if kind == "media_download":
        return wagroups.check_media_download(body_of(inp), inp["info"])
    if kind == "response":
        return wagroups.parse_response(op, inp["status"], body_of(inp), inp.get("headers"))
    if kind == "next_page":
        return wagroups.next_page_params(op, inp["params"], inp["body"])
    if kind == "webhook":
        body = body_of(inp)
        batch = wagroups.parse_webhook(body, **inp.get("limits", {}))
        if "output_bound" not in inp:
            return batch
        # A generated delivery: its event count, and whether the batch as compact JSON is at
        # most output_bound times the delivery's size.
        written = len(json.dumps(batch, separators=(",", ":"), ensure_ascii=False).encode())
        return {"events": len(batch["events"]), "output_within_bound": written <= inp["output_bound"] * len(body)}
    if kind == "signature":
        wagroups.verify_signature(body_of(inp), inp["header"], inp["secrets"])
        return True
    if kind == "subscription":
        return wagroups.verify_subscription(inp["query"], inp["verify_token"])
    raise AssertionError(f"unknown kind {kind}")


def outcome(inp: Dict[str, Any]) -> Any:
    if inp["kind"] == "image":
        data = base64.b64decode(inp["base64"]) + b"\0" * inp.get("pad_zero_bytes", 0)
        return wagroups.check_group_picture(data)
    try:
        return {"ok": run(inp)}
    except wagroups.WagroupsError as e:
        return {"error": e.info}


def test_the_corpus_is_there() -> None:
    assert len(list(FIXTURES.rglob("*.json"))) > 300


@pytest.mark.parametrize("case", cases())
def test_fixture(case: Dict[str, Any]) -> None:
    assert outcome(case["input"]) == case["expect"]
