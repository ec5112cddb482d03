"""Python manners: real exceptions in a hierarchy, bytes and str bodies, mappings for queries."""

import base64
import email.parser
import email.policy
import hashlib
import hmac
import json
from typing import Any, Dict, List, Optional, Tuple

import pytest

import wagroups

SECRET = "6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41"
BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_validation_errors_are_value_errors_with_every_field_error() -> None:
    with pytest.raises(ValueError) as caught:
        wagroups.build_request("create_group", {"phone_number_id": "x", "subject": "", "foo": 1})
    e = caught.value
    assert isinstance(e, wagroups.ValidationError) and isinstance(e, wagroups.WagroupsError)
    assert (e.code, e.kind, e.retry, e.origin) == ("validation_failed", "validation", "fix", "local")
    assert [(f["code"], f["path"]) for f in e.errors] == [
        ("unknown_parameter", "foo"),
        ("invalid_id", "phone_number_id"),
        ("empty_value", "subject"),
    ]


def test_api_errors_carry_classification_and_retry_after() -> None:
    body = b'{"error":{"code":131208,"message":"(#131208) Group Rate Limit Hit","type":"OAuthException"}}'
    with pytest.raises(wagroups.ApiError) as caught:
        wagroups.parse_response("create_group", 429, body, {"Retry-After": "30"})
    e = caught.value
    assert not isinstance(e, ValueError)
    assert (e.kind, e.retry, e.http_status, e.graph_code, e.retry_after_seconds) == ("rate_limit", "backoff", 429, 131208, 30)
    assert wagroups.classify_error(429, body)["code"] == "group_rate_limit_hit"


def test_signatures_accept_bytes_str_and_several_secrets() -> None:
    wagroups.verify_signature(BODY, sign(BODY), SECRET)
    wagroups.verify_signature(BODY.decode(), sign(BODY), [b"old", SECRET.encode()])
    with pytest.raises(wagroups.VerificationError) as caught:
        wagroups.verify_signature(BODY + b"\n", sign(BODY), SECRET)
    assert caught.value.code == "signature_mismatch"
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value.info)
    with pytest.raises(wagroups.VerificationError):
        wagroups.verify_signature(BODY, None, SECRET)


def test_subscription_from_a_mapping_or_a_query_string() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "t", "hub.challenge": "42"}
    assert wagroups.verify_subscription(query, "t") == "42"
    assert wagroups.verify_subscription("hub.mode=subscribe&hub.verify_token=t&hub.challenge=42", "t") == "42"
    with pytest.raises(wagroups.VerificationError):
        wagroups.verify_subscription(query, "other")


def test_webhook_errors_are_value_errors() -> None:
    with pytest.raises(wagroups.WebhookError) as caught:
        wagroups.parse_webhook(b'{"object":"page","entry":[]}')
    assert isinstance(caught.value, ValueError) and caught.value.code == "webhook_wrong_object"


def test_pictures_from_bytes() -> None:
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 192, 0, 192, 1, 1, 0x11, 0, 0xFF, 0xD9])
    request = wagroups.build_set_group_picture("G", jpeg, config={"access_token": "T"})
    assert request["method"] == "POST" and request["headers"]["authorization"] == "Bearer T"
    assert request["body"] is not None and request["body"]["type"] == "multipart"
    assert wagroups.sniff_image(jpeg) == {"format": "jpeg", "width": 192, "height": 192}
    with pytest.raises(wagroups.ImageError):
        wagroups.sniff_image(b"nope")
    with pytest.raises(wagroups.ValidationError) as caught:
        wagroups.build_set_group_picture("G", b"\x89PNG\r\n\x1a\n" + b"\0" * 4)
    assert [f["code"] for f in caught.value.errors] == ["image_truncated"]


