#!/usr/bin/env python3
"""Authoring tool for the fixture corpus (not run by CI).

Writes the *inputs* of cases under tests/fixtures/. A case's `expect` already in the file is kept;
a new case gets `"expect": null` until `make bless` fills it from the Rust core, and every blessed
diff is reviewed by hand before it is committed.

Needs Pillow only to (re)make the image cases: `pip install pillow`.
"""

import base64
import io
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent / "fixtures"
EXAMPLES = pathlib.Path(__file__).resolve().parent / "examples"

PHONE = "427119830566204"
GROUP = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD"
WAMID = "wamid.HBgLMTU1NTczMTIwNDgVAgARGBI3QzFFM0E5RjBCNTJEODRFNjEA"

written = set()


def case(area, group, name, description, input_):
    path = ROOT / area / group / f"{name}.json"
    expect = None
    if path.exists():
        expect = json.loads(path.read_text()).get("expect")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"description": description, "input": input_, "expect": expect}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    written.add(path)


def request(op, name, description, params, config=None):
    inp = {"kind": "request", "operation": op, "params": params}
    if config is not None:
        inp["config"] = config
    case("requests", op, name, description, inp)


def response(op, name, description, status, body, headers=None):
    inp = {"kind": "response", "operation": op, "status": status, "body": body}
    if headers:
        inp["headers"] = headers
    case("replies" if 200 <= status < 300 else "errors", op, name, description, inp)


def example(name):
    return json.loads((EXAMPLES / name).read_text())


def example_text(name):
    return (EXAMPLES / name).read_text()


# ---------------------------------------------------------------- requests from the examples
def body_params(body, drop=("messaging_product",)):
    return {k: v for k, v in body.items() if k not in drop}


request("create_group", "example", "request.create_group.json",
        {"phone_number_id": PHONE, **body_params(example("request.create_group.json"))})
request("update_group_settings", "example", "request.update_group_settings.json",
        {"group_id": GROUP, **body_params(example("request.update_group_settings.json"))})
for ex, name in [("request.remove_participants.json", "example"),
                 ("request.remove_participants.user_id.json", "example_user_id")]:
    request("remove_participants", name, ex, {"group_id": GROUP, **body_params(example(ex))})
for op in ["approve", "reject"]:
    ex = f"request.{op}_join_requests.json"
    request(f"{op}_join_requests", "example", ex, {"group_id": GROUP, **body_params(example(ex))})
request("reset_invite_link", "example", "request.reset_invite_link.json", {"group_id": GROUP})
request("delete_invite_link", "example", "request.delete_invite_link.json (OpenAPI only)", {"group_id": GROUP})
for kind in ["text", "image", "video", "audio", "document", "sticker", "template_text", "template_media_header"]:
    ex = f"request.send_group_message.{kind}.json"
    b = example(ex)
    request("send_message", f"example_{kind}", ex,
            {"phone_number_id": PHONE, "group_id": b["to"],
             **body_params(b, ("messaging_product", "recipient_type", "to"))})
for op, ex in [("pin_message", "request.pin_message.json"), ("unpin_message", "request.unpin_message.json")]:
    b = example(ex)
    request(op, "example", ex, {"phone_number_id": PHONE, "group_id": b["to"], "type": "pin", "pin": b["pin"]})
b = example("request.send_invite_link_template.json")
request("send_invite_link_template", "example", "request.send_invite_link_template.json",
        {"phone_number_id": PHONE, **body_params(b)})
request("add_participants", "not_offered_by_default",
        "request.add_participants.oas_only.json: OpenAPI only, off unless the unstable feature is on",
        {"group_id": GROUP, **body_params(example("request.add_participants.oas_only.json"))})

# ---------------------------------------------------------------- requests: config and paths
request("get_group_info", "all_fields_stable_order", "fields in any order, duplicated, come out once in table order",
        {"group_id": GROUP, "fields": ["participants", "subject", "suspended", "subject", "total_participant_count",
                                       "description", "join_approval_mode", "creation_timestamp"]})
request("get_group_info", "no_fields", "no fields: only id (and messaging_product) come back", {"group_id": GROUP})
request("get_group_info", "extra_fields", "raw extra field names after the known ones, sorted, deduplicated",
        {"group_id": GROUP, "fields": ["subject"], "extra_fields": ["zeta", "alpha", "alpha", "subject"]})
request("get_group_info", "unknown_field", "an unknown field name is refused; extra_fields is the escape hatch",
        {"group_id": GROUP, "fields": ["subjekt", 3], "extra_fields": ["Bad Name"]})
request("get_group_info", "group_id_reserved_characters", "characters Graph ids never use are refused, not encoded",
        {"group_id": "abc/def?g=h#i%j+k"})
request("get_group_info", "group_id_dot", "'.' would drop the version from the URL", {"group_id": "."})
request("get_group_info", "group_id_dot_dot", "'..' would send the token to the Graph root", {"group_id": ".."})
request("get_group_info", "group_id_dots_percent_encoded", "%2E%2E is resolved by URL parsers too", {"group_id": "%2E%2E"})
request("get_group_info", "group_id_with_dot_inside", "a dot inside an id is fine", {"group_id": "a.b"})
request("get_group_info", "group_id_whitespace", "group ids with whitespace are refused", {"group_id": "abc def"})
request("get_group_info", "group_id_empty", "empty group id", {"group_id": ""})
request("get_group_info", "with_token_and_base_url", "token as bearer header; base URL and version from config",
        {"group_id": GROUP}, {"base_url": "http://127.0.0.1:8787/graph/", "version": "v25.0", "access_token": "EAAGm0PX4ZCpsBA"})
request("get_group_info", "bad_config", "a bad version and base URL are reported with the parameter problems",
        {"group_id": "", "fields": "subject"}, {"base_url": "ftp://example.com", "version": "23.0", "extra": 1})
request("delete_group", "ok", "DELETE /{group-id} with no body", {"group_id": GROUP})
request("delete_group", "unknown_parameter", "strict with the caller: unknown parameters are errors",
        {"group_id": GROUP, "confirm": True})
request("delete_group", "params_not_object", "parameters must be a JSON object", ["nope"])
request("get_invite_link", "ok", "GET /{group-id}/invite_link", {"group_id": GROUP})
request("get_invite_link", "missing_group_id", "group_id is required", {})
case("requests", "unknown", "unknown_operation", "an operation name that does not exist",
     {"kind": "request", "operation": "create_groups", "params": {}})

# ---------------------------------------------------------------- requests: validation rules
request("create_group", "minimal", "subject only", {"phone_number_id": PHONE, "subject": "Ride"})
request("create_group", "subject_trimmed", "surrounding whitespace is trimmed before counting and sending",
        {"phone_number_id": PHONE, "subject": "   Sunday Crew \n"})
request("create_group", "subject_64_emoji_skin_tone", "64 thumbs-up with a skin tone = 128 scalar values: allowed",
        {"phone_number_id": PHONE, "subject": "👍🏽" * 64})
request("create_group", "subject_65_emoji_skin_tone", "65 thumbs-up with a skin tone = 130 scalar values: too long",
        {"phone_number_id": PHONE, "subject": "👍🏽" * 65})
request("create_group", "subject_exactly_128", "128 scalar values including combining marks is allowed",
        {"phone_number_id": PHONE, "subject": "e\u0301" * 64})
request("create_group", "subject_129", "129 characters is one too many",
        {"phone_number_id": PHONE, "subject": "a" * 129})
request("create_group", "subject_whitespace_only", "a subject of only whitespace is empty",
        {"phone_number_id": PHONE, "subject": " \t "})
request("create_group", "subject_missing", "subject is required on create", {"phone_number_id": PHONE})
request("create_group", "description_2049", "description limit is 2048",
        {"phone_number_id": PHONE, "subject": "x", "description": "d" * 2049})
request("create_group", "description_2048_precomposed", "2048 precomposed é is allowed",
        {"phone_number_id": PHONE, "subject": "x", "description": "é" * 2048})
request("create_group", "bad_join_approval_mode", "join_approval_mode is one of two documented values",
        {"phone_number_id": PHONE, "subject": "x", "join_approval_mode": "manual"})
request("create_group", "join_approval_mode_unverified_allowed", "allow_unverified passes an undocumented mode raw, with a warning",
        {"phone_number_id": PHONE, "subject": "x", "join_approval_mode": "admin_only"}, config={"allow_unverified": True})
request("create_group", "bad_phone_number_id", "the business phone number id is digits",
        {"phone_number_id": "+1 555", "subject": "x"})
request("create_group", "everything_wrong", "every problem is reported at once, each with a path",
        {"phone_number_id": 42, "subject": "", "description": 7, "join_approval_mode": "x", "participants": []})
request("list_groups", "defaults", "no paging parameters", {"phone_number_id": PHONE})
request("list_groups", "limit_and_after", "limit and a cursor", {"phone_number_id": PHONE, "limit": 1024, "after": "QVFIUjN0dUxH=="})
request("list_groups", "limit_zero", "limit is 1 to 1024", {"phone_number_id": PHONE, "limit": 0})
request("list_groups", "limit_1025", "limit is 1 to 1024", {"phone_number_id": PHONE, "limit": 1025})
request("list_groups", "limit_string", "limit is an integer, not a string", {"phone_number_id": PHONE, "limit": "25"})
request("list_groups", "after_and_before", "at most one cursor", {"phone_number_id": PHONE, "after": "a", "before": "b"})
request("update_group_settings", "nothing_to_update", "at least one of subject and description",
        {"group_id": GROUP})
request("update_group_settings", "empty_subject", "subject must not be empty on update",
        {"group_id": GROUP, "subject": "  "})
request("update_group_settings", "clear_description", "an empty description is allowed (clears it)",
        {"group_id": GROUP, "description": ""})
request("update_group_settings", "profile_picture_file_refused", "the JSON profile_picture_file member is never sent",
        {"group_id": GROUP, "profile_picture_file": "/tmp/pic.jpg"})
request("list_join_requests", "ok", "no paging", {"group_id": GROUP})
request("list_join_requests", "passthrough_paging", "paging passes through without range checks",
        {"group_id": GROUP, "limit": 5000, "before": "QVFIUmJ0R2xn"})
request("approve_join_requests", "empty_list", "at least one join request id", {"group_id": GROUP, "join_requests": []})
request("approve_join_requests", "duplicates_and_blank", "ids are non-empty and unique",
        {"group_id": GROUP, "join_requests": ["A", "", "A", 5]})
request("reject_join_requests", "missing_list", "join_requests is required", {"group_id": GROUP})
request("remove_participants", "nine", "1 to 8 participants",
        {"group_id": GROUP, "participants": [{"user": f"1415555{i:04d}"} for i in range(9)]})
request("remove_participants", "empty", "1 to 8 participants", {"group_id": GROUP, "participants": []})
request("remove_participants", "eight_ok", "8 is the most", {"group_id": GROUP,
        "participants": [{"user": f"+1415555{i:04d}"} for i in range(8)]})
request("remove_participants", "both_keys", "user or user_id, never both",
        {"group_id": GROUP, "participants": [{"user": "14155550173", "user_id": "US.62019487731150946682"}]})
request("remove_participants", "neither_key", "each item needs user or user_id",
        {"group_id": GROUP, "participants": [{}, {"wa_id": "1"}]})
request("remove_participants", "duplicate_with_plus", "+14155550173 and 14155550173 are the same person",
        {"group_id": GROUP, "participants": [{"user": "+14155550173"}, {"user": "14155550173"},
                                             {"user_id": "US.1"}, {"user_id": "US.1"}]})
request("remove_participants", "bad_formats", "user is a phone number; user_id is a BSUID",
        {"group_id": GROUP, "participants": [{"user": "call me"}, {"user_id": "us.123"}, {"user_id": "GB." + "a" * 129}]})

TEXT = {"phone_number_id": PHONE, "group_id": GROUP, "type": "text"}
request("send_message", "text_4096", "4096 characters is the text limit", {**TEXT, "text": {"body": "x" * 4096}})
request("send_message", "text_4097", "one over the text limit", {**TEXT, "text": {"body": "x" * 4097}})
request("send_message", "text_empty", "text.body is required and not empty", {**TEXT, "text": {"body": ""}})
request("send_message", "text_unknown_member", "unknown members inside the content object are refused",
        {**TEXT, "text": {"body": "hi", "preview": True}})
request("send_message", "text_with_context", "a reply context and callback data go through when set",
        {**TEXT, "text": {"body": "hi"}, "context": {"message_id": WAMID}, "biz_opaque_callback_data": "ticket-42"})
request("send_message", "wrong_member_for_type", "an image member on a text message is an unknown parameter",
        {**TEXT, "text": {"body": "hi"}, "image": {"id": "1"}})
