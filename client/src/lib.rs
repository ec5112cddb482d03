//! # wagroups-client
//!
//! An optional client over the sans-IO [`wagroups`] core: reqwest sends, tokio waits, and every
//! decision stays in the core — the request ([`wagroups::build_request`]), the reply
//! ([`wagroups::parse_response`]), whether and when to try again ([`wagroups::next_attempt`]),
//! and what a webhook endpoint answers ([`wagroups::webhook::Receiver`]). Nobody has to use it:
//! the core alone works with any HTTP client.
//!
//! ```no_run
//! # async fn run() -> Result<(), wagroups_client::ClientError> {
//! use serde_json::json;
//! use wagroups::{AccessToken, Config};
//!
//! let config = Config::new("v23.0")?.with_token(AccessToken::new("EAAG-your-token")?);
//! let client = wagroups_client::Client::new(reqwest::Client::new(), config);
//! let created = client
//!     .create_group(&json!({"phone_number_id": "427119830566204", "subject": "Ride"}))
//!     .await?;
//! // The group id arrives later, in the `group_create` event carrying this request id.
//! println!("{:?}", created.request_id);
//! # Ok(()) }
//! ```

mod receive;

/// The client guide's Rust example compiles (it needs a running sandbox, so it is not run here;
/// tests/story.rs makes the same calls against one).
#[doc = include_str!("../../docs/clients.md")]
#[cfg(doctest)]
pub struct ClientsGuideDoctests;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, Stream};
use serde_json::Value;
use wagroups::ops::Reply;
use wagroups::{Config, Error, NextAttempt, Operation, RetryPolicy};

pub use receive::{answer, receive};

/// Why a call failed: what the core says about the request or the reply (with the attempts
/// made), or the transport.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The core's typed error; `attempts` calls were made before giving up.
    #[error("{error} (after {attempts} attempt(s))")]
    Wagroups { error: Error, attempts: u32 },
    /// The request did not reach the server or its answer could not be read. Not retried: a
    /// message may have been sent although its answer was lost.
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
}

impl From<Error> for ClientError {
    fn from(error: Error) -> Self {
        ClientError::Wagroups { error, attempts: 0 }
    }
}

impl From<wagroups::ValidationError> for ClientError {
    fn from(error: wagroups::ValidationError) -> Self {
        Error::from(error).into()
    }
}

impl ClientError {
    /// The core's error, when it is one.
    pub fn wagroups(&self) -> Option<&Error> {
        match self {
            ClientError::Wagroups { error, .. } => Some(error),
            ClientError::Http(_) => None,
        }
    }
}

type Sleep = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;
type Random = Arc<dyn Fn() -> f64 + Send + Sync>;

/// One reply, the raw bytes it was read from (a download's file) and the parameters sent.
struct Exchanged {
    reply: Reply,
    body: Vec<u8>,
    params: Value,
}

