//! The functions every binding exports, declared once. The npm entry points, the Python package's
//! exports and `__all__` are generated from this table (`make typings`), and the typings, the JS
//! dispatch and the native modules are checked against it (`make typings-check`, the Node and
//! Python suites), so adding a function is a row here plus the glue those checks ask for.

use serde::Serialize;

/// One exported function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Function {
    /// The Python name (and the CLI's, where it has one).
    pub name: &'static str,
    /// The JS name, or `None` where the npm package does without it.
    pub js: Option<&'static str>,
    /// Whether the Python package exports it.
    pub python: bool,
    pub summary: &'static str,
}

const fn both(name: &'static str, js: &'static str, summary: &'static str) -> Function {
    Function {
        name,
        js: Some(js),
        python: true,
        summary,
    }
}

pub const FUNCTIONS: &[Function] = &[
    both(
        "build_request",
        "buildRequest",
        "an operation's request as data (method, URL, headers, body)",
    ),
    both(
        "build_set_group_picture",
        "buildSetGroupPicture",
        "set_group_picture from the picture's bytes",
    ),
    both(
        "check_media_download",
        "checkMediaDownload",
        "downloaded media against get_media's sha256 and size",
    ),
    both(
        "parse_response",
        "parseResponse",
        "a typed reply or a classified error",
    ),
    both(
        "next_page_params",
        "nextPageParams",
        "the parameters of a list's next page",
    ),
    both("parse_webhook", "parseWebhook", "every event of a delivery"),
    both(
        "verify_signature",
        "verifySignature",
        "X-Hub-Signature-256 over the raw body",
    ),
    both(
        "verify_subscription",
        "verifySubscription",
        "the GET handshake's challenge",
    ),
    both(
        "check_group_picture",
        "checkGroupPicture",
        "the group-picture rules, from the bytes",
    ),
    both(
        "check_image",
        "checkImage",
        "deprecated: the former name of check_group_picture",
    ),
    both(
        "sniff_image",
        "sniffImage",
        "an image's format and size, from the bytes",
    ),
    both(
        "classify_error",
        "classifyError",
        "a failed reply classified, without raising",
    ),
    both(
        "error_catalog",
        "errorCatalog",
        "every code with its kind and retry advice",
    ),
    both("operations", "operations", "the operation table"),
    both(
        "apply_events",
        "applyEvents",
        "group states folded from a delivery, with what changed",
    ),
    both(
        "apply_reply",
        "applyReply",
        "group states folded with the reply to one of the business's own calls",
    ),
    both(
        "seed_from_group_info",
        "seedFromGroupInfo",
        "a group's state from a get_group_info reply",
    ),
    both(
        "quote_message",
        "quoteMessage",
        "whether a message may be sent and what it will count as",
    ),
    both(
        "prune",
        "prune",
        "a state without message records older than the retention",
    ),
    Function {
        name: "version",
        js: Some("version"),
        python: false,
        summary: "the package version (Python: __version__)",
    },
    Function {
        name: "to_fetch",
        js: Some("toFetch"),
        python: false,
        summary: "a request as fetch(url, init) arguments",
    },
    Function {
        name: "http_args",
        js: None,
        python: true,
        summary: "a request as httpx or requests keyword arguments, the body as bytes",
    },
];