def test_bad_python_values_are_type_errors_not_crashes() -> None:
    with pytest.raises(TypeError):
        wagroups.build_request("create_group", {"subject": object()})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        wagroups.build_request("create_group", {"subject": 2**70})
    with pytest.raises(ValueError):
        wagroups.build_request("create_group", {"subject": float("nan")})
    with pytest.raises(TypeError):
        wagroups.build_request("create_group", {1: "x"})  # type: ignore[dict-item]


def test_deep_and_self_referencing_parameters_raise_too_deep_not_crash() -> None:
    deep: Any = "leaf"
    for _ in range(1_000_000):
        deep = [deep]
    with pytest.raises(wagroups.ValidationError) as caught:
        wagroups.build_request("delete_group", {"group_id": "G", "extra": deep})
    assert isinstance(caught.value, ValueError)
    assert [f["code"] for f in caught.value.errors] == ["too_deep"]
    assert caught.value.errors[0]["path"].startswith("extra[0][0]")

    cyclic: Dict[str, Any] = {"group_id": "G"}
    cyclic["self"] = cyclic
    with pytest.raises(wagroups.ValidationError) as caught:
        wagroups.build_request("delete_group", cyclic)
    assert [f["code"] for f in caught.value.errors] == ["too_deep"]
    assert caught.value.errors[0]["path"].startswith("self.self.self")

    looped: List[Any] = []
    looped.append(looped)
    with pytest.raises(wagroups.ValidationError):
        wagroups.build_request("delete_group", {"group_id": "G"}, config={"x": looped})  # type: ignore[dict-item]

    # The limit is the core's: 64 levels pass the conversion (and meet the ordinary rules).
    ok: Any = 1
    for _ in range(62):
        ok = [ok]
    with pytest.raises(wagroups.ValidationError) as caught:
        wagroups.build_request("delete_group", {"group_id": "G", "extra": ok})
    assert [f["code"] for f in caught.value.errors] == ["unknown_parameter"]