request("send_message", "recipient_type_refused", "recipient_type and to are set by the library",
        {**TEXT, "text": {"body": "hi"}, "recipient_type": "group", "to": GROUP})
for t in ["interactive", "reaction", "location", "contacts", "pin"]:
    request("send_message", f"type_{t}_refused", f"{t}: refused (documented as rejected, or not documented for groups)",
            {"phone_number_id": PHONE, "group_id": GROUP, "type": t, t: {}})
UNVERIFIED = {"allow_unverified": True}
request("send_message", "type_reaction_allowed_unverified", "allow_unverified sends a reaction as given, with a warning",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "reaction", "reaction": {"message_id": WAMID, "emoji": "👍"}},
        config=UNVERIFIED)
request("send_message", "type_new_allowed_unverified", "a type Meta may add later goes through with allow_unverified",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "hologram", "hologram": {"beam": 3}}, config=UNVERIFIED)
request("send_message", "type_unverified_content_not_object", "the content of an unverified type is still an object",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "location", "location": "here"}, config=UNVERIFIED)
request("send_message", "type_interactive_refused_even_unverified", "documented rejections stay refused with allow_unverified",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "interactive", "interactive": {}}, config=UNVERIFIED)
request("send_message", "type_unknown", "an unknown type is not documented for groups", {"phone_number_id": PHONE, "group_id": GROUP, "type": "hologram"})
request("send_message", "type_malformed", "a type that cannot be a message type", {"phone_number_id": PHONE, "group_id": GROUP, "type": "Holo gram"})
request("send_message", "config_allow_unverified_not_bool", "allow_unverified is a boolean",
        {**{"phone_number_id": PHONE, "group_id": GROUP, "type": "text"}, "text": {"body": "hi"}}, config={"allow_unverified": "yes"})
request("send_message", "type_missing", "type is required", {"phone_number_id": PHONE, "group_id": GROUP})
IMG = {"phone_number_id": PHONE, "group_id": GROUP, "type": "image"}
request("send_message", "image_link", "media by https link", {**IMG, "image": {"link": "https://cdn.example.com/a.jpg", "caption": "c"}})
request("send_message", "image_http_link", "http links are documented: sent, with an insecure_link warning", {**IMG, "image": {"link": "http://cdn.example.com/a.jpg"}})
request("send_message", "image_ftp_link", "only http and https links", {**IMG, "image": {"link": "ftp://cdn.example.com/a.jpg"}})
request("send_message", "image_id_and_link", "id xor link", {**IMG, "image": {"id": "1", "link": "https://x.example/a.jpg"}})
request("send_message", "image_neither", "id or link required", {**IMG, "image": {"caption": "c"}})
request("send_message", "image_caption_1025", "captions are at most 1024", {**IMG, "image": {"id": "1", "caption": "c" * 1025}})
request("send_message", "image_bad_id", "a media id is digits", {**IMG, "image": {"id": "abc"}})
request("send_message", "audio_caption", "audio takes no caption",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "audio", "audio": {"id": "1", "caption": "c"}})
request("send_message", "sticker_caption", "stickers take no caption",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "sticker", "sticker": {"link": "https://x.example/s.webp", "caption": "c"}})
request("send_message", "video_caption_ok", "video caption at the limit",
        {"phone_number_id": PHONE, "group_id": GROUP, "type": "video", "video": {"id": "1", "caption": "🎥" * 1024}})
TPL = {"phone_number_id": PHONE, "group_id": GROUP, "type": "template"}
request("send_message", "template_missing_name_language", "template name and language code are required",
        {**TPL, "template": {"name": " ", "language": {}}})
request("send_message", "template_bad_components", "component and parameter types are checked",
        {**TPL, "template": {"name": "t", "language": {"code": "en", "policy": "fallback"}, "components": [
            {"type": "footer"},
            {"type": "body", "parameters": [{"type": "image", "image": {"id": "1"}}, {"type": "text", "text": ""},
                                            {"type": "group_id", "group_id": GROUP}]},
            {"type": "header", "parameters": [{"type": "video", "video": {"link": "http://x.example/v.mp4"}}]},
            {"type": "button", "sub_type": "url"},
            {"type": "body", "index": 0}]}})
request("send_message", "template_currency_date_button", "body currency/date_time and a quick reply button",
        {**TPL, "template": {"name": "order_update", "language": {"code": "en_US", "policy": "deterministic"}, "components": [
            {"type": "header", "parameters": [{"type": "document", "document": {"id": "9054471236618820", "filename": "a.pdf"}}]},
            {"type": "body", "parameters": [
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}},
                {"type": "text", "text": "Jo", "parameter_name": "first_name"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "STOP"}]}]}})
PIN = {"phone_number_id": PHONE, "group_id": GROUP}
request("pin_message", "days_1", "1 day is the least", {**PIN, "pin": {"message_id": WAMID, "expiration_days": 1}})
request("pin_message", "days_30", "30 days is the most", {**PIN, "pin": {"message_id": WAMID, "expiration_days": 30}})
request("pin_message", "days_0", "expiration_days is 1 to 30", {**PIN, "pin": {"message_id": WAMID, "expiration_days": 0}})
request("pin_message", "days_31", "expiration_days is 1 to 30", {**PIN, "pin": {"message_id": WAMID, "expiration_days": 31}})
request("pin_message", "days_missing", "expiration_days is required for a pin", {**PIN, "pin": {"message_id": WAMID}})
request("pin_message", "days_quoted", "expiration_days is a JSON number, never quoted", {**PIN, "pin": {"message_id": WAMID, "expiration_days": "7"}})
request("pin_message", "type_mismatch", "pin.type must match the operation", {**PIN, "pin": {"type": "unpin", "message_id": WAMID, "expiration_days": 2}})
request("unpin_message", "days_refused", "an unpin takes no expiration_days", {**PIN, "pin": {"message_id": WAMID, "expiration_days": 7}})
request("unpin_message", "message_id_missing", "pin.message_id is required", {**PIN, "pin": {}})
INV = {"phone_number_id": PHONE, "to": "+447700900318"}
request("send_invite_link_template", "missing_group_id_parameter", "the template must carry the link: a plain text parameter does not",
        {**INV, "template": {"name": "harbor_group_invite", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "hi"}]}]}})
request("send_invite_link_template", "to_not_phone", "to is the user's phone number",
        {"phone_number_id": PHONE, "to": GROUP, "template": {"name": "t", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [{"type": "group_id", "group_id": GROUP}]}]}})
request("send_invite_link_template", "group_recipient_refused", "it goes 1:1, not to a group",
        {**INV, "recipient_type": "group", "template": {"name": "t", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [{"type": "group_id", "group_id": GROUP}]}]}})

GID_TPL = {"name": "harbor_group_invite", "language": {"code": "en"}, "components": [
    {"type": "body", "parameters": [{"type": "group_id", "group_id": GROUP}]}]}
request("send_invite_link_template", "own_template_link_in_body", "a marketing template of the business's own with the link as body text",
        {**INV, "template": {"name": "spring_rides_invite", "language": {"code": "en_US"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Sunday crew"},
                                            {"type": "text", "text": "https://chat.whatsapp.com/H7kQ2mZ9xR4"}]}]}})
request("send_invite_link_template", "own_template_url_button", "the link's code as the parameter of a URL button",
        {**INV, "template": {"name": "join_button_invite", "language": {"code": "en"}, "components": [
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "H7kQ2mZ9xR4"}]}]}})
request("send_invite_link_template", "quick_reply_is_not_a_link", "a quick-reply button parameter does not carry the link",
        {**INV, "template": {"name": "t", "language": {"code": "en"}, "components": [
            {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "JOIN"}]}]}})
request("send_invite_link_template", "bsuid_recipient", "a user known only by BSUID: recipient instead of to",
        {"phone_number_id": PHONE, "recipient": "GB.48213377590021846511", "template": GID_TPL})
request("send_invite_link_template", "to_and_recipient", "a phone number or a BSUID, not both",
        {**INV, "recipient": "GB.48213377590021846511", "template": GID_TPL})
request("send_invite_link_template", "no_recipient", "a phone number or a BSUID is required",
        {"phone_number_id": PHONE, "template": GID_TPL})
request("send_invite_link_template", "bad_bsuid", "a BSUID is a country code, a dot and up to 128 alphanumerics",
        {"phone_number_id": PHONE, "recipient": "gb-4821", "template": GID_TPL})

# '.' and '..' as ids, in every kind of place an id goes.
for op, name, params in [
    ("send_message", "dot_media_id", {"phone_number_id": PHONE, "group_id": GROUP, "type": "image", "image": {"id": ".."}}),
]:
    request(op, name, "'..' is refused as a media id", params)
for op, params in [
    ("delete_group", {"group_id": ".."}),
    ("update_group_settings", {"group_id": "..", "subject": "Ride"}),
    ("get_invite_link", {"group_id": "."}),
    ("reset_invite_link", {"group_id": ".."}),
    ("delete_invite_link", {"group_id": ".."}),
    ("list_join_requests", {"group_id": ".."}),
    ("approve_join_requests", {"group_id": GROUP, "join_requests": ["..", "MTIwMjU1NTAxNDc6MTIwMzYzNDI3NzMxOTA0NDY4", "a b"]}),
    ("reject_join_requests", {"group_id": "..", "join_requests": ["."]}),
    ("remove_participants", {"group_id": "..", "participants": [{"user": "+14155550100"}]}),
    ("create_group", {"phone_number_id": "..", "subject": "Ride"}),
    ("list_groups", {"phone_number_id": "."}),
    ("send_message", {"phone_number_id": PHONE, "group_id": "..", "type": "text", "text": {"body": "hi"}}),
    ("pin_message", {"phone_number_id": PHONE, "group_id": GROUP, "pin": {"message_id": "..", "expiration_days": 1}}),
    ("unpin_message", {"phone_number_id": "..", "group_id": GROUP, "pin": {"message_id": "."}}),
    ("set_group_picture", {"group_id": "..", "file": "/9j/"}),
]:
    request(op, "dot_ids", "'.' and '..' are refused as ids (an HTTP client would resolve them)", params)
request("pin_message", "wamid_base64_padding", "wamids are standard base64: '+', '/' and '=' are kept",
        {**PIN, "pin": {"message_id": "wamid.HBgLMTU1NTczMTIwNDgVAgAR+/BI3QzFFM0E5RjBCNTJEODRFNjEA==", "expiration_days": 3}})
# A valid 192x192 JPEG, taken from the corpus so that this part needs no image library.
SMALL_JPEG_B64 = json.loads((ROOT / "requests/set_group_picture/ok_derived_boundary.json").read_text())["input"]["params"]["file"]
for boundary in ["x,y", "a=b", "a:b", "a/b", "(x)", "q?", "has space"]:
    request("set_group_picture", "boundary_special_" + "".join(c if c.isalnum() else "_" for c in boundary),
            "a boundary with a MIME special or a space would need quoting: refused",
            {"group_id": GROUP, "file": SMALL_JPEG_B64, "boundary": boundary})
request("set_group_picture", "boundary_all_allowed_characters", "letters, digits, '+', '_', '-' and '.' need no quoting",
        {"group_id": GROUP, "file": SMALL_JPEG_B64, "boundary": "Aa0+_-.boundary"})
nested = {"level": 64}
for _ in range(65):
    nested = {"deeper": nested}
request("delete_group", "params_too_deep", "parameters nested past 64 levels are refused before any work",
        {"group_id": GROUP, "extra": nested})

OPS = ["create_group", "list_groups", "get_group_info", "update_group_settings", "set_group_picture", "delete_group",
       "get_invite_link", "reset_invite_link", "delete_invite_link", "list_join_requests", "approve_join_requests",
       "reject_join_requests", "remove_participants", "send_message", "pin_message", "unpin_message",
       "send_invite_link_template"]
for op in OPS:
    request(op, "empty_params", "every required parameter is reported missing", {})

request("set_group_picture", "jpeg_size_unreadable_warns", "a JPEG whose size cannot be read is sent, with a warning",
        {"group_id": GROUP, "file": base64.b64encode(b"\xff\xd8\xff\xda\x00\x02").decode()})

# ---------------------------------------------------------------- set_group_picture (images)
def img_bytes(fmt, w, h, **kw):
    from PIL import Image
    im = Image.new("RGB", (w, h), (200, 80, 40))
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def b64(b):
    return base64.b64encode(b).decode()