/// Sends each operation with reqwest and retries as [`wagroups::next_attempt`] decides.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
    policy: RetryPolicy,
    sleep: Sleep,
    random: Random,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The config's Debug redacts the token.
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default policy (3 attempts, waits from 1 s doubling up to 60 s), tokio's
    /// sleep and a fast pseudo-random source for the jitter.
    pub fn new(http: reqwest::Client, config: Config) -> Self {
        Client {
            http,
            config,
            policy: RetryPolicy::default(),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            random: Arc::new(fastrand::f64),
        }
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Waits through `sleep` (tests observe them instead of waiting).
    pub fn with_sleep<F, Fut>(mut self, sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleep = Arc::new(move |d| Box::pin(sleep(d)));
        self
    }

    /// The jitter's source: numbers in `[0, 1)`.
    pub fn with_random(mut self, random: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.random = Arc::new(random);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The typed reply of one operation; `file`: the bytes of an upload.
    pub async fn call(
        &self,
        op: Operation,
        params: &Value,
        file: Option<&[u8]>,
    ) -> Result<Reply, ClientError> {
        Ok(self.exchange(op, params.clone(), file, None).await?.reply)
    }

    async fn exchange(
        &self,
        op: Operation,
        params: Value,
        file: Option<&[u8]>,
        restart_from: Option<&Value>,
    ) -> Result<Exchanged, ClientError> {
        let mut current = params;
        let mut attempt = 1;
        loop {
            let request = wagroups::build_request_with_file(op, &current, file, &self.config)?;
            let (status, headers, body) = self.send(request).await?;
            let error = match wagroups::parse_response(op, status, &headers, &body) {
                Ok(reply) => {
                    return Ok(Exchanged {
                        reply,
                        body,
                        params: current,
                    })
                }
                Err(e) => e,
            };
            if !matches!(error, Error::Api(_)) {
                return Err(ClientError::Wagroups {
                    error,
                    attempts: attempt,
                });
            }
            let decision = wagroups::next_attempt(&error, attempt, &self.policy, (self.random)())?;
            match decision {
                NextAttempt::Retry {
                    attempt: next,
                    delay_ms,
                } => {
                    (self.sleep)(Duration::from_millis(delay_ms)).await;
                    attempt = next;
                }
                NextAttempt::Restart { attempt: next } if restart_from.is_some() => {
                    current = restart_from.cloned().unwrap_or_default();
                    attempt = next;
                }
                _ => {
                    return Err(ClientError::Wagroups {
                        error,
                        attempts: attempt,
                    })
                }
            }
        }
    }

    async fn send(
        &self,
        request: wagroups::Request,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), ClientError> {
        let method = match request.method {
            wagroups::Method::Get => reqwest::Method::GET,
            wagroups::Method::Post => reqwest::Method::POST,
            wagroups::Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, &request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k, v);
        }
        // DELETE bodies too: reject join requests and remove participants need theirs.
        if !matches!(request.body, wagroups::Body::Empty) {
            builder = builder.body(request.body.as_bytes().to_vec());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = response.bytes().await?.to_vec();
        Ok((status, headers, body))
    }

    /// Every item of every page of a listing (`list_groups`, `list_join_requests`), as the
    /// reply's normalised JSON (the same items JavaScript and Python get). Items may repeat after
    /// the core restarts a listing whose cursor expired: key them by id. [`Client::all_groups`]
    /// and [`Client::all_join_requests`] give them typed.
    pub fn paginate(
        &self,
        op: Operation,
        params: Value,
    ) -> impl Stream<Item = Result<Value, ClientError>> + '_ {
        self.pages(op, params, move |reply| {
            let path = op.page_items().unwrap_or_default();
            Ok(items_at(&reply.to_json(), path))
        })
    }

    /// Every group of every page of `list_groups`.
    pub fn all_groups(
        &self,
        params: Value,
    ) -> impl Stream<Item = Result<wagroups::ops::GroupSummary, ClientError>> + '_ {
        self.pages(Operation::ListGroups, params, |reply| match reply {
            Reply::Groups(list) => Ok(list.data.groups),
            other => Err(unexpected(Operation::ListGroups, &other)),
        })
    }

    /// Every pending request of every page of `list_join_requests`.
    pub fn all_join_requests(
        &self,
        params: Value,
    ) -> impl Stream<Item = Result<wagroups::ops::JoinRequest, ClientError>> + '_ {
        self.pages(Operation::ListJoinRequests, params, |reply| match reply {
            Reply::JoinRequests(list) => Ok(list.data),
            other => Err(unexpected(Operation::ListJoinRequests, &other)),
        })
    }

    /// The pages of a listing, from `params` to the last, each reply's items taken by `items`.
    fn pages<T, F>(
        &self,
        op: Operation,
        params: Value,
        items: F,
    ) -> impl Stream<Item = Result<T, ClientError>> + '_
    where
        T: 'static,
        F: Fn(Reply) -> Result<Vec<T>, ClientError> + Copy + 'static,
    {
        let mut first = params.clone();
        if let Value::Object(m) = &mut first {
            m.remove("after");
            m.remove("before");
        }
        let pages = stream::try_unfold(Some(params), move |page| {
            let first = first.clone();
            async move {
                let Some(page) = page else {
                    return Ok(None);
                };
                if op.page_items().is_none() {
                    return Err(not_a_listing(op));
                }
                let got = self.exchange(op, page, None, Some(&first)).await?;
                let next = wagroups::next_page_params(&got.params, &got.reply);
                let items = items(got.reply)?;
                Ok(Some((stream::iter(items.into_iter().map(Ok)), next)))
            }
        });
        futures_util::TryStreamExt::try_flatten(pages)
    }

    /// A media file's bytes, checked against the size and SHA-256 `get_media` announced.
    pub async fn download_media(&self, media_id: &str) -> Result<DownloadedMedia, ClientError> {
        let info = self
            .get_media(&serde_json::json!({ "media_id": media_id }))
            .await?;
        let got = self
            .exchange(
                Operation::DownloadMedia,
                serde_json::json!({ "url": info.url }),
                None,
                None,
            )
            .await?;
        let check = wagroups::ops::check_media_download(&got.body, &info).map_err(Error::from)?;
        Ok(DownloadedMedia {
            data: got.body,
            info,
            check,
        })
    }
}

