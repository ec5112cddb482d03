//! `wagroups-sandbox`: a local stand-in for the WhatsApp Cloud API Groups API. Graph endpoints
//! under `/{version}/…` that check the bearer token and the documented rules, keep groups in
//! SQLite and answer like Meta; simulated people under `/_sandbox/…`; and the webhooks Meta
//! would send, signed and retried. The only crate of the project that does I/O.

// `value["key"]` on serde_json values reads Null when absent and is written here only on
// objects built a line before; axum handlers return whole responses as their error values.
#![allow(clippy::indexing_slicing, clippy::result_large_err)]

mod error;
mod faults;
mod graph;
mod people;
mod store;
mod view;
pub mod webhooks;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::routing::{get, post};
use axum::Router;

pub use store::Store;

/// How a sandbox runs. Every value has a working default.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    /// Where webhooks go; none: they wait in the database.
    pub callback: Option<String>,
    /// A SQLite file, or `:memory:`.
    pub db: String,
    pub waba_id: String,
    /// First retry after this many milliseconds, doubling per attempt.
    pub retry_base_ms: i64,
    pub poll_ms: u64,
    /// Groups one business number may create (Meta's limit is 10,000; lower it to test).
    pub max_groups: usize,
    /// Free service deliveries per number and calendar month from 1 October 2026 (third
    /// parties report 1,000; Meta does not state it).
    pub free_tier: i64,
    /// How long after `create_group` the group exists and its `group_create` webhook is sent.
    pub create_delay_ms: i64,
    /// How long a delivery is retried before it is abandoned (Meta: 7 days).
    pub retry_for_ms: i64,
    /// Template names and their categories (pricing follows the category; unknown names are
    /// priced as marketing, and the log says so).
    pub templates: Vec<(String, TemplateKind)>,
    /// Listening beyond loopback was asked for (needs a token other than the default).
    pub public: bool,
    /// How deliveries misbehave at start (the console switches it).
    pub chaos: Chaos,
}

/// Delivery misbehaviour to prove a handler against: Meta delivers twice, late, out of order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Chaos {
    #[default]
    Off,
    /// Every delivery is posted twice, the same bytes and signature.
    Duplicate,
    /// Every delivery is held back a random while (up to 1.5 s) and sent in shuffled order.
    Shuffle,
}

impl Chaos {
    pub fn parse(s: &str) -> Option<Chaos> {
        match s {
            "off" => Some(Chaos::Off),
            "duplicate" => Some(Chaos::Duplicate),
            "shuffle" => Some(Chaos::Shuffle),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Chaos::Off => "off",
            Chaos::Duplicate => "duplicate",
            Chaos::Shuffle => "shuffle",
        }
    }
}

/// A template's category, as registered with the sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    Marketing,
    Utility,
    Authentication,
}

impl TemplateKind {
    pub fn parse(s: &str) -> Option<TemplateKind> {
        match s.to_ascii_lowercase().as_str() {
            "marketing" => Some(TemplateKind::Marketing),
            "utility" => Some(TemplateKind::Utility),
            "authentication" => Some(TemplateKind::Authentication),
            _ => None,
        }
    }
}

/// The access token used when none is given (printed at start only then).
pub const DEFAULT_ACCESS_TOKEN: &str = "sandbox-token";

/// Meta retries a delivery for up to 7 days.
pub const RETRY_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            access_token: DEFAULT_ACCESS_TOKEN.into(),
            app_secret: "sandbox-secret".into(),
            verify_token: "sandbox-verify".into(),
            callback: None,
            db: "wagroups-sandbox.sqlite3".into(),
            waba_id: "102290129340398".into(),
            retry_base_ms: 500,
            poll_ms: 50,
            max_groups: 10_000,
            free_tier: 1_000,
            create_delay_ms: 300,
            retry_for_ms: RETRY_FOR_MS,
            templates: Vec::new(),
            public: false,
            chaos: Chaos::Off,
        }
    }
}