def jpeg_with_fill_bytes(w, h):
    """A JPEG whose markers are preceded by extra 0xFF fill bytes, as the standard allows."""
    raw = img_bytes("JPEG", w, h, quality=30)
    out = bytearray(raw[:2])
    i = 2
    while i < len(raw):
        marker = raw[i + 1]
        out += b"\xff\xff\xff"  # fill
        out.append(marker)
        seg_len = int.from_bytes(raw[i + 2:i + 4], "big")
        out += raw[i + 2:i + 2 + seg_len]
        i += 2 + seg_len
        if marker == 0xDA:
            out += raw[i:]
            break
    return bytes(out)


if "--images" in sys.argv:
    from PIL import Image  # noqa: F401  (fails early without Pillow)

    exif = Image.Exif()
    exif[0x010F] = "HarborCycles"
    exif[0x0110] = "FrameCam" * 40
    images = {
        "jpeg_baseline_192": ("baseline JPEG 192x192: the smallest valid group picture", img_bytes("JPEG", 192, 192, quality=30)),
        "jpeg_progressive_640": ("progressive JPEG (SOF2) 640x640", img_bytes("JPEG", 640, 640, quality=30, progressive=True)),
        "jpeg_exif_512": ("JPEG with an APP1/EXIF segment before the frame header", img_bytes("JPEG", 512, 512, quality=30, exif=exif.tobytes())),
        "jpeg_fill_bytes_300": ("JPEG with 0xFF fill bytes before every marker", jpeg_with_fill_bytes(300, 300)),
        "jpeg_191": ("JPEG 191x191: one pixel too small", img_bytes("JPEG", 191, 191, quality=30)),
        "jpeg_not_square": ("JPEG 400x300: not square", img_bytes("JPEG", 400, 300, quality=30)),
        "png_256": ("PNG: recognised, not JPEG", img_bytes("PNG", 256, 256)),
        "gif_256": ("GIF: recognised, not JPEG", img_bytes("GIF", 256, 256)),
        "webp_lossy_256": ("WebP lossy (VP8): recognised, not JPEG", img_bytes("WEBP", 256, 256, quality=30)),
        "webp_lossless_300x200": ("WebP lossless (VP8L)", img_bytes("WEBP", 300, 200, lossless=True)),
    }
    from PIL import Image as _I
    im = _I.new("RGBA", (320, 320), (1, 2, 3, 128))
    buf = io.BytesIO()
    im.save(buf, "WEBP", quality=30, exif=exif.tobytes())
    images["webp_extended_320"] = ("WebP extended (VP8X) with alpha and EXIF", buf.getvalue())
    full = img_bytes("JPEG", 300, 300, quality=30, exif=exif.tobytes())
    images["jpeg_truncated"] = ("a JPEG cut inside its EXIF segment", full[:60])
    images["garbage"] = ("text, not an image", b"this is not an image at all")
    images["empty"] = ("no bytes", b"")
    images["jpeg_soi_only"] = ("FF D8 FF and nothing else", b"\xff\xd8\xff")
    images["jpeg_scan_before_frame"] = ("a scan before any frame header", b"\xff\xd8\xff\xda\x00\x02")
    for name, (desc, data) in images.items():
        case("images", "check", name, desc, {"kind": "image", "base64": b64(data)})
    big = img_bytes("JPEG", 200, 200, quality=30)
    case("images", "check", "jpeg_over_5mib", "a valid 200x200 JPEG padded past 5 MiB (5,242,881 bytes)",
         {"kind": "image", "base64": b64(big), "pad_zero_bytes": 5 * 1024 * 1024 + 1 - len(big)})
    case("images", "check", "jpeg_exactly_5mib", "a valid 200x200 JPEG padded to exactly 5 MiB",
         {"kind": "image", "base64": b64(big), "pad_zero_bytes": 5 * 1024 * 1024 - len(big)})

    small = img_bytes("JPEG", 192, 192, quality=30)
    request("set_group_picture", "ok_derived_boundary", "JPEG 192x192; boundary derived from the bytes",
            {"group_id": GROUP, "file": b64(small)})
    request("set_group_picture", "ok_given_boundary_filename", "caller-chosen boundary and file name",
            {"group_id": GROUP, "file": b64(small), "boundary": "----frame58213", "filename": "crew.JPEG"})
    request("set_group_picture", "png_refused", "PNG bytes are refused whatever the file name says",
            {"group_id": GROUP, "file": b64(img_bytes("PNG", 256, 256)), "filename": "crew.jpg"})
    request("set_group_picture", "small_not_square", "every picture rule is reported",
            {"group_id": GROUP, "file": b64(img_bytes("JPEG", 100, 50, quality=30))})
    request("set_group_picture", "bad_base64_filename_boundary", "file must be base64; file name .jpg; boundary RFC 2046",
            {"group_id": GROUP, "file": "%%%not base64", "filename": "crew.png", "boundary": "bad boundary!"})
    request("set_group_picture", "boundary_inside_content", "a boundary that occurs inside the bytes is refused",
            {"group_id": GROUP, "file": b64(small[:-2] + b"XBOUNDARYX" + small[-2:]), "boundary": "XBOUNDARYX"})
    request("set_group_picture", "garbage", "garbage bytes", {"group_id": GROUP, "file": b64(b"\x00\x01garbage")})

# ---------------------------------------------------------------- media
def upload(name, description, mime, data, extra=None, config=None, as_param=False):
    params = {"phone_number_id": PHONE, "type": mime, **(extra or {})}
    inp = {"kind": "request", "operation": "upload_media", "params": params}
    if as_param:
        params["file"] = base64.b64encode(data).decode()
    elif data is not None:
        inp["file_base64"] = base64.b64encode(data).decode()
    if config is not None:
        inp["config"] = config
    case("requests", "upload_media", name, description, inp)


JPEG_BYTES = base64.b64decode(SMALL_JPEG_B64)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (2).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
WEBP_STATIC = b"RIFF" + (30).to_bytes(4, "little") + b"WEBPVP8 " + b"\x00" * 22
WEBP_ANIMATED = b"RIFF" + (30).to_bytes(4, "little") + b"WEBPVP8X" + (10).to_bytes(4, "little") + b"\x02" + b"\x00" * 9
MEDIA_SAMPLES = {
    "jpeg": ("image/jpeg", JPEG_BYTES),
    "png": ("image/png", PNG_BYTES),
    "webp_static_sticker": ("image/webp", WEBP_STATIC),
    "webp_animated_sticker": ("image/webp", WEBP_ANIMATED),
    "mp4": ("video/mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16),
    "3gpp": ("video/3gpp", b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x02\x003gp4" + b"\x00" * 16),
    "m4a": ("audio/mp4", b"\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00M4A isom" + b"\x00" * 16),
    "aac": ("audio/aac", b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 16),
    "amr": ("audio/amr", b"#!AMR\n" + b"\x3c" * 16),
    "mp3": ("audio/mpeg", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 16),
    "ogg_opus": ("audio/ogg", b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13OpusHead\x01\x01" + b"\x00" * 8),
    "pdf": ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 18 + b"\x13\x00\x00\x00[Content_Types].xml" + b"PK\x03\x04word/document.xml"),
    "xls_ole2": ("application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24),
    "text": ("text/plain", "Ride notes: 62 km, café stop at 30 km.\n".encode()),
}
for name, (mime, data) in MEDIA_SAMPLES.items():
    upload(f"ok_{name}", f"{mime} sniffed from the bytes and sent as multipart", mime, data)
upload("ok_file_in_params", "JSON-only callers give the file as base64 in the parameters", "image/jpeg", JPEG_BYTES, as_param=True)
upload("ok_filename_boundary", "caller-chosen file name and boundary", "application/pdf", MEDIA_SAMPLES["pdf"][1],
       {"filename": "route-62km.pdf", "boundary": "ride-form-1"})
upload("mismatch_png_as_jpeg", "PNG bytes declared as image/jpeg", "image/jpeg", PNG_BYTES)
upload("mismatch_docx_as_xlsx", "a Word document declared as an Excel workbook", MEDIA_SAMPLES["xls_ole2"][0].replace("ms-excel", "openxmlformats-officedocument.spreadsheetml.sheet"),
       MEDIA_SAMPLES["docx"][1])
upload("ogg_vorbis_refused", "OGG without Opus: WhatsApp takes Opus only", "audio/ogg", b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e\x01vorbis" + b"\x00" * 8)
upload("binary_as_text", "bytes with NUL declared as text/plain", "text/plain", b"\x00\x01\x02binary")
upload("gif_unsupported", "image/gif is not a type WhatsApp lists", "image/gif", b"GIF89a\x02\x00\x02\x00")
upload("gif_allowed_unverified", "allow_unverified sends an unlisted type with a warning", "image/gif", b"GIF89a\x02\x00\x02\x00",
       config={"allow_unverified": True})
upload("empty_file", "a file with no bytes", "image/jpeg", b"")
upload("no_file", "the file is required", "image/jpeg", None)
case("requests", "upload_media", "type_from_the_bytes", "without a type, the one the bytes show",
     {"kind": "request", "operation": "upload_media", "params": {"phone_number_id": PHONE},
      "file_base64": base64.b64encode(MEDIA_SAMPLES["pdf"][1]).decode()})
case("requests", "upload_media", "type_ambiguous", "an MP4 file may hold video or audio: the type must be given",
     {"kind": "request", "operation": "upload_media", "params": {"phone_number_id": PHONE},
      "file_base64": base64.b64encode(MEDIA_SAMPLES["mp4"][1]).decode()})
upload("file_twice", "bytes and base64 both given", "image/jpeg", JPEG_BYTES,
       {"file": SMALL_JPEG_B64})
upload("bad_type_and_filename", "a malformed MIME type and a file name with a quote", "image jpeg", JPEG_BYTES,
       {"filename": 'a"b.jpg'})
upload("sticker_static_too_large", "a static WebP sticker over 100 KiB", "image/webp", WEBP_STATIC + b"\x00" * (100 * 1024))
upload("sticker_animated_within", "an animated WebP sticker may be 500 KiB", "image/webp", WEBP_ANIMATED + b"\x00" * (100 * 1024))
request("create_group", "file_refused", "operations without a file refuse one",
        {"phone_number_id": PHONE, "subject": "Ride", "file": "AAAA"})
case("requests", "create_group", "file_bytes_refused", "bytes beside the parameters of an operation that uploads none",
     {"kind": "request", "operation": "create_group", "params": {"phone_number_id": PHONE, "subject": "Ride"},
      "file_base64": "AAAA"})

MEDIA_ID = "1037543291543636"
request("get_media", "ok", "a media id", {"media_id": MEDIA_ID})
request("get_media", "ok_phone_number_id", "limited to one number", {"media_id": MEDIA_ID, "phone_number_id": PHONE})
request("get_media", "bad_ids", "media ids and phone number ids are digits", {"media_id": "../me", "phone_number_id": "x"})
request("delete_media", "ok", "delete by id", {"media_id": MEDIA_ID, "phone_number_id": PHONE})
request("delete_media", "missing_id", "media_id is required", {})
LOOKASIDE = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1037543291543636&ext=1730000000&hash=ATs0"
request("download_media", "ok_lookaside", "Meta's attachment host: the token goes along", {"url": LOOKASIDE},
        config={"access_token": "EAAJB-test-token"})
request("download_media", "ok_cdn_subdomain", "a subdomain of Meta's CDN", {"url": "https://scontent.xx.fbcdn.net/v/t45/file.jpg?x=1"})
for name, url in [
    ("elsewhere", "https://files.example.com/a.jpg"),
    ("http", "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"),
    ("userinfo", "https://lookaside.fbsbx.com@evil.example/a"),
    ("port", "https://lookaside.fbsbx.com:8443/a"),
    ("suffix_trick", "https://fbcdn.net.evil.example/a"),
    ("lookalike", "https://evilfbcdn.net/a"),
    ("backslash", "https://evil.example\\@lookaside.fbsbx.com/a"),
    ("space", "https://lookaside.fbsbx.com/a b"),
]:
    request("download_media", f"refused_{name}", "the token never goes to a host that is not Meta's", {"url": url},
            config={"access_token": "EAAJB-test-token"})

LOCAL = {"access_token": "EAAJB-test-token", "base_url": "http://127.0.0.1:8787/"}
request("download_media", "ok_configured_origin", "the origin of an explicitly configured base_url (a local sandbox) serves media too",
        {"url": "http://127.0.0.1:8787/_media/1000000000001"}, config=LOCAL)
for name, url in [
    ("other_port", "http://127.0.0.1:8788/_media/1"),
    ("other_scheme", "https://127.0.0.1:8787/_media/1"),
    ("userinfo", "http://127.0.0.1:8787@evil.example/a"),
    ("prefix_host", "http://127.0.0.1:87870/a"),
    ("backslash", "http://127.0.0.1:8787\\@evil.example/a"),
]:
    request("download_media", f"refused_configured_{name}", "only that exact scheme, host and port, then a path", {"url": url}, config=LOCAL)
request("download_media", "refused_local_without_base_url", "with Meta's base URL, a local URL is refused",
        {"url": "http://127.0.0.1:8787/_media/1"}, config={"access_token": "EAAJB-test-token"})

response("upload_media", "example", "the documented upload reply", 200, example_text("response.upload_media.json"))
MEDIA_INFO = {"messaging_product": "whatsapp", "url": LOOKASIDE, "mime_type": "image/jpeg",
              "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "file_size": "4", "id": MEDIA_ID}
response("get_media", "ok_size_as_string", "file_size as a numeric string (Meta's OpenAPI example)", 200, json.dumps(MEDIA_INFO))
response("get_media", "missing_url", "url is what a media lookup is for", 200, json.dumps({"id": MEDIA_ID}))
response("delete_media", "ok", "the documented delete reply", 200, '{"success": true}')
response("download_media", "bytes", "the file itself: size and SHA-256, never parsed as JSON", 200, "test")
response("download_media", "error_json", "a failed download is a classified error", 404,
         json.dumps({"error": {"code": 131052, "message": "Media download error"}}))
for name, info, body, desc in [
    ("ok", MEDIA_INFO, "test", "bytes of the announced size and hash"),
    ("ok_hash_upper_case", {**MEDIA_INFO, "sha256": MEDIA_INFO["sha256"].upper()}, "test", "hex case does not matter"),
    ("size_mismatch", MEDIA_INFO, "tests", "one byte more than announced"),
    ("hash_mismatch", MEDIA_INFO, "TEST", "the right size, other bytes"),
    ("nothing_announced", {"url": LOOKASIDE}, "anything", "nothing to compare: size and hash reported"),
]:
    case("media", "download", name, desc, {"kind": "media_download", "body": body, "info": info})

# ---------------------------------------------------------------- analytics
WABA = "102290129340398"
T0, T1 = 1780272000, 1780876800
request("get_message_analytics", "ok_group_kinds", "group notification and support messages, daily",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "DAY", "product_types": [101, 102], "phone_numbers": ["16505550111"]})
request("get_message_analytics", "ok_inbound_by_country", "inbound group messages, filtered by country",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "MONTH", "product_types": [103], "country_codes": ["US", "BR"]})
request("get_message_analytics", "inbound_combined", "103 cannot be combined (Meta answers 100/2388077)",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "DAY", "product_types": [103, 101]})
request("get_message_analytics", "country_with_group_sent", "no country filter for group sent messages",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "DAY", "product_types": [101], "country_codes": ["US"]})
request("get_message_analytics", "bad_range_granularity_values", "start before end; documented granularity, product types, codes",
        {"waba_id": "x", "start": T1, "end": T0, "granularity": "WEEK", "product_types": [7, "101"], "country_codes": ["usa"],
         "phone_numbers": ["call me"]})
request("get_message_analytics", "unverified_values_allowed", "undocumented values go through with allow_unverified, with warnings",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "WEEK", "product_types": [104]}, config={"allow_unverified": True})
request("get_message_analytics", "missing_required", "waba_id, start, end and granularity are required", {})
request("get_pricing_analytics", "ok_group_categories", "group categories and types, cost and volume, by category",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "DAILY", "metric_types": ["COST", "VOLUME"],
         "pricing_types": ["REGULAR", "FREE_GROUP_CUSTOMER_SERVICE"], "pricing_categories": ["GROUP_MARKETING", "GROUP_SERVICE", "GROUP_UTILITY"],
         "dimensions": ["PRICING_CATEGORY", "PRICING_TYPE", "COUNTRY"], "country_codes": ["US"], "phone_numbers": ["16505550111"]})