/// A downloaded media file.
#[derive(Clone, Debug)]
pub struct DownloadedMedia {
    pub data: Vec<u8>,
    /// What `get_media` said.
    pub info: wagroups::ops::MediaInfo,
    /// Its size and SHA-256, found equal to `info`'s.
    pub check: wagroups::ops::MediaDownload,
}

fn items_at(reply: &Value, path: &str) -> Vec<Value> {
    let mut v = reply;
    for key in path.split('.') {
        match v.get(key) {
            Some(inner) => v = inner,
            None => return Vec::new(),
        }
    }
    v.as_array().cloned().unwrap_or_default()
}

/// One method per operation, from the core's operation table: each is [`Client::call`] with
/// that operation, its reply unwrapped to the operation's own type.
macro_rules! client_methods {
    ($(
        $(#[doc = $doc:expr])*
        $(#[cfg($cfg:meta)])?
        $variant:ident = $name:ident: $method:ident $path:literal
            => $build:path, $rvariant:ident($reply:ident), $page:literal $(, $flag:ident)*;
    )+) => {
        impl Client {
            $(
                $(#[cfg($cfg)])?
                client_methods!(@method $name, $variant, $rvariant, $reply, $path; $($flag)*);
            )+
        }
    };
    // The client's own `download_media` fetches by media id and checks the bytes.
    (@method download_media, $($rest:tt)*) => {};
    (@method $name:ident, $variant:ident, $rvariant:ident, $reply:ident, $path:literal; file) => {
        #[doc = concat!("`", stringify!($name), "` through [`Client::call`], with the file's bytes: ", $path, ".")]
        pub async fn $name(
            &self,
            params: &Value,
            file: &[u8],
        ) -> Result<wagroups::ops::$reply, ClientError> {
            match self.call(Operation::$variant, params, Some(file)).await? {
                Reply::$rvariant(r) => Ok(r),
                other => Err(unexpected(Operation::$variant, &other)),
            }
        }
    };
    (@method $name:ident, $variant:ident, $rvariant:ident, $reply:ident, $path:literal; $($flag:ident)*) => {
        #[doc = concat!("`", stringify!($name), "` through [`Client::call`]: ", $path, ".")]
        pub async fn $name(&self, params: &Value) -> Result<wagroups::ops::$reply, ClientError> {
            match self.call(Operation::$variant, params, None).await? {
                Reply::$rvariant(r) => Ok(r),
                other => Err(unexpected(Operation::$variant, &other)),
            }
        }
    };
}

fn not_a_listing(op: Operation) -> ClientError {
    Error::from(wagroups::ValidationError {
        errors: vec![wagroups::FieldError {
            code: wagroups::Code::NotAllowed,
            path: "operation".into(),
            message: format!("{op} is not a listing"),
        }],
    })
    .into()
}

/// A reply of another variant than the operation's: the core never gives one, but a client must
/// not panic if it did.
fn unexpected(op: Operation, reply: &Reply) -> ClientError {
    Error::from(wagroups::DecodeError {
        code: wagroups::Code::DecodeUnexpectedShape,
        path: String::new(),
        message: format!("{op}: unexpected reply {}", reply.to_json()),
    })
    .into()
}

wagroups::with_operation_table!(client_methods);