pub struct AppState {
    pub config: Config,
    /// Where it listens (the port picked when `listen` said 0).
    pub addr: SocketAddr,
    store: Mutex<Store>,
    templates: Mutex<std::collections::HashMap<String, TemplateKind>>,
    chaos: Mutex<Chaos>,
    /// Graph errors to answer instead of the next calls of an operation.
    faults: faults::Faults,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("listen", &self.config.listen)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl AppState {
    pub fn chaos(&self) -> Chaos {
        *self
            .chaos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn set_chaos(&self, chaos: Chaos) {
        *self
            .chaos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = chaos;
    }

    /// A template's category; an unregistered name is priced as marketing, said in the log.
    pub fn template_category(&self, name: &str) -> TemplateKind {
        let known = self
            .templates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(name)
            .copied();
        known.unwrap_or_else(|| {
            eprintln!("wagroups-sandbox: template {name:?} is not registered: priced as marketing (register it with --template NAME=CATEGORY or POST /_sandbox/templates)");
            TemplateKind::Marketing
        })
    }

    pub fn register_template(&self, name: &str, kind: TemplateKind) {
        self.templates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(name.to_owned(), kind);
    }

    /// The store; a panic elsewhere never poisons it for good.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A running sandbox: its address, and the server task.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    pub server: tokio::task::JoinHandle<()>,
}

/// Open the store, bind, answer Meta's subscription handshake at the callback (as Meta does
/// when a webhook is subscribed), start the delivery loop and the server.
pub async fn start(config: Config) -> Result<Running, String> {
    if !config.listen.ip().is_loopback() {
        if !config.public {
            return Err(format!("{} is not a loopback address: the sandbox's people and console routes take no token, so listening beyond this machine needs --public", config.listen));
        }
        if config.access_token == DEFAULT_ACCESS_TOKEN {
            return Err(
                "listening beyond loopback needs an access token of your own (--access-token)"
                    .into(),
            );
        }
    }
    let store = Store::open(&config.db).map_err(|e| format!("cannot open {}: {e}", config.db))?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(callback) = &config.callback {
        handshake(callback, &config.verify_token).await?;
    }
    let templates = config.templates.iter().cloned().collect();
    let chaos = Mutex::new(config.chaos);
    let state = Arc::new(AppState {
        config,
        addr,
        store: Mutex::new(store),
        templates: Mutex::new(templates),
        chaos,
        faults: faults::Faults::default(),
    });
    tokio::spawn(webhooks::delivery_loop(state.clone()));
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("wagroups-sandbox: the server stopped: {e}");
        }
    });
    Ok(Running {
        addr,
        state,
        server,
    })
}