request("get_pricing_analytics", "ok_minimal_empty_arrays", "an empty array means all", {"waba_id": WABA, "start": T0, "end": T1,
        "granularity": "MONTHLY", "pricing_categories": []})
request("get_pricing_analytics", "unknown_values", "values outside the documented sets are refused as unverified",
        {"waba_id": WABA, "start": T0, "end": T1, "granularity": "DAY", "pricing_categories": ["GROUP_SALES"], "dimensions": ["WEEKDAY"],
         "metric_types": ["PROFIT"], "pricing_types": ["free"], "tiers": [3]})
response("get_message_analytics", "ok", "data points per bucket; unknown members kept", 200, json.dumps(
    {"analytics": {"phone_numbers": ["16505550111"], "granularity": "DAY", "data_points": [
        {"start": T0, "end": T0 + 86400, "sent": 12, "delivered": 11}, {"start": str(T0 + 86400), "end": T1, "sent": "3", "delivered": 3, "read": 2}]},
     "id": WABA}))
response("get_message_analytics", "error_103_combined", "Meta's answer when 103 is combined: 100 with subcode 2388077", 400,
         json.dumps({"error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100, "error_subcode": 2388077,
                               "error_user_title": "Product types cannot be combined", "fbtrace_id": "A1"}}))
response("get_pricing_analytics", "ok", "cost and volume per category and type", 200, json.dumps(
    {"pricing_analytics": {"data": [{"data_points": [
        {"start": T0, "end": T1, "country": "US", "pricing_type": "REGULAR", "pricing_category": "GROUP_MARKETING", "volume": 40, "cost": 0.98},
        {"start": T0, "end": T1, "pricing_type": "FREE_GROUP_CUSTOMER_SERVICE", "pricing_category": "GROUP_SERVICE", "volume": 120, "cost": 0}]}]},
     "id": WABA}))

# ---------------------------------------------------------------- replies from the examples
REPLIES = {
    "create_group": ["response.create_group.json"],
    "list_groups": ["response.list_groups.json"],
    "get_group_info": ["response.get_group_info.json", "response.get_group_info.no_fields.json"],
    "delete_group": ["response.delete_group.json"],
    "get_invite_link": ["response.get_invite_link.json"],
    "reset_invite_link": ["response.reset_invite_link.json"],
    "delete_invite_link": ["response.delete_invite_link.json"],
    "list_join_requests": ["response.list_join_requests.json"],
    "approve_join_requests": ["response.approve_join_requests.json", "response.approve_join_requests.partial.json"],
    "reject_join_requests": ["response.reject_join_requests.json"],
    "send_message": ["response.send_group_message.json"],
}
for op, files in REPLIES.items():
    for f in files:
        status = 206 if f.endswith("partial.json") else 200
        response(op, "example" + ("_" + f.split(".")[-2] if f.count(".") > 2 else ""), f, status, example_text(f))

response("list_groups", "integer_created_at_and_extra", "created_at as an integer; unknown members kept", 200,
         json.dumps({"data": {"groups": [{"id": GROUP, "subject": "S", "created_at": 1781178035, "new_member": {"x": 1}}],
                              "total": 1}, "paging": {"cursors": {"before": "b", "after": "a"}}, "summary": "kept"}))
response("list_groups", "empty_data", "an empty list with no paging", 200, '{"data": {"groups": []}}')
response("list_groups", "not_json", "a 200 that is not JSON is a decode error", 200, "<html>oops</html>")
response("list_groups", "wrong_shape", "data must be an object holding groups", 200, '{"data": [{"id": "1"}]}')
response("get_group_info", "lenient_scalars", "suspended \"true\", counts and timestamps as strings; numeric ids", 200,
         json.dumps({"id": GROUP, "suspended": "true", "total_participant_count": "2", "creation_timestamp": "1781178035",
                     "join_approval_mode": "invite_only", "participants": [{"wa_id": 447700900318}, {"username": "x"}]}))
response("get_group_info", "missing_id", "id is the one member every group info has", 200, '{"subject": "S"}')
response("delete_group", "success_string", "success as the string \"true\"", 200, '{"success": "true"}')
response("delete_group", "success_false", "success false is kept as false", 200, '{"success": false}')
response("update_group_settings", "empty_body", "an undocumented, empty 2xx body is accepted", 200, "")
response("update_group_settings", "request_id", "request_id surfaced when present", 200, '{"request_id": "R1", "messaging_product": "whatsapp"}')
response("set_group_picture", "success", "success surfaced", 200, '{"success": true}')
response("remove_participants", "accepted", "undocumented 2xx body: succeeded", 200, '{"messaging_product": "whatsapp"}')
response("remove_participants", "partial_206_empty", "HTTP 206 with no body: partially_failed, never full success", 206, "")
response("remove_participants", "partial_131201_in_200", "a 200 whose errors carry 131201 is partial", 200,
         json.dumps({"errors": [{"code": 131201, "title": "Request partially succeeded",
                                 "error_data": {"details": "Some participants could not be removed."}}]}))
response("remove_participants", "errors_without_partial_code", "errors without 131201 in a 2xx: failed", 200,
         json.dumps({"errors": [{"code": 131212, "title": "Participant is not a member"}]}))
response("approve_join_requests", "top_level_errors_only", "top-level errors and no failed items: not a success", 200,
         json.dumps({"approved_join_requests": [], "errors": [{"code": 131213, "title": "Group join request does not exist."}]}))
response("approve_join_requests", "top_level_errors_some_done", "top-level errors with some approved: partial", 200,
         json.dumps({"approved_join_requests": ["J1"], "errors": [{"code": 131203, "title": "Unable to add participant to group"}]}))
response("reject_join_requests", "status_206_only", "HTTP 206 alone makes a result partial", 206,
         json.dumps({"rejected_join_requests": ["J1"]}))
response("get_invite_link", "unexpected_prefix", "another link prefix is a warning, not an error", 200,
         '{"messaging_product": "whatsapp", "invite_link": "https://wa.me/join/abc"}')
response("reject_join_requests", "all_failed", "every item failed: still a result, outcome failed", 200,
         json.dumps({"rejected_join_requests": [], "failed_join_requests": [{"join_request_id": "J1", "errors": [
             {"code": "131213", "title": "Group join request does not exist."}]}]}))
response("approve_join_requests", "partial_200", "HTTP 200 with the partial shape is partial too", 200,
         example_text("response.approve_join_requests.partial.json"))
response("send_message", "no_wa_id_numeric_input", "wa_id absent (BSUID era); numeric input", 200,
         json.dumps({"messaging_product": "whatsapp", "contacts": [{"input": 14155550173}], "messages": [{"id": WAMID, "message_status": "accepted"}]}))
response("unpin_message", "ok", "an unpin answers like a send", 200, example_text("response.send_group_message.json"))
response("send_invite_link_template", "ok", "the 1:1 template answers like a send; wa_id is the user's", 200,
         json.dumps({"messaging_product": "whatsapp", "contacts": [{"input": "+447700900318", "wa_id": "447700900318"}],
                     "messages": [{"id": WAMID}]}))
response("pin_message", "ok", "a pin answers like a send", 200, example_text("response.send_group_message.json"))
response("send_message", "error_in_200", "a 2xx body holding a Graph error is an error", 200,
         '{"error": {"code": 131020, "message": "(#131020) Bad Group", "type": "OAuthException"}}')
response("send_message", "array_body", "a JSON array is not a reply object", 200, "[]")

# ---------------------------------------------------------------- errors
for f, status in [("error.131208_rate_limit.json", 429), ("error.131041_group_unknown.json", 400),
                  ("error.131215_not_eligible.json", 400), ("error.131020_bad_group.json", 400),
                  ("error.131059_invalid_cursor.json", 400), ("error.190_token_expired.json", 401)]:
    response({"131208": "create_group", "131041": "get_group_info", "131215": "create_group", "131020": "send_message",
              "131059": "list_groups", "190": "create_group"}[f.split(".")[1].split("_")[0]],
             "example_" + f.split(".")[1], f, status, example_text(f),
             [["Retry-After", "120"]] if status == 429 else None)
response("list_groups", "string_code", "a numeric string code is read as an integer", 400,
         json.dumps({"error": {"code": "131059", "message": "Invalid cursor", "error_subcode": "2494010", "is_transient": "false"}}))
response("list_groups", "unknown_code_500", "an unknown code with HTTP 5xx: back off", 503,
         json.dumps({"error": {"code": 999999, "message": "new"}}))
response("list_groups", "unknown_code_transient", "an unknown code marked transient: back off", 400,
         json.dumps({"error": {"code": 424242, "message": "new", "is_transient": True}}))
response("list_groups", "unknown_code_400", "an unknown code with HTTP 400: no retry", 400,
         json.dumps({"error": {"code": 424242, "message": "new"}}))
response("list_groups", "non_numeric_code_429", "a non-numeric code kept raw; HTTP 429 is a rate limit", 429,
         json.dumps({"error": {"code": "RATE", "message": "slow down"}}), [["retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"]])
