"""Python manners: real exceptions in a hierarchy, bytes and str bodies, mappings for queries."""

import hashlib
import hmac

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
        ("invalid_format", "phone_number_id"),
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
    with pytest.raises(wagroups.SignatureError) as caught:
        wagroups.verify_signature(BODY + b"\n", sign(BODY), SECRET)
    assert caught.value.code == "signature_mismatch"
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value.info)
    with pytest.raises(wagroups.SignatureError):
        wagroups.verify_signature(BODY, None, SECRET)


def test_subscription_from_a_mapping_or_a_query_string() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "t", "hub.challenge": "42"}
    assert wagroups.verify_subscription(query, "t") == "42"
    assert wagroups.verify_subscription("hub.mode=subscribe&hub.verify_token=t&hub.challenge=42", "t") == "42"
    with pytest.raises(wagroups.SignatureError):
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


def test_catalog_and_operations() -> None:
    catalog = wagroups.error_catalog()
    assert len(catalog) > 90 and {"code", "kind", "retry", "origin", "http_status", "title"} <= set(catalog[0])
    names = [o["name"] for o in wagroups.operations()]
    assert len(names) == 17 and "create_group" in names
    assert set(names) == set(wagroups.types.REPLY_TYPES)