def _parse_multipart(content_type: str, body: bytes) -> Dict[str, Tuple[Optional[str], bytes]]:
    """The body through Python's own MIME parser, as a mail or form library would read it."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart() and not message.defects, message.defects
    parts = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = (part.get_filename(), part.get_payload(decode=True))
    return parts


def test_multipart_bodies_parse_with_a_real_mime_parser() -> None:
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 192, 0, 192, 1, 1, 0x11, 0, 0xFF, 0xD9])
    for boundary in [None, "Aa0+_-.boundary", "----frame58213"]:
        request = wagroups.build_set_group_picture("G", jpeg, boundary=boundary, filename="crew.jpg")
        body = request["body"]
        assert body is not None and body["type"] == "multipart"
        parts = _parse_multipart(body["content_type"], base64.b64decode(body["base64"]))
        assert parts["messaging_product"] == (None, b"whatsapp")
        assert parts["file"] == ("crew.jpg", jpeg)
    upload = wagroups.build_request("upload_media", {"phone_number_id": "1", "type": "application/pdf"}, file=b"%PDF-1.7\n")
    body = upload["body"]
    assert body is not None and body["type"] == "multipart"
    parts = _parse_multipart(body["content_type"], base64.b64decode(body["base64"]))
    assert parts["type"] == (None, b"application/pdf") and parts["file"] == ("upload.pdf", b"%PDF-1.7\n")
    for boundary in ["x,y", "a=b", "a/b", "(x)", "q?", "a:b", "has space"]:
        with pytest.raises(wagroups.ValidationError) as caught:
            wagroups.build_set_group_picture("G", jpeg, boundary=boundary)
        assert [f["code"] for f in caught.value.errors] == ["invalid_boundary"]


def test_catalog_and_operations() -> None:
    catalog = wagroups.error_catalog()
    assert len(catalog) > 90 and {"code", "kind", "retry", "origin", "http_status", "title"} <= set(catalog[0])
    ops = wagroups.operations()
    names = [o["name"] for o in ops]
    assert len(names) == len(set(names)) and {"create_group", "upload_media", "download_media"} <= set(names)
    assert set(names) == set(wagroups.types.REPLY_TYPES)
    for o in ops:
        assert o["method"] in ("GET", "POST", "DELETE") and o["reply"] == wagroups.types.REPLY_TYPES[o["name"]], o


def _delivery(changes: List[Dict[str, Any]], **top: Any) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", **top, "entry": [{"id": "1", "changes": changes}]}).encode()


def test_output_stays_a_small_multiple_of_the_input() -> None:
    # One large unknown member at the top and 1,000 empty changes: given once, not per event.
    body = _delivery([{"field": "messages", "value": {}}] * 1000, x_pad="p" * 1_000_000)
    out = wagroups.parse_webhook(body)
    assert len(out["events"]) == 1000 and out["unknown"]["x_pad"] == '"' + "p" * 1_000_000 + '"'
    assert len(json.dumps(out)) < 4 * len(body)
    # One padded contact and 1,000 messages from it: the contact is given once, per change.
    msgs = [{"from": "447700900318", "group_id": "G1", "id": f"wamid.{i}", "timestamp": "1", "type": "text",
             "text": {"body": "hi"}} for i in range(1000)]
    contact = {"profile": {"name": "Imogen"}, "wa_id": "447700900318", "x_pad": "p" * 1_000_000}
    body = _delivery([{"field": "messages", "value": {"contacts": [contact], "messages": msgs}}])
    out = wagroups.parse_webhook(body)
    assert len(out["events"]) == 1000 and out["events"][0]["contact_name"] == "Imogen"
    assert len(json.dumps(out)) < 4 * len(body)


def test_limits_are_adjustable_and_refuse_before_work() -> None:
    body = _delivery([{"field": "messages", "value": {"statuses": [{"id": "w", "status": "sent"}] * 3}}])
    assert len(wagroups.parse_webhook(body)["events"]) == 3
    assert len(wagroups.parse_webhook(body, max_items=3, max_bytes=len(body))["events"]) == 3
    for limits in [{"max_items": 2}, {"max_bytes": len(body) - 1}]:
        with pytest.raises(wagroups.WebhookError) as caught:
            wagroups.parse_webhook(body, **limits)
        assert caught.value.code == "webhook_too_large"
    with pytest.raises(wagroups.ValidationError):
        wagroups.parse_webhook(body, max_items=0)


def test_raw_is_the_items_exact_text() -> None:
    body = b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[ {"id" : "w","status":"sent", "x": [1, 2]} ]}}]}]}'
    event = wagroups.parse_webhook(body)["events"][0]
    assert event["raw"] == '{"id" : "w","status":"sent", "x": [1, 2]}'
    assert event["raw"].encode() in body


def test_http_args_send_every_body_as_bytes() -> None:
    config = {"access_token": "EAAG-token"}
    get = wagroups.http_args(wagroups.build_request("get_media", {"media_id": "1"}, config))
    assert get == {"method": "GET", "url": "https://graph.facebook.com/v23.0/1", "headers": {"authorization": "Bearer EAAG-token"}}
    removal = wagroups.build_request("remove_participants", {"group_id": "G", "participants": [{"user": "+1415"}]}, config)
    args = wagroups.http_args(removal)
    assert args["method"] == "DELETE" and args["content"] == removal["body"]["text"].encode()  # type: ignore[index]
    assert wagroups.http_args(removal, client="requests")["data"] == args["content"]
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 192, 0, 192, 1, 1, 0x11, 0, 0xFF, 0xD9])
    picture = wagroups.build_request("set_group_picture", {"group_id": "G"}, config, file=jpeg)
    body = wagroups.http_args(picture)["content"]
    assert isinstance(body, bytes) and jpeg in body and body == base64.b64decode(picture["body"]["base64"])  # type: ignore[index]
    with pytest.raises(ValueError):
        wagroups.http_args(removal, client="aiohttp")  # type: ignore[arg-type]
    with pytest.raises(wagroups.DecodeError):
        wagroups.http_args({"method": "PATCH", "url": "x", "headers": {}, "body": None})  # type: ignore[typeddict-item]
