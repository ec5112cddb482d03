//! The functions every binding exports, declared once with their signatures. `make typings`
//! writes from this table the `.d.ts` and `.pyi` signatures, the npm entry points' export lists,
//! the JS dispatch map and the Python package's exports and `__all__`; `make typings-check` and
//! the Node and Python suites fail when the packages drift from it. Adding a function is a row
//! here plus its glue in each binding.

use serde::Serialize;

/// One exported function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Function {
    /// The Python name (and the CLI's, where it has one).
    pub name: &'static str,
    /// What it does: the doc comment of both typings.
    pub summary: &'static str,
    /// The JS name, or `None` where the npm package does without it.
    pub js: Option<&'static str>,
    /// The TypeScript signature after the name (type parameters, parameters, return type).
    pub ts: Option<&'static str>,
    /// Whether the JS function calls the wasm (listed in the dispatch map that initialises it on
    /// first use); helpers in plain JS (`toFetch`, the client) are bound apart.
    pub wasm: bool,
    /// Whether the npm package's `wagroups/webhooks` entry exports it too: the receiving side,
    /// over its own small wasm module.
    pub webhooks: bool,
    /// The Python signature after the name, or `None` where the Python package does without it.
    pub python: Option<&'static str>,
}

/// A function of both packages, through the wasm in JS.
const fn both(
    name: &'static str,
    js: &'static str,
    summary: &'static str,
    ts: &'static str,
    python: &'static str,
) -> Function {
    Function {
        name,
        summary,
        js: Some(js),
        ts: Some(ts),
        wasm: true,
        webhooks: false,
        python: Some(python),
    }
}

/// A function of the npm package only.
const fn js_only(
    name: &'static str,
    js: &'static str,
    summary: &'static str,
    ts: &'static str,
    wasm: bool,
) -> Function {
    Function {
        name,
        summary,
        js: Some(js),
        ts: Some(ts),
        wasm,
        webhooks: false,
        python: None,
    }
}

/// A function the `wagroups/webhooks` entry exports too.
const fn receiving(f: Function) -> Function {
    Function {
        webhooks: true,
        ..f
    }
}