response("list_groups", "not_json_502", "a gateway page: kept raw, server, back off", 502, "<html>Bad Gateway</html>")
response("list_groups", "empty_401", "an empty 401: auth, but nothing says re-authenticating helps", 401, "")
response("list_groups", "unknown_code_401", "an unknown code with HTTP 401: kind auth, no retry (step 2)", 401,
         json.dumps({"error": {"code": 424242, "message": "new"}}))
response("list_groups", "unknown_code_403_transient", "is_transient wins over a 403: back off", 403,
         json.dumps({"error": {"code": 424242, "message": "new", "is_transient": True}}))
response("list_groups", "user_texts_subcode", "user title/message and subcode are surfaced", 400,
         json.dumps({"error": {"code": 100, "error_subcode": 2388077, "type": "OAuthException", "message": "(#100) Invalid parameter",
                               "error_user_title": "Bad product types", "error_user_msg": "103 cannot be combined",
                               "fbtrace_id": "T"}}))
response("approve_join_requests", "range_code_200s", "codes 200 to 299 are API Permission", 403,
         json.dumps({"error": {"code": 250, "message": "(#250) permission"}}))

# Every Graph code in the catalog gets a classification case (coverage test checks this).
CATALOG_CODES = [131020, 131041, 131059, 131201, 131202, 131203, 131204, 131207, 131208, 131209, 131210, 131211,
                 131212, 131213, 131214, 131215, 130501, 131062, 131049, 130429, 0, 1, 2, 3, 4, 10, 100, 104, 190, 299,
                 368, 80007, 131000, 131005, 131008, 131009, 131016, 131021, 131026, 131031, 131042, 131045, 131047,
                 131048, 131051, 131052, 131053, 131056, 131057, 132000, 132001, 132005, 132007, 132012, 133010]
for code in CATALOG_CODES:
    case("errors", "catalog", f"code_{code}", f"classification of Graph code {code}",
         {"kind": "response", "operation": "send_message", "status": 400,
          "body": json.dumps({"error": {"code": code, "message": f"(#{code}) test", "type": "OAuthException"}})})

# ---------------------------------------------------------------- next page
case("requests", "next_page", "list_groups_has_next", "after = reply cursor; before dropped; other params kept",
     {"kind": "next_page", "operation": "list_groups",
      "params": {"phone_number_id": PHONE, "limit": 2, "before": "old"}, "body": example_text("response.list_groups.json")})
case("requests", "next_page", "list_join_requests_end", "no next URL: the list has ended (null)",
     {"kind": "next_page", "operation": "list_join_requests", "params": {"group_id": GROUP},
      "body": example_text("response.list_join_requests.json")})
case("requests", "next_page", "not_a_list", "only list operations page",
     {"kind": "next_page", "operation": "create_group", "params": {}, "body": '{"request_id": "R"}'})

if "--prune" in sys.argv:
    for p in ROOT.rglob("*.json"):
        if p not in written and not any(a in p.parts for a in ("images", "webhooks", "signatures", "regressions")):
            print("stale:", p.relative_to(ROOT))
print(f"{len(written)} cases written under {ROOT}")

# ================================================================ webhooks (issue: webhooks)
def webhook(group, name, description, body=None, body_base64=None, limits=None, body_parts=None, output_bound=None):
    inp = {"kind": "webhook"}
    if body_base64 is not None:
        inp["body_base64"] = body_base64
    elif body_parts is not None:
        # Built by each runner: [text, times, separator], {i} standing for the repetition's
        # number; the outcome is summarised.
        inp["body_parts"] = body_parts
        inp["output_bound"] = output_bound
    else:
        inp["body"] = body
    if limits is not None:
        inp["limits"] = limits
    case("webhooks", group, name, description, inp)


for f in sorted(EXAMPLES.glob("webhook.*.json")):
    _, field, variant = f.name[: -len(".json")].split(".", 2)
    webhook(field, variant.replace(".", "_"), f.name, f.read_text())


META = {"display_phone_number": "15557312048", "phone_number_id": PHONE}


def envelope(field, value, entry_extra=None):
    entry = {"id": "318804467205531", "changes": [{"value": {"messaging_product": "whatsapp", "metadata": META, **value}, "field": field}]}
    if entry_extra:
        entry.update(entry_extra)
    return json.dumps({"object": "whatsapp_business_account", "entry": [entry]})


def groups(field, *items, **kw):
    return envelope(field, {"groups": list(items)}, **kw)


STATUS = {"id": WAMID, "status": "delivered", "timestamp": "1780940163", "recipient_id": GROUP, "recipient_type": "group"}
T = "tolerance"
webhook(T, "t01_both_participant_spellings", "recipient_participant_id wins over participant_recipient_id; raw keeps both",
        envelope("messages", {"statuses": [{**STATUS, "recipient_participant_id": "14155550173", "participant_recipient_id": "19995550000"}]}))
webhook(T, "t02_timestamps_string_or_integer", "integer and string timestamps, expiration_timestamp as a string",
        envelope("messages", {"statuses": [{**STATUS, "timestamp": 1780940163, "recipient_participant_id": "1",
                                            "conversation": {"id": "c", "expiration_timestamp": "1781026563", "origin": {"type": "group_service"}}}]}))
webhook(T, "t03_pricing_sibling_wins", "pricing beside and inside conversation: the sibling wins; a missing type stays absent",
        envelope("messages", {"statuses": [{**STATUS, "recipient_participant_id": "1",
                                            "conversation": {"id": "c", "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}},
                                            "pricing": {"billable": False, "pricing_model": "PMP", "category": "group_service"}}]}))
webhook(T, "t05_update_successful_strings", "update_successful as \"true\"/\"false\"; one block without it",
        groups("group_settings_update", {"group_id": GROUP, "type": "group_settings_update", "timestamp": "1781352240",
                                         "group_subject": {"text": "S", "update_successful": "true"},
                                         "group_description": {"text": "D", "update_successful": "false"},
                                         "profile_picture": {"mime_type": "image/jpeg", "sha256": "x="}}))
webhook(T, "t06_error_codes_as_strings", "a numeric string code is an integer; a non-numeric one is kept raw, unknown",
        envelope("messages", {"errors": [{"code": "130429", "title": "Rate limit hit"}, {"code": "E_NEW", "title": "New"}]}))
webhook(T, "t07_unknown_members_everywhere", "unknown members at every level are kept (typed extra, envelope, raw)",
        json.dumps({"object": "whatsapp_business_account", "x_root": 1, "entry": [{"id": "318804467205531", "time": 1781352240, "changes": [
            {"value": {"messaging_product": "whatsapp", "metadata": {**META, "x_meta": True}, "x_value": [1],
                       "groups": [{"group_id": GROUP, "type": "group_participants_add", "timestamp": "1780935120", "reason": "invite_link",
                                   "x_item": {"deep": 1}, "added_participants": [{"wa_id": "447700900318", "x_participant": "p"}]}]},
             "field": "group_participants_update", "x_change": "c"}]}]}))
webhook(T, "t08_unknown_values_kept", "unknown message type, status, reason, initiated_by, pricing and origin values, join_approval_mode",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "318804467205531", "changes": [
            {"value": {"messaging_product": "whatsapp", "metadata": META,
                       "messages": [{"from": "1", "group_id": GROUP, "id": "wamid.A", "timestamp": "1", "type": "hologram", "hologram": {"beam": 3}}],
                       "statuses": [{**STATUS, "status": "deleted", "recipient_participant_id": "1",
                                     "conversation": {"id": "c", "origin": {"type": "group_mystery"}},
                                     "pricing": {"pricing_model": "PXP", "type": "promo", "category": "group_new"}}]}, "field": "messages"},
            {"value": {"messaging_product": "whatsapp", "metadata": META, "groups": [
                {"group_id": GROUP, "type": "group_participants_remove", "timestamp": "2", "initiated_by": "system", "reason": "inactive",
                 "removed_participants": [{"wa_id": "1"}]}]}, "field": "group_participants_update"},
            {"value": {"messaging_product": "whatsapp", "metadata": META, "groups": [
                {"group_id": GROUP, "type": "group_create", "timestamp": "3", "join_approval_mode": "admin_only"},
                {"group_id": GROUP, "type": "group_archive", "timestamp": "4"}]}, "field": "group_lifecycle_update"},
            {"value": {"anything": [1, 2]}, "field": "group_pins_update"}]}]}))
webhook(T, "t09_type_not_of_its_field", "group_create under group_participants_update is unrecognised, not reinterpreted",
        groups("group_participants_update", {"group_id": GROUP, "type": "group_create", "timestamp": "1", "added_participants": [{"wa_id": "1"}]}))
webhook(T, "t10_request_id_anywhere", "request_id on a leave event, initiated_by on an add event, none on a create",
        groups("group_participants_update",
               {"group_id": GROUP, "type": "group_participants_remove", "initiated_by": "participant", "request_id": "R9", "timestamp": "5", "removed_participants": [{"wa_id": "1"}]},
               {"group_id": GROUP, "type": "group_participants_add", "initiated_by": "business", "reason": "invite_link", "timestamp": "6", "added_participants": [{"wa_id": "2"}]}))
webhook(T, "t11_status_group_id_member", "group_id member (OpenAPI) beside an individual recipient_id; group recipient_id wins for group statuses",
        envelope("messages", {"statuses": [
            {"id": "wamid.B", "status": "read", "timestamp": "1", "recipient_id": "14155550173", "group_id": GROUP},
            {"id": "wamid.C", "status": "read", "timestamp": "1", "recipient_id": GROUP, "recipient_type": "group", "group_id": "OTHER", "recipient_participant_id": "1"}]}))
webhook(T, "t12_numeric_ids", "ids as JSON numbers become decimal strings without floating point",
        groups("group_participants_update", {"group_id": GROUP, "type": "group_join_request_created", "timestamp": 1781261377,
                                             "join_request_id": 98765432109876543, "wa_id": 14155550173}))
webhook(T, "t13_create_failed_empty_group_id", "an empty group_id on a failed create becomes none",
        groups("group_lifecycle_update", {"group_id": "", "type": "group_create", "timestamp": "7", "request_id": "R1", "subject": "S",
                                          "errors": [{"code": 131214, "title": "Group creation is temporarily disabled"}]}))
webhook(T, "t15_unsupported_131051", "the 1:1 shape of unsupported content (131051 with an unsupported object)",
        envelope("messages", {"messages": [{"from": "1", "group_id": GROUP, "id": "wamid.D", "timestamp": "1", "type": "unsupported",
                                            "unsupported": {"type": "poll"}, "errors": [{"code": 131051, "title": "Message type unknown"}]}]}))
