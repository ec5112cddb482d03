//! A group bot's story in Rust, against any Graph base URL (the local sandbox in the test and in
//! `cargo run -p wagroups-example -- http://127.0.0.1:8787`): the library builds each request
//! as data, reqwest sends it, the library reads the reply; the group id comes from the
//! `group_create` webhook matched by the create call's `request_id`.

mod webhooks;

pub use webhooks::Webhooks;

use std::time::Duration;

use serde_json::{json, Value};
use wagroups::{build_request, parse_response, AccessToken, Config, Operation, Reply, Request};

/// One Graph call: the request the library built, sent as is.
pub async fn send(
    http: &reqwest::Client,
    op: Operation,
    params: Value,
    config: &Config,
) -> Result<Reply, String> {
    let request: Request = build_request(op, &params, config).map_err(|e| e.to_string())?;
    let mut call = http.request(
        reqwest::Method::from_bytes(request.method.as_str().as_bytes())
            .map_err(|e| e.to_string())?,
        &request.url,
    );
    for (name, value) in &request.headers {
        call = call.header(name, value);
    }
    // DELETE bodies included: reqwest sends them.
    call = call.body(request.body.as_bytes().to_vec());
    let reply = call.send().await.map_err(|e| e.to_string())?;
    let status = reply.status().as_u16();
    let headers: Vec<(String, String)> = reply
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = reply.bytes().await.map_err(|e| e.to_string())?;
    parse_response(op, status, &headers, &body).map_err(|e| e.to_string())
}

/// What the story did, line by line, and the ids it made.
#[derive(Debug, Default)]
pub struct Story {
    pub transcript: Vec<String>,
    pub group_id: String,
    pub invite_link: String,
    pub message_id: String,
}

/// The bot creates a group that needs approval, waits for its `group_create` event (`hooks`,
/// the bot's webhook endpoint), lists the requests people made (`ask` is how they ask: the
/// sandbox's simulated people, in the test) and approves them, then writes.
pub async fn play<F, Fut>(
    base_url: &str,
    token: &str,
    phone: &str,
    hooks: &Webhooks,
    ask: F,
) -> Result<Story, String>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let config = Config::new("v23.0")
        .and_then(|c| c.with_base_url(base_url))
        .map_err(|e| e.to_string())?
        .with_token(AccessToken::new(token).map_err(|e| e.to_string())?);
    let http = reqwest::Client::new();
    let mut story = Story::default();
    // Creation is asynchronous: the reply names the request, the webhook names the group.
    let Reply::GroupCreated(created) = send(
        &http,
        Operation::CreateGroup,
        json!({"phone_number_id": phone, "subject": "Rust riders",
        "join_approval_mode": "approval_required"}),
        &config,
    )
    .await?
    else {
        return Err("create_group did not answer a request id".into());
    };
    let request_id = created
        .request_id
        .ok_or("create_group gave no request_id")?;
    story.group_id = hooks
        .group_created(&request_id, Duration::from_secs(60))
        .await?;
    let Reply::InviteLink(link) = send(
        &http,
        Operation::GetInviteLink,
        json!({"group_id": story.group_id}),
        &config,
    )
    .await?
    else {
        return Err("no invite link".into());
    };
    story.invite_link = link.invite_link.clone();
    story.transcript.push(format!(
        "created {} ({}), link {}",
        "Rust riders", story.group_id, story.invite_link
    ));
    ask(story.invite_link.clone()).await;
    let Reply::JoinRequests(requests) = send(
        &http,
        Operation::ListJoinRequests,
        json!({"group_id": story.group_id}),
        &config,
    )
    .await?
    else {
        return Err("no join request list".into());
    };
    let ids: Vec<String> = requests
        .data
        .iter()
        .map(|r| r.join_request_id.clone())
        .collect();
    story
        .transcript
        .push(format!("{} join request(s) waiting", ids.len()));
    let Reply::JoinRequestsResult(result) = send(
        &http,
        Operation::ApproveJoinRequests,
        json!({"group_id": story.group_id, "join_requests": ids}),
        &config,
    )
    .await?
    else {
        return Err("no approval result".into());
    };
    story.transcript.push(format!(
        "approved: {:?} ({:?})",
        result.approved_join_requests.unwrap_or_default(),
        result.outcome
    ));
    // A template goes out whatever the service window (free-form needs a member's message first).
    let Reply::MessageSent(sent) = send(
        &http,
        Operation::SendMessage,
        json!({"phone_number_id": phone, "group_id": story.group_id,
        "type": "template", "template": {"name": "group_welcome", "language": {"code": "en"}}}),
        &config,
    )
    .await?
    else {
        return Err("no message id".into());
    };
    story.message_id = sent.message_id.unwrap_or_default();
    story
        .transcript
        .push(format!("sent the welcome template: {}", story.message_id));
    Ok(story)
}