async fn handshake(callback: &str, verify_token: &str) -> Result<(), String> {
    let challenge = format!("{}", now_ms());
    let sep = if callback.contains('?') { '&' } else { '?' };
    let url = format!(
        "{callback}{sep}hub.mode=subscribe&hub.verify_token={}&hub.challenge={challenge}",
        encode(verify_token)
    );
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let reply = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("the callback {callback} did not answer the handshake: {e}"))?;
    let status = reply.status();
    let body = reply.text().await.unwrap_or_default();
    if !status.is_success() || body.trim() != challenge {
        return Err(format!(
            "the callback answered the handshake with {status} {body:?}, not the challenge {challenge}"
        ));
    }
    Ok(())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn router(state: Arc<AppState>) -> Router {
    // The Graph API: every route behind the bearer token.
    let graph = Router::new()
        .route(
            "/{version}/{id}",
            get(graph::group_info)
                .post(graph::update_settings)
                .delete(graph::delete_group)
                .layer(axum::extract::DefaultBodyLimit::max(
                    graph::SETTINGS_BODY_MAX,
                )),
        )
        .route(
            "/{version}/{id}/groups",
            get(graph::list_groups).post(graph::create_group),
        )
        .route("/{version}/{id}/messages", post(graph::send_message))
        // Documents may be 100 MB: the multipart around them a little more.
        .route(
            "/{version}/{id}/media",
            post(graph::upload_media)
                .layer(axum::extract::DefaultBodyLimit::max(graph::UPLOAD_BODY_MAX)),
        )
        .route(
            "/{version}/{id}/invite_link",
            get(graph::get_invite_link)
                .post(graph::reset_invite_link)
                .delete(graph::delete_invite_link),
        )
        .route(
            "/{version}/{id}/join_requests",
            get(graph::list_join_requests)
                .post(graph::approve_join_requests)
                .delete(graph::reject_join_requests),
        )
        .route(
            "/{version}/{id}/participants",
            axum::routing::delete(graph::remove_participants),
        )
        // Where get_media's url points: the bytes, for the bearer token only, as on Meta.
        .route("/_media/{id}", get(graph::media_bytes))
        // Inside the token check: a call without the token is refused before any fault.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            graph::require_token,
        ));
    // What people do, the console and the logs: no token.
    Router::new()
        .route("/", get(people::console))
        .route("/_sandbox/join", post(people::join))
        .route("/_sandbox/groups/{group}/messages", post(people::message))
        .route("/_sandbox/groups/{group}/leave", post(people::leave))
        .route("/_sandbox/groups/{group}/suspend", post(people::suspend))
        .route(
            "/_sandbox/groups/{group}/unsuspend",
            post(people::unsuspend),
        )
        .route("/_sandbox/messages/{wamid}/read", post(people::read))
        .route("/_sandbox/deliveries", get(view::deliveries))
        .route("/_sandbox/deliveries/{id}/redeliver", post(view::redeliver))
        .route("/_sandbox/chaos", post(view::chaos))
        .route("/_sandbox/groups/{group}/view", get(view::group_view))
        .route("/_sandbox/state", get(people::world))
        .route("/_sandbox/templates", post(people::template))
        .route("/_sandbox/faults", get(faults::list).post(faults::add))
        .route("/_sandbox/faults/clear", post(faults::clear))
        .merge(graph)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            same_site_only,
        ))
        .with_state(state)
}

/// Every request must name this sandbox as its `Host` (and `Origin`, when a browser sends one):
/// a page elsewhere cannot reach it through DNS rebinding or a cross-site form. What people do
/// (`/_sandbox/…`) changes only by POST with a JSON body, which a plain cross-site form cannot
/// send. With `--public` any host name is accepted (the Graph routes still need the token).
async fn same_site_only(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    // Read before the await: a borrowed request (its body is not Sync) cannot cross it.
    let [host, origin, content_type] = ["host", "origin", "content-type"].map(|name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
    });
    let port = state.addr.port();
    let ours = |host: &str| {
        state.config.public
            || host == state.addr.to_string()
            || host == format!("localhost:{port}")
            || (state.addr.ip().is_loopback()
                && [format!("127.0.0.1:{port}"), format!("[::1]:{port}")]
                    .contains(&host.to_owned()))
    };
    let host = host.unwrap_or_default();
    if !ours(&host) {
        return (
            StatusCode::FORBIDDEN,
            "this sandbox answers only to its own address",
        )
            .into_response();
    }
    if let Some(origin) = origin {
        let host_of = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or_default();
        if !ours(host_of) || host_of != host {
            return (
                StatusCode::FORBIDDEN,
                "requests from another origin are refused",
            )
                .into_response();
        }
    }
    let changes_people = request.uri().path().starts_with("/_sandbox/")
        && request.method() != axum::http::Method::GET;
    let json = content_type.is_some_and(|t| t.starts_with("application/json"));
    if changes_people && (request.method() != axum::http::Method::POST || !json) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the sandbox's people act by POST with Content-Type: application/json",
        )
            .into_response();
    }
    next.run(request).await
}