webhook(T, "t16_mixed_aggregate", "sent, delivered, read and failed for different messages in one statuses[]",
        envelope("messages", {"statuses": [
            {"id": "wamid.E", "status": "sent", "timestamp": "1", "recipient_id": GROUP, "recipient_type": "group",
             "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "group_utility"}},
            {"id": "wamid.E", "status": "delivered", "timestamp": "2", "recipient_id": GROUP, "recipient_type": "group", "recipient_participant_id": "1",
             "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "group_utility"}},
            {"id": "wamid.F", "status": "read", "timestamp": "3", "recipient_id": GROUP, "recipient_type": "group", "recipient_participant_user_id": "US.7"},
            {"id": "wamid.G", "status": "failed", "timestamp": "4", "recipient_id": GROUP, "recipient_type": "group",
             "errors": [{"code": 131049, "title": "Withheld", "href": "/x"}]}]}))
webhook(T, "t18_no_identity", "a status and a message with no identity at all are still kept",
        envelope("messages", {"statuses": [{"id": "wamid.H", "status": "delivered", "timestamp": "1", "recipient_id": GROUP, "recipient_type": "group"}],
                              "messages": [{"group_id": GROUP, "id": "wamid.I", "timestamp": "1", "type": "text", "text": {"body": "hi"}}]}))
webhook(T, "t20_read_implies_delivered", "read without an earlier delivered counts as delivered",
        envelope("messages", {"statuses": [{**STATUS, "status": "read", "recipient_participant_id": "447700900318"}]}))
webhook(T, "t22_other_group_id_shape", "a group id of another shape is opaque",
        groups("group_status_update", {"group_id": "120363027654321@g.us", "type": "group_suspend", "timestamp": "1"}))
webhook(T, "t25_duplicate_delivery", "the same event twice (two entries) gives the same dedup_key",
        json.dumps({"object": "whatsapp_business_account", "entry": [json.loads(example_text("webhook.messages.group_text.json"))["entry"][0]] * 2}))
webhook(T, "several_entries_and_changes", "every entry, every change, every item, in order",
        json.dumps({"object": "whatsapp_business_account", "entry": [
            {"id": "1", "changes": [json.loads(example_text("webhook.group_status_update.suspended.json"))["entry"][0]["changes"][0],
                                    json.loads(example_text("webhook.messages.value_errors.json"))["entry"][0]["changes"][0]]},
            {"id": "2", "changes": [json.loads(example_text("webhook.messages.status_aggregated.multi_participant.json"))["entry"][0]["changes"][0]]}]}))
webhook(T, "message_kinds_and_context", "media kinds, a reply context, a reaction kept as content, text with extra members",
        envelope("messages", {"contacts": [{"profile": {"name": "A"}, "wa_id": "1"}], "messages": [
            {"from": "1", "group_id": GROUP, "id": "wamid.J", "timestamp": "1", "type": "document",
             "document": {"id": 123, "mime_type": "application/pdf", "sha256": "s", "filename": "a.pdf", "caption": "c", "x_doc": 1},
             "context": {"from": "2", "id": "wamid.K"}},
            {"from": "1", "group_id": GROUP, "id": "wamid.L", "timestamp": "1", "type": "audio", "audio": {"id": "9", "mime_type": "audio/ogg", "voice": True}},
            {"from": "1", "group_id": GROUP, "id": "wamid.M", "timestamp": "1", "type": "reaction", "reaction": {"message_id": "wamid.J", "emoji": "👍"}},
            {"from": "1", "group_id": GROUP, "id": "wamid.N", "timestamp": "1", "type": "text", "text": {"body": "x", "x_text": 2}},
            {"from": "1", "id": "wamid.O", "timestamp": "1", "type": "text", "text": {"body": "1:1, no group"}}]}))
webhook(T, "items_that_are_not_objects", "items of the wrong JSON type become unknown events, never dropped",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"value": {"groups": [1, "x", None]}, "field": "group_lifecycle_update"},
            {"value": {"messages": [[]], "statuses": [True], "errors": ["e"]}, "field": "messages"},
            {"value": {"groups": [{"group_id": GROUP, "type": "group_delete", "timestamp": {"bad": 1}}]}, "field": "group_lifecycle_update"},
            {"value": "not an object", "field": "messages"},
            {"value": {"metadata": META}, "field": "messages"}]}]}))

# Members that do not have their documented type: the item keeps its type, the member is left
# out of the typed view with a warning, and raw keeps everything.
webhook(T, "placeholder_members", "Meta's documentation placeholders (TIMESTAMP, PHONE_NUMBER) keep the item's type, with warnings",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "WHATSAPP_BUSINESS_ACCOUNT_ID", "changes": [
            {"value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "PHONE_NUMBER", "phone_number_id": "PHONE_NUMBER_ID"},
                       "groups": [{"timestamp": "TIMESTAMP", "group_id": "GROUP_ID", "type": "group_create", "request_id": "REQUEST_ID",
                                   "subject": "SUBJECT", "invite_link": "INVITE_LINK", "join_approval_mode": "JOIN_APPROVAL_MODE"}]},
             "field": "group_lifecycle_update"},
            {"value": {"messaging_product": "whatsapp", "metadata": META,
                       "statuses": [{**STATUS, "timestamp": "TIMESTAMP", "recipient_participant_id": "1",
                                     "pricing": {"billable": "BILLABLE", "pricing_model": "PMP", "type": "regular", "category": "group_service"},
                                     "errors": [{"code": 131026, "title": "t"}, {"code": {"nested": 1}, "title": "u"}]}],
                       "messages": [{"from": "1", "group_id": GROUP, "id": "wamid.P", "timestamp": 17, "type": "image",
                                     "image": {"id": "1", "voice": "sometimes", "mime_type": 7}}]},
             "field": "messages"}]}]}))
webhook(T, "lone_surrogates", "a lone surrogate escape: the delivery parses, typed text gets U+FFFD, raw keeps the escape, a warning",
        '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",'
        '"metadata":{"display_phone_number":"15557312048","phone_number_id":"427119830566204"},'
        '"contacts":[{"profile":{"name":"Imo\\ud83d"},"wa_id":"1"}],'
        '"messages":[{"from":"1","group_id":"' + GROUP + '","id":"wamid.S","timestamp":"1","type":"text","text":{"body":"hi \\ud83d there \\ud83d\\ude00 \\udc00"}},'
        '{"from":"1","group_id":"' + GROUP + '","id":"wamid.T","timestamp":"1","type":"text","text":{"body":"fine \\u00e9"}}]},"field":"messages"}]}]}')
webhook(T, "lone_surrogates_in_content", "a lone surrogate escape inside a message's content or context (kept as JSON values): each gets U+FFFD and a warning, raw keeps the escape",
        '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",'
        '"metadata":{"display_phone_number":"15557312048","phone_number_id":"427119830566204"},'
        '"messages":[{"from":"1","group_id":"' + GROUP + '","id":"wamid.U","timestamp":"1","type":"reaction",'
        '"reaction":{"message_id":"wamid.J","emoji":"\\ud83d"},"context":{"from":"2","id":"wamid.K\\udc00\\udc01"}},'
        '{"from":"1","group_id":"' + GROUP + '","id":"wamid.V","timestamp":"1","type":"location","location":{"latitude":1.5,"name":"pier \\ud83d\\ude00"}}]},"field":"messages"}]}]}')
webhook(T, "proto_member_names", "members named __proto__ (at the top, in a value, in a message's context) and a member name written with an escape are kept like any other member, in every runtime",
        '{"object":"whatsapp_business_account","__proto__":{"a":1},"x\\u0041":2,"entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","__proto__":[1],'
        '"metadata":{"display_phone_number":"15557312048","phone_number_id":"427119830566204"},'
        '"messages":[{"from":"1","group_id":"' + GROUP + '","id":"wamid.P","timestamp":"1","type":"text","text":{"body":"hi"},'
        '"context":{"from":"2","id":"wamid.Q","__proto__":"x"}}]},"field":"messages"}]}]}')
webhook(T, "identifiers_too_long", "an identifier longer than 256 bytes is not copied onto every event: a warning instead",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "9" * 300, "changes": [
            {"value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "1", "phone_number_id": "2" * 257},
                       "contacts": [{"profile": {"name": "N" * 300}, "wa_id": "1"}],
                       "messages": [{"from": "1", "group_id": "G" * 400, "id": "wamid.L", "timestamp": "1", "type": "text", "text": {"body": "x"}}]},
             "field": "messages"}]}]}))
webhook(T, "shared_members_once", "contacts and unknown members of every level are given once per change, not per event",
        json.dumps({"object": "whatsapp_business_account", "x_delivery": {"a": 1}, "entry": [{"id": "1", "time": 1780936004, "changes": [
            {"value": {"messaging_product": "whatsapp", "metadata": {**META, "x_meta": True}, "x_value": [1, 2],
                       "contacts": [{"profile": {"name": "Imogen"}, "wa_id": "447700900318", "x_contact": 1}],
                       "messages": [{"from": "447700900318", "group_id": GROUP, "id": f"wamid.M{i}", "timestamp": "1", "type": "text",
                                     "text": {"body": str(i)}} for i in range(3)]},
             "field": "messages", "x_change": "c"}]}]}))

# The two amplification inputs, scaled up: a megabyte that a careless parser copies onto each of
# a thousand events. The batch stays within 4 times the delivery's size.
webhook(T, "amplification_padded_top_member", "one 1 MB unknown top-level member and 1,000 empty changes: the member is given once",
        body_parts=[['{"object":"whatsapp_business_account","x_pad":"', 1, ""], ["p", 1_000_000, ""],
                    ['","entry":[{"id":"1","changes":[', 1, ""], ['{"field":"messages","value":{}}', 1000, ","], ["]}]}", 1, ""]],
        output_bound=4)
webhook(T, "amplification_padded_contact", "one contact padded with 1 MB and 1,000 messages from it: the contact is given once per change",
        body_parts=[['{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"contacts":[{"profile":{"name":"Imogen"},"wa_id":"447700900318","x_pad":"', 1, ""],
                    ["p", 1_000_000, ""], ['"}],"messages":[', 1, ""],
                    ['{"from":"447700900318","group_id":"G1","id":"wamid.{i}","timestamp":"1","type":"text","text":{"body":"hi"}}', 1000, ","],
                    ["]}}]}]}", 1, ""]],
        output_bound=4)

M = "malformed"
webhook(M, "over_max_bytes", "a delivery over the byte limit is refused before any work",
        json.dumps({"object": "whatsapp_business_account", "entry": []}), limits={"max_bytes": 20})
webhook(M, "over_max_items", "a delivery over the item limit is refused before any item is read",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"value": {"statuses": [STATUS, STATUS, STATUS]}, "field": "messages"}]}]}), limits={"max_items": 2})
webhook(M, "at_max_items", "exactly at the item limit is accepted",
        json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"value": {"statuses": [STATUS, {**STATUS, "status": "read"}]}, "field": "messages"}]}]}), limits={"max_items": 2, "max_bytes": 100000})
webhook(M, "bad_limits", "limits must be positive integers",
        json.dumps({"object": "whatsapp_business_account", "entry": []}), limits={"max_items": 0, "max_bytes": -1})
webhook(M, "not_json", "not JSON", "{\"object\": \"whatsapp_business_account\", \"entry\": [")
webhook(M, "invalid_utf8", "invalid UTF-8 inside a string", body_base64=b64(b'{"object":"whatsapp_business_account","entry":[],"x":"\xff\xfe"}'))
webhook(M, "wrong_object", "a delivery for another product", json.dumps({"object": "page", "entry": []}))
webhook(M, "object_missing", "no object member", json.dumps({"entry": []}))
webhook(M, "top_level_array", "a JSON array", "[]")
webhook(M, "entry_not_array", "entry must be an array", json.dumps({"object": "whatsapp_business_account", "entry": {}}))
webhook(M, "changes_missing", "changes must be an array", json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1"}]}))
webhook(M, "change_not_object", "a change must be an object", json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [7]}]}))
webhook(M, "absurd_nesting", "an unknown member nested 10,000 deep is kept as its text, read without recursion",
        '{"object":"whatsapp_business_account","entry":[],"x":' + "[" * 10000 + "]" * 10000 + "}")
webhook(M, "empty_body", "an empty body", "")
webhook(M, "empty_entry", "an empty entry list is a valid delivery with no events", json.dumps({"object": "whatsapp_business_account", "entry": []}))

# ---------------------------------------------------------------- group state
SG = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD"
SW = "wamid.HBgLMTU1NTczMTIwNDgVAgARGBJBMDJGNkQ0QjlFN0MxMzU4MEQA"


def sdelivery(field, value):
    value = {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15557312048", "phone_number_id": PHONE}, **value}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": field, "value": value}]}]})


def sgroup(item):
    field = {"group_create": "group_lifecycle_update", "group_delete": "group_lifecycle_update",
             "group_settings_update": "group_settings_update", "group_suspend": "group_status_update",
             "group_suspend_cleared": "group_status_update"}.get(item["type"], "group_participants_update")
    return sdelivery(field, {"groups": [{"group_id": SG, **item}]})


def sstatus(status, at, participant=None, priced=True, category="group_marketing", ptype="regular"):
    st = {"id": SW, "status": status, "timestamp": str(at), "recipient_id": SG, "recipient_type": "group"}
    if participant:
        st[participant[0]] = participant[1]
    if priced:
        st["pricing"] = {"billable": ptype == "regular", "pricing_model": "PMP", "type": ptype, "category": category}
    return sdelivery("messages", {"statuses": [st]})


BSUID = "US.62019487731150946682"
LIFE = [
    sgroup({"type": "group_create", "timestamp": "100", "subject": "Crew", "join_approval_mode": "approval_required",
            "invite_link": "https://chat.whatsapp.com/B4tY"}),
    sgroup({"type": "group_participants_add", "reason": "invite_link", "timestamp": "110", "added_participants": [{"wa_id": "447700900318"}]}),
    sgroup({"type": "group_join_request_created", "timestamp": "120", "join_request_id": "J1", "wa_id": "14155550173", "user_id": BSUID}),
    sgroup({"type": "group_participants_add", "reason": "invite_link", "timestamp": "130",
            "added_participants": [{"input": "14155550173", "wa_id": "14155550173", "user_id": BSUID}]}),
    sgroup({"type": "group_join_request_created", "timestamp": "140", "join_request_id": "J2", "wa_id": "12025550147"}),
    sgroup({"type": "group_join_request_revoked", "timestamp": "150", "join_request_id": "J2", "wa_id": "12025550147"}),
    sgroup({"type": "group_settings_update", "timestamp": "160", "group_subject": {"text": "Crew 2", "update_successful": True},
            "group_description": {"text": "nope", "update_successful": False}}),
    sdelivery("messages", {"messages": [{"from": "447700900318", "group_id": SG, "id": "wamid.IN1", "timestamp": "170",
                                         "type": "text", "text": {"body": "hi"}}]}),
    sstatus("sent", 180, priced=False),
    sstatus("delivered", 181, ("recipient_participant_id", "447700900318")),
    sstatus("delivered", 182, ("recipient_participant_user_id", BSUID)),
    sstatus("read", 183, ("recipient_participant_id", "14155550173")),
    sgroup({"type": "group_participants_remove", "initiated_by": "business", "timestamp": "190", "removed_participants": [{"input": "+447700900318"}]}),
    sgroup({"type": "group_participants_add", "reason": "invite_link", "timestamp": "192", "added_participants": [{"wa_id": "33612345678"}]}),
    sgroup({"type": "group_participants_remove", "initiated_by": "participant", "timestamp": "195", "removed_participants": [{"wa_id": "33612345678"}]}),
    sgroup({"type": "group_suspend", "timestamp": "200"}),
    sgroup({"type": "group_suspend_cleared", "timestamp": "210"}),
]


