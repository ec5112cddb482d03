"""wagroups: the WhatsApp Cloud API Groups API, sans-IO. Bring your own HTTP client.

Build requests as data, validate input before anything is sent, parse replies and webhooks
into typed dicts, classify every error. All logic is in the Rust core; this package re-exports.
"""

from . import types
from ._errors import (
    ApiError,
    DecodeError,
    ImageError,
    VerificationError,
    ValidationError,
    WagroupsError,
    WebhookError,
)
from ._native import (
    __version__,
    apply_events,
    apply_reply,
    build_request,
    build_set_group_picture,
    check_group_picture,
    check_image,
    check_media_download,
    classify_error,
    error_catalog,
    http_args,
    next_page_params,
    operations,
    parse_response,
    parse_webhook,
    prune,
    quote_message,
    seed_from_group_info,
    sniff_image,
    verify_signature,
    verify_subscription,
)

__all__ = [
    "__version__",
    "types",
    "apply_events",
    "apply_reply",
    "build_request",
    "build_set_group_picture",
    "check_group_picture",
    "check_image",
    "check_media_download",
    "classify_error",
    "error_catalog",
    "http_args",
    "next_page_params",
    "operations",
    "parse_response",
    "parse_webhook",
    "prune",
    "quote_message",
    "seed_from_group_info",
    "sniff_image",
    "verify_signature",
    "verify_subscription",
    "WagroupsError",
    "ValidationError",
    "ImageError",
    "DecodeError",
    "WebhookError",
    "VerificationError",
    "ApiError",
]