pub const FUNCTIONS: &[Function] = &[
    both(
        "build_request",
        "buildRequest",
        "An operation's request as data (method, URL, headers, body) for any HTTP client. `file`: the bytes of an operation that uploads one (`set_group_picture`, `upload_media`).",
        "(operation: OperationName, params: Record<string, unknown>, config?: Config, file?: Bytes): Request",
        "(\n    operation: OperationName,\n    params: Mapping[str, Any],\n    config: Optional[Mapping[str, Any]] = None,\n    file: Optional[bytes] = None,\n) -> Request",
    ),
    both(
        "build_set_group_picture",
        "buildSetGroupPicture",
        "`set_group_picture` from the picture's bytes (JPEG, square, 192 px or more, at most 5 MiB).",
        "(\n  groupId: string,\n  file: Bytes,\n  options?: { filename?: string; boundary?: string; config?: Config },\n): Request",
        "(\n    group_id: str,\n    file: bytes,\n    filename: Optional[str] = None,\n    boundary: Optional[str] = None,\n    config: Optional[Mapping[str, Any]] = None,\n) -> Request",
    ),
    both(
        "check_media_download",
        "checkMediaDownload",
        "Downloaded media against the `get_media` reply (its `sha256` and `file_size`): a `VerificationError` (`media_size_mismatch`, `media_hash_mismatch`) when they differ.",
        "(data: Bytes, info: MediaInfo | Record<string, unknown>): MediaDownload",
        "(data: bytes, info: Mapping[str, Any]) -> MediaDownload",
    ),
    both(
        "parse_response",
        "parseResponse",
        "A typed reply, or a raised ApiError / DecodeError. Pass the headers to honour Retry-After.",
        "<O extends OperationName>(operation: O, status: number, body: Bytes, headers?: Pairs | null): ReplyOf[O]",
        "(operation: str, status: int, body: _Bytes, headers: _Headers = None) -> Reply",
    ),
    both(
        "next_page_params",
        "nextPageParams",
        "The parameters of the next page of a list operation, or null at the end.",
        "(operation: OperationName, params: Record<string, unknown>, body: Bytes): Record<string, unknown> | null",
        "(\n    operation: OperationName, params: Mapping[str, Any], body: _Bytes\n) -> Optional[Dict[str, Any]]",
    ),
    receiving(both(
        "parse_webhook",
        "parseWebhook",
        "Every event of a delivery, in order. Check the signature on the same bytes first.",
        "(body: Bytes, limits?: WebhookLimits): Batch",
        "(body: _Bytes, *, max_bytes: Optional[int] = None, max_items: Optional[int] = None) -> Batch",
    )),
    receiving(both(
        "verify_signature",
        "verifySignature",
        "Raises VerificationError unless the X-Hub-Signature-256 value matches one of the secrets (over the raw body, in constant time).",
        "(rawBody: Bytes, header: string | null | undefined, secretOrSecrets: string | string[]): void",
        "(\n    raw_body: _Bytes, header: Optional[str], secret_or_secrets: Union[_Bytes, Sequence[_Bytes]]\n) -> None",
    )),
    receiving(both(
        "verify_subscription",
        "verifySubscription",
        "The challenge to echo for Meta's GET handshake; raises VerificationError otherwise.",
        "(query: Pairs, verifyToken: string): string",
        "(\n    query: Union[str, Mapping[str, str], Iterable[Tuple[str, str]]], verify_token: str\n) -> str",
    )),
    receiving(both(
        "receive",
        "receive",
        "What a webhook endpoint answers (status, content type, body) and the delivery's events: the GET handshake, the signature over the raw bytes, then the parse. A signed delivery that cannot be read answers 200 with its `problem` (Meta would otherwise send it again for days).",
        "(method: string, query: Pairs | null, headers: Pairs | null, body: Bytes | null, options: ReceiveOptions): Received",
        "(\n    method: str,\n    query: Union[str, Mapping[str, str], Iterable[Tuple[str, str]], None],\n    headers: _Headers,\n    body: _Bytes,\n    *,\n    app_secrets: Union[_Bytes, Sequence[_Bytes]],\n    verify_token: Optional[str] = None,\n    max_bytes: Optional[int] = None,\n    max_items: Optional[int] = None,\n) -> Received",
    )),
    both(
        "next_attempt",
        "nextAttempt",
        "Whether and when to send a failed call again, after attempt number `attempt` (from 1): retry after a wait (full jitter from `random` in [0, 1), or the server's Retry-After), restart a listing, or stop.",
        "(error: WagroupsError | ErrorInfo, attempt: number, policy: RetryPolicyOptions | null, random: number): NextAttempt",
        "(\n    error: Union[\"WagroupsError\", Mapping[str, Any]],\n    attempt: int,\n    policy: Optional[Mapping[str, Any]] = None,\n    random: float = 0.0,\n) -> NextAttempt",
    ),
    both(
        "check_group_picture",
        "checkGroupPicture",
        "The group-picture rules (JPEG, square, 192 px or more, 5 MB at most), from the bytes.",
        "(data: Bytes): PictureCheck",
        "(data: bytes) -> PictureCheck",
    ),
    both(
        "check_image",
        "checkImage",
        "Deprecated: the former name of check_group_picture.",
        "(data: Bytes): PictureCheck",
        "(data: bytes) -> PictureCheck",
    ),
    both(
        "sniff_image",
        "sniffImage",
        "An image's format and size, from the bytes.",
        "(data: Bytes): ImageInfo",
        "(data: bytes) -> ImageInfo",
    ),
    both(
        "classify_error",
        "classifyError",
        "A failed reply classified, without raising.",
        "(status: number, body: Bytes, headers?: Pairs | null): ErrorInfo",
        "(status: int, body: _Bytes, headers: _Headers = None) -> ErrorInfo",
    ),
    both(
        "error_catalog",
        "errorCatalog",
        "Every code with its kind and retry advice.",
        "(): CatalogEntry[]",
        "() -> List[CatalogEntry]",
    ),
    both(
        "operations",
        "operations",
        "The operation table.",
        "(): OperationInfo[]",
        "() -> List[OperationInfo]",
    ),
    both(
        "apply_events",
        "applyEvents",
        "Group states (group id → state, or null) folded with one delivery's events: idempotent, and independent of arrival order where timestamps tell. Pass the bytes you verified.",
        "(states: Record<string, GroupState> | null, delivery: Bytes, limits?: WebhookLimits): StateUpdate",
        "(\n    states: Optional[Mapping[str, GroupState]],\n    delivery: Union[_Bytes, Sequence[_Bytes]],\n    *,\n    max_bytes: Optional[int] = None,\n    max_items: Optional[int] = None,\n) -> StateUpdate",
    ),
    both(
        "apply_reply",
        "applyReply",
        "Group states folded with the successful reply (its body) of one of the business's own calls, made with `params`, received at `at` (Unix seconds). A `create_group` reply keeps a state under its `request_id` until the `group_create` event with the same `request_id` names the group.",
        "(states: Record<string, GroupState> | null, operation: OperationName, params: Record<string, unknown>, reply: Bytes, at: number): StateUpdate",
        "(\n    states: Optional[Mapping[str, GroupState]],\n    operation: OperationName,\n    params: Mapping[str, Any],\n    reply: _Bytes,\n    at: int,\n) -> StateUpdate",
    ),
    both(
        "seed_from_group_info",
        "seedFromGroupInfo",
        "A group's state from a get_group_info reply body read at `read_at` (Unix seconds).",
        "(reply: Bytes, readAt: number): GroupState",
        "(reply: _Bytes, read_at: int) -> GroupState",
    ),
    both(
        "quote_message",
        "quoteMessage",
        "Whether a message may be sent at `now` and what it will count as.",
        "(state: GroupState, now: number, templateCategory?: \"marketing\" | \"utility\" | \"authentication\" | \"none\"): Quote",
        "(\n    state: GroupState, now: int, template_category: Literal[\"marketing\", \"utility\", \"authentication\", \"none\"] = \"none\"\n) -> Quote",
    ),
    both(
        "prune",
        "prune",
        "The state without message records older than `now - keep` seconds (default 30 days); totals stay.",
        "(state: GroupState, now: number, keep?: number): GroupState",
        "(state: GroupState, now: int, keep: Optional[int] = None) -> GroupState",
    ),
    receiving(js_only(
        "version",
        "version",
        "The package version (Python: __version__).",
        "(): string",
        true,
    )),
    js_only(
        "to_fetch",
        "toFetch",
        "A request as `fetch(url, init)` arguments.",
        "(request: Request): [string, { method: Method; headers: Record<string, string>; body?: string | ArrayBuffer }]",
        false,
    ),
    js_only(
        "create_client",
        "createClient",
        "A client that sends each operation with `fetch`, retries as `nextAttempt` decides (waiting with `sleep`), pages and downloads media (Python: Client, AsyncClient).",
        "(config?: Config, options?: ClientOptions): Client",
        false,
    ),
    receiving(js_only(
        "webhook_handler",
        "webhookHandler",
        "A `(request, ctx?) => Promise<Response>` webhook endpoint over `receive` for Workers, Deno, Bun and Node 18+; with `ctx.waitUntil` it answers at once and handles the events after.",
        "(options: WebhookHandlerOptions): (request: globalThis.Request, ctx?: { waitUntil(promise: Promise<unknown>): void }) => Promise<Response>",
        false,
    )),
    Function {
        name: "http_args",
        summary: "A request as httpx or requests keyword arguments, the body as bytes.",
        js: None,
        ts: None,
        wasm: false,
        webhooks: false,
        python: Some(
            "(request: Request, client: Literal[\"httpx\", \"requests\"] = \"httpx\") -> Dict[str, Any]",
        ),
    },
];