def state_case(name, description, deliveries, states=None):
    case("state", "apply", name, description, {"kind": "state_apply", "states": states, "deliveries": deliveries})


state_case("lifecycle", "create, join by link, join request approved and revoked, settings (some applied), a message, statuses in both participant spellings, removal, a member who joins and leaves, suspend and clear",
           LIFE)
state_case("lifecycle_reversed_twice", "the same deliveries backwards, each twice: the same final state, no change the second time",
           [d for d in reversed(LIFE) for _ in range(2)])
state_case("removal_partial_and_failed", "only the participants that were removed leave; failed removals change nothing",
           [sgroup({"type": "group_participants_add", "timestamp": "10", "added_participants": [{"wa_id": "61491570156"}, {"wa_id": "14155550173"}, {"wa_id": "14155550188"}, {"wa_id": "447700900999"}]}),
            example_text("webhook.group_participants_update.remove_partial.json").replace("Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD", SG),
            sgroup({"type": "group_participants_remove", "timestamp": "20", "removed_participants": [],
                    "failed_participants": [{"wa_id": "447700900999", "errors": [{"code": 131212, "title": "not a member"}]}]})])
state_case("settings_all_some_none", "all settings applied, then some, then none",
           [sgroup({"type": "group_settings_update", "timestamp": "10", "group_subject": {"text": "A", "update_successful": True},
                    "group_description": {"text": "Da", "update_successful": True}}),
            sgroup({"type": "group_settings_update", "timestamp": "20", "group_subject": {"text": "B", "update_successful": True},
                    "group_description": {"text": "Db", "update_successful": False}}),
            sgroup({"type": "group_settings_update", "timestamp": "30", "group_subject": {"text": "C", "update_successful": False}})])
state_case("create_failed_then_delete", "a failed creation changes nothing; a deletion ends the group",
           [sgroup({"type": "group_create", "timestamp": "5", "errors": [{"code": 131215, "title": "not eligible"}]}),
            sgroup({"type": "group_create", "timestamp": "10", "subject": "Ride"}),
            sgroup({"type": "group_delete", "timestamp": "50"})])
state_case("statuses_aggregated_and_failed", "statuses of several messages to several participants, a failure, free and billable deliveries",
           [example_text("webhook.messages.status_aggregated.multi_participant.json"),
            example_text("webhook.messages.status_aggregated.multi_message.json"),
            example_text("webhook.messages.status_failed.json"),
            sstatus("delivered", 300, ("recipient_participant_id", "61491570156"), category="group_service", ptype="free_group_customer_service"),
            sstatus("read", 301, ("recipient_participant_id", "61491570156"), category="group_service", ptype="free_group_customer_service")])
state_case("other_groups_and_unknown", "events of two groups get two states; unknown items and 1:1 traffic are ignored",
           [sdelivery("group_status_update", {"groups": [{"group_id": "OTHER", "type": "group_suspend", "timestamp": "5"}]}),
            sgroup({"type": "group_suspend", "timestamp": "6"}),
            sdelivery("messages", {"messages": [{"from": "1", "id": "wamid.X", "timestamp": "7", "type": "text", "text": {"body": "1:1"}}]}),
            sdelivery("messages", {"statuses": [{"id": "wamid.Y", "status": "delivered", "timestamp": "8", "recipient_id": "14155550173"}]})])
state_case("continues_a_stored_state", "a stored state is continued, not replaced",
           [sgroup({"type": "group_participants_add", "timestamp": "400", "added_participants": [{"wa_id": "33612345678"}]})],
           states={SG: {"format": 1, "group_id": SG, "subject": "Stored", "description": None, "invite_link": None, "join_approval_mode": None,
                        "status": "active", "participants": [{"wa_id": "447700900318", "since": 1}], "pending_join_requests": [],
                        "service_window_until": None, "messages": {}, "totals": {"group_marketing": {"billable_deliveries": 7, "free_deliveries": 0}},
                        "facts": {"status_at": 1}}})
state_case("wrong_format_refused", "a state of another format version is refused, not misread", [LIFE[0]],
           states={SG: {"format": 99, "group_id": SG}})


def sfailed(at, code, title, participant=None, priced=False):
    st = {"id": SW, "status": "failed", "timestamp": str(at), "recipient_id": SG, "recipient_type": "group",
          "errors": [{"code": code, "title": title, "message": title}]}
    if participant:
        st[participant[0]] = participant[1]
    if priced:
        st["pricing"] = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}
    return sdelivery("messages", {"statuses": [st]})


state_case("status_failed_group_wide", "a group-wide failed status (131020) makes the message failed with its errors, never sent and never charged",
           [example_text("webhook.messages.status_failed.json")])
state_case("status_failed_outside_window", "131047 outside the service window: the message failed for the group; a second failed delivery of it changes nothing",
           [sfailed(500, 131047, "Re-engagement message"), sfailed(500, 131047, "Re-engagement message")])
state_case("status_failed_participant_not_charged", "a participant's failed status is reported and never charged, even when it carries pricing; another participant's delivery is",
           [sfailed(600, 131026, "Message undeliverable", ("recipient_participant_id", "447700900318"), priced=True),
            sstatus("delivered", 601, ("recipient_participant_id", "14155550173"))])
PHONE_A, BSUID_A = "14155550173", "US.62019487731150946682"
MIXED = [sstatus("delivered", 700, ("recipient_participant_id", PHONE_A)),
         sstatus("delivered", 700, ("recipient_participant_user_id", BSUID_A)),
         sdelivery("messages", {"statuses": [{"id": SW, "status": "read", "timestamp": "701", "recipient_id": SG, "recipient_type": "group",
                                              "recipient_participant_id": PHONE_A, "recipient_participant_user_id": BSUID_A,
                                              "pricing": {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}}]})]
state_case("mixed_ids_one_charge", "statuses under the phone number, the BSUID and both: one recipient, one charge",
           MIXED)
state_case("mixed_ids_one_charge_reversed", "the same statuses in the opposite order: the same state, one charge",
           list(reversed(MIXED)))
SEEDED = {"format": 1, "group_id": SG, "subject": "Crew", "description": None, "invite_link": None, "join_approval_mode": None,
          "status": "active", "participants": [{"wa_id": "447700900318", "since": 1000}], "pending_join_requests": [],
          "service_window_until": None, "messages": {}, "totals": {},
          "facts": {"subject_at": 1000, "status_at": 1000, "seeded_at": 1000}}
state_case("seed_is_a_snapshot", "membership at or before the seed cannot change what it says: an older join of someone who left stays out, an older departure of a member does not remove them; later facts apply",
           [sgroup({"type": "group_participants_add", "reason": "invite_link", "timestamp": "900", "added_participants": [{"wa_id": "61491570156"}]}),
            sgroup({"type": "group_participants_remove", "initiated_by": "participant", "timestamp": "950", "removed_participants": [{"wa_id": "447700900318"}]}),
            sgroup({"type": "group_participants_remove", "initiated_by": "participant", "timestamp": "1000", "removed_participants": [{"wa_id": "447700900318"}]}),
            sgroup({"type": "group_participants_add", "reason": "invite_link", "timestamp": "1100", "added_participants": [{"wa_id": "33612345678"}]}),
            sgroup({"type": "group_participants_remove", "initiated_by": "participant", "timestamp": "1200", "removed_participants": [{"wa_id": "447700900318"}]})],
           states={SG: SEEDED})
RID = "A7F3C91E0B5D4286E1C3F9A0B7D25E64"
WAITING = {"format": 1, "group_id": "", "subject": None, "description": None, "invite_link": None, "join_approval_mode": None,
           "status": "creating", "create_request_id": RID, "participants": [], "pending_join_requests": [],
           "service_window_until": None, "messages": {}, "totals": {}, "facts": {}}
state_case("create_matched_by_request_id", "a creation waiting under its request_id takes the group id of the group_create event with that request_id, and moves under it",
           [example_text("webhook.group_lifecycle_update.create_succeeded.json"), example_text("webhook.group_lifecycle_update.create_succeeded.json")],
           states={RID: WAITING})
RIDF = "C4E81A7D3F0B96E25D7A1C8F40B3E692"
state_case("create_failed_by_request_id", "a failed group_create with the waiting request_id: the creation failed, reported once",
           [example_text("webhook.group_lifecycle_update.create_failed.json"), example_text("webhook.group_lifecycle_update.create_failed.json")],
           states={RIDF: {**WAITING, "create_request_id": RIDF}})
state_case("state_under_wrong_key_refused", "a state stored under a key that is neither its group id nor its creation's request id is refused",
           [LIFE[0]], states={"SOMETHING": {**WAITING}})


def reply_case(name, description, operation, params, reply, states=None, at=5000):
    case("state", "reply", name, description,
         {"kind": "state_reply", "states": states, "operation": operation, "params": params, "reply": reply, "at": at})


ACTIVE = {**SEEDED, "facts": {"status_at": 1000}, "pending_join_requests": [
    {"join_request_id": "J1", "wa_id": "14155550173", "created_at": 900},
    {"join_request_id": "J2", "wa_id": "61491570156", "created_at": 901}],
    "participants": [{"wa_id": "447700900318", "since": 1000}, {"user_id": "BR.31877204619953028841", "since": 1000}]}
reply_case("create_group", "a create_group reply: a state waits under its request_id", "create_group",
           {"phone_number_id": PHONE, "subject": "Frame Build #58213"}, example_text("response.create_group.json"))
reply_case("create_group_again", "the same create_group reply twice changes nothing more", "create_group",
           {"phone_number_id": PHONE, "subject": "Frame Build #58213"}, example_text("response.create_group.json"), states={RID: WAITING})
reply_case("reject_join_requests", "rejected join requests close (no webhook follows a rejection)", "reject_join_requests",
           {"group_id": SG, "join_requests": ["J1"]},
           json.dumps({"messaging_product": "whatsapp", "rejected_join_requests": ["J1"]}), states={SG: ACTIVE})
reply_case("approve_join_requests_partial", "approved requests close, failed ones stay pending", "approve_join_requests",
           {"group_id": SG, "join_requests": ["J1", "J2"]},
           json.dumps({"messaging_product": "whatsapp", "approved_join_requests": ["J1"],
                       "failed_join_requests": [{"join_request_id": "J2", "errors": [{"code": 131203, "title": "Unable to add participant to group"}]}],
                       "errors": [{"code": 131201, "title": "Request partially succeeded"}]}), states={SG: ACTIVE})
reply_case("remove_participants", "a removal that succeeded: the participants named by phone (with +) and by BSUID leave", "remove_participants",
           {"group_id": SG, "participants": [{"user": "+447700900318"}, {"user_id": "BR.31877204619953028841"}]},
           json.dumps({"success": True}), states={SG: ACTIVE})
reply_case("remove_participants_partial", "a partial removal says not who stayed: nothing changes until the webhook", "remove_participants",
           {"group_id": SG, "participants": [{"user": "447700900318"}, {"user": "14155550188"}]},
           json.dumps({"errors": [{"code": 131201, "title": "Request partially succeeded"}]}), states={SG: ACTIVE})
reply_case("update_settings_success", "settings answered success: true are recorded at the reply's time", "update_group_settings",
           {"group_id": SG, "subject": "  Crew (Summer) ", "description": "Rides at 6:30"}, json.dumps({"success": True}), states={SG: ACTIVE})
reply_case("update_settings_request_id", "settings answered with a request_id only: the webhook decides", "update_group_settings",
           {"group_id": SG, "subject": "Crew (Summer)"}, json.dumps({"request_id": "D05A8E3F71B24C9A6E0F15B8C3D79A21"}), states={SG: ACTIVE})
reply_case("reset_invite_link", "a reset link is the group's link (no webhook follows)", "reset_invite_link",
           {"group_id": SG}, example_text("response.reset_invite_link.json"), states={SG: ACTIVE})
reply_case("delete_invite_link", "a deleted link leaves the group without one", "delete_invite_link",
           {"group_id": SG}, example_text("response.delete_invite_link.json"),
           states={SG: {**ACTIVE, "invite_link": "https://chat.whatsapp.com/B4tY", "facts": {"status_at": 1000, "invite_link_at": 1000}}})
reply_case("delete_group", "a deletion answered success: the group is deleted", "delete_group",
           {"group_id": SG}, example_text("response.delete_group.json"), states={SG: ACTIVE})
reply_case("send_message_ignored", "a sent message is known from its statuses: the reply changes nothing", "send_message",
           {"group_id": SG, "phone_number_id": PHONE, "type": "text", "text": {"body": "hi"}}, example_text("response.send_group_message.json"), states={SG: ACTIVE})
reply_case("another_group", "a reply about a group with no state starts one", "reset_invite_link",
           {"group_id": "OTHER"}, example_text("response.reset_invite_link.json"))
reply_case("error_body", "a body holding a Graph error is that error", "reject_join_requests",
           {"group_id": SG, "join_requests": ["J1"]}, json.dumps({"error": {"message": "(#131213) no such request", "code": 131213, "type": "OAuthException"}}), states={SG: ACTIVE})
reply_case("unknown_operation", "an operation that does not exist", "make_coffee", {"group_id": SG}, "{}")
reply_case("params_not_object", "params must be the object the request was built from", "delete_group", [SG], "{}")

case("state", "seed", "group_info", "a state seeded from get_group_info at a known time",
     {"kind": "state_seed", "reply": example_text("response.get_group_info.json"), "read_at": 1781400000})
case("state", "seed", "not_group_info", "a reply that is not group info", {"kind": "state_seed", "reply": "[]", "read_at": 1})
QSTATE = {"format": 1, "group_id": SG, "subject": None, "description": None, "invite_link": None, "join_approval_mode": None,
          "status": "active", "participants": [{"wa_id": str(n), "since": 1} for n in range(14155550100, 14155550105)],
          "pending_join_requests": [], "service_window_until": None, "messages": {}, "totals": {}, "facts": {}}
SEPT, OCT = 1790000000, 1795000000
for when, now in [("before_oct_2026", SEPT), ("from_oct_2026", OCT)]:
    for window in ["open", "closed"]:
        st = {**QSTATE, "service_window_until": now + 3600 if window == "open" else now - 1}
        for cat in ["marketing", "utility", "authentication", "none"]:
            case("state", "quote", f"{when}_{window}_{cat}", f"{cat} with the window {window}, {when.replace('_', ' ')}",
                 {"kind": "state_quote", "state": st, "now": now, "template_category": cat})
for status in ["suspended", "deleted", "creating"]:
    case("state", "quote", f"group_{status}", f"a {status} group takes no message, whatever the window says",
         {"kind": "state_quote", "state": {**QSTATE, "status": status, "service_window_until": OCT + 3600}, "now": OCT, "template_category": "marketing"})
case("state", "quote", "unknown_category", "a category that does not exist", {"kind": "state_quote", "state": QSTATE, "now": SEPT, "template_category": "promo"})
PSTATE = {**QSTATE, "messages": {"wamid.OLD": {"recipients": {}, "billable_deliveries": 1, "free_deliveries": 0, "last_at": 100},
                                  "wamid.NEW": {"recipients": {}, "billable_deliveries": 1, "free_deliveries": 0, "last_at": 3000000}},
          "totals": {"group_marketing": {"billable_deliveries": 2, "free_deliveries": 0}}}
case("state", "prune", "default_30_days", "records older than 30 days go, totals stay", {"kind": "state_prune", "state": PSTATE, "now": 3000100})
case("state", "prune", "keep_given", "a shorter retention", {"kind": "state_prune", "state": PSTATE, "now": 3000100, "keep": 50})
case("state", "prune", "keep_negative", "a negative retention is refused", {"kind": "state_prune", "state": PSTATE, "now": 3000100, "keep": -1})

# ---------------------------------------------------------------- signatures and the handshake
vectors = example("signature.vectors.json")
secret = vectors["app_secret"]
for v in vectors["vectors"]:
    case("signatures", "vectors", v["name"], f"signature.vectors.json: {v['name']} ({v['expect']})",
         {"kind": "signature", "body": v["raw_body"], "header": v["x_hub_signature_256"], "secrets": [secret]})
valid = vectors["vectors"][0]
case("signatures", "rules", "rotation_second_secret", "several secrets during a rotation: any match is valid",
     {"kind": "signature", "body": valid["raw_body"], "header": valid["x_hub_signature_256"], "secrets": ["old-secret", secret]})
case("signatures", "rules", "header_missing", "no header", {"kind": "signature", "body": valid["raw_body"], "header": None, "secrets": [secret]})
case("signatures", "rules", "empty_secret", "an empty secret is refused", {"kind": "signature", "body": valid["raw_body"], "header": valid["x_hub_signature_256"], "secrets": [""]})
case("signatures", "rules", "no_secrets", "no secret at all", {"kind": "signature", "body": valid["raw_body"], "header": valid["x_hub_signature_256"], "secrets": []})
case("signatures", "rules", "not_hex", "64 characters that are not hex", {"kind": "signature", "body": valid["raw_body"], "header": "sha256=" + "z" * 64, "secrets": [secret]})
case("signatures", "rules", "too_short", "a truncated digest", {"kind": "signature", "body": valid["raw_body"], "header": valid["x_hub_signature_256"][:-2], "secrets": [secret]})
case("signatures", "rules", "sha1_prefix", "the old SHA-1 header format", {"kind": "signature", "body": valid["raw_body"], "header": "sha1=" + "0" * 40, "secrets": [secret]})
for name, q, token in [
    ("ok", "hub.mode=subscribe&hub.verify_token=s3cr%21t&hub.challenge=1158201444", "s3cr!t"),
    ("ok_challenge_not_a_number", "?hub.challenge=abc+def%2B&hub.mode=subscribe&hub.verify_token=t", "t"),
    ("wrong_token", "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", "t"),
    ("wrong_mode", "hub.mode=unsubscribe&hub.verify_token=t&hub.challenge=1", "t"),
    ("mode_missing", "hub.verify_token=t&hub.challenge=1", "t"),
    ("challenge_missing", "hub.mode=subscribe&hub.verify_token=t", "t"),
    ("expected_token_empty", "hub.mode=subscribe&hub.verify_token=&hub.challenge=1", ""),
    ("odd_escapes", "hub.mode=subscribe&hub.verify_token=a%zz&hub.challenge=%E9x%", "a%zz"),
]:
    case("signatures", "subscription", name, f"GET handshake: {name}", {"kind": "subscription", "query": q, "verify_token": token})

# ---------------------------------------------------------------- clients' decisions
# The retry decision after a failed attempt: errors as their JSON form (what `info` holds).
RATE = {"code": "group_rate_limit_hit", "retry": "backoff"}
for name, desc, err, attempt, policy, rnd in [
    ("backoff_first", "a transient error after the first attempt: full jitter below 1 s", RATE, 1, None, 0.5),
    ("backoff_second", "after the second attempt the ceiling doubles", RATE, 2, {"max_attempts": 5}, 0.5),
    ("backoff_capped", "the ceiling stops at max_delay_ms", RATE, 9, {"max_attempts": 10, "base_delay_ms": 1000, "max_delay_ms": 5000}, 0.9),
    ("backoff_zero_random", "random 0 retries at once", RATE, 1, None, 0.0),
    ("retry_after_honoured", "Retry-After is the wait itself", {**RATE, "retry_after_seconds": 7}, 1, None, 0.1),
    ("retry_after_too_long", "a Retry-After beyond max_delay_ms stops", {**RATE, "retry_after_seconds": 3600}, 1, None, 0.1),
    ("exhausted", "max_attempts reached", RATE, 3, None, 0.5),
    ("single_attempt_policy", "max_attempts 1 never retries", RATE, 1, {"max_attempts": 1}, 0.5),
    ("later_stops", "`later`: not in a loop", {"code": "spam_rate_limit_hit", "retry": "later"}, 1, None, 0.5),
    ("fix_stops", "`fix`: the request is wrong", {"code": "validation_failed", "retry": "fix"}, 1, None, 0.5),
    ("reauth_stops", "`reauth`: a 190 is never retried", {"code": "access_token_expired", "retry": "reauth", "retry_after_seconds": 1}, 1, None, 0.5),
    ("none_stops", "`none`: needs a human", {"code": "group_suspended", "retry": "none"}, 1, None, 0.5),
    ("partial_stops", "`partial` is a result, not an error to resend", {"code": "request_partially_succeeded", "retry": "partial"}, 1, None, 0.5),
    ("restart", "a bad cursor restarts the listing", {"code": "invalid_cursor", "retry": "restart"}, 1, None, 0.5),
    ("restart_exhausted", "restarts count as attempts", {"code": "invalid_cursor", "retry": "restart"}, 3, None, 0.5),
    ("random_one", "random must be below 1", RATE, 1, None, 1.0),
    ("random_negative", "random must not be negative", RATE, 1, None, -0.5),
    ("attempt_zero", "attempts are counted from 1", RATE, 0, None, 0.5),
    ("no_retry_member", "an object that is not an error's info", {"code": "x"}, 1, None, 0.5),
    ("policy_unknown_member", "a policy member that does not exist", RATE, 1, {"max_tries": 3}, 0.5),
    ("policy_zero_attempts", "a policy with no attempt", RATE, 1, {"max_attempts": 0}, 0.5),
    ("policy_max_below_base", "a maximum wait below the base", RATE, 1, {"base_delay_ms": 2000, "max_delay_ms": 1000}, 0.5),
]:
    case("client", "retry", name, desc, {"kind": "retry", "error": err, "attempt": attempt, "policy": policy, "random": rnd})

# The receiver's answer: the handshake, the signature over the raw bytes, then the parse.
signed = vectors["vectors"][0]
SIG = [["X-Hub-Signature-256", signed["x_hub_signature_256"]], ["content-type", "application/json"]]
def receive(name, desc, method="POST", query="", headers=SIG, body=signed["raw_body"], secrets=(secret,), verify_token="t0ken", limits=None):
    inp = {"kind": "receive", "method": method, "query": query, "headers": headers, "body": body,
           "secrets": list(secrets), "verify_token": verify_token}
    if limits is not None:
        inp["limits"] = limits
    case("client", "receive", name, desc, inp)
receive("signed_delivery", "a signed delivery: 200 and its events")
receive("signed_lowercase_header", "the header name in any case", headers=[["x-hub-signature-256", signed["x_hub_signature_256"]]])
receive("method_lowercase", "the method in any case", method="post")
receive("rotation", "the second of two secrets matches", secrets=("old-secret", secret))
receive("bad_signature", "a body that is not what was signed: 401", body=signed["raw_body"] + " ")
receive("no_signature", "no signature header: 401", headers=[["content-type", "application/json"]])
receive("no_secret", "a receiver without a secret is misconfigured: 500, so Meta keeps the delivery", secrets=())
receive("empty_secret", "an empty secret is misconfigured too", secrets=("",))
# An unparseable but signed body: 200, with the problem (Meta would redeliver it for days).
import hashlib, hmac
def signed_body(body):
    return [["X-Hub-Signature-256", "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()]]
receive("signed_not_json", "signed bytes that are not JSON: 200 and the problem", body="not json", headers=signed_body("not json"))
receive("signed_not_whatsapp", "signed JSON that is not a WhatsApp delivery: 200 and the problem",
        body='{"object":"page","entry":[]}', headers=signed_body('{"object":"page","entry":[]}'))
receive("signed_too_large", "a signed delivery over max_bytes: 200 and the problem", limits={"max_bytes": 10})
receive("handshake", "GET with the right token: 200 and the challenge", method="GET",
        query="hub.mode=subscribe&hub.verify_token=t0ken&hub.challenge=1158201444", headers=[], body="")
receive("handshake_wrong_token", "GET with another token: 403", method="GET",
        query="hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", headers=[], body="")
receive("handshake_without_token", "a receiver with no verify token refuses every handshake as misconfigured", method="GET",
        query="hub.mode=subscribe&hub.verify_token=&hub.challenge=1", headers=[], body="", verify_token=None)
receive("other_method", "PUT: 405", method="PUT", headers=[], body="")
print(f"{len(written)} cases in all")
