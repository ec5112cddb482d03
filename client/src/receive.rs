//! The webhook endpoint for servers built on the `http` types (axum, hyper…): the core decides
//! the answer ([`wagroups::webhook::Receiver`]); this only reads the request and writes the
//! response.

use http::{HeaderMap, Method, Response, Uri};
use wagroups::webhook::{parse_query, Incoming, Received, Receiver};

/// The answer to one request at the endpoint, and what came with it: the delivery's events when
/// it was signed and readable, or the problem (a signed delivery that cannot be read is answered
/// 200 all the same, so that Meta does not send it again for days).
pub fn receive<'a>(
    receiver: &Receiver<'_>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &'a [u8],
) -> (Response<String>, Received<'a>) {
    let query = parse_query(uri.query().unwrap_or_default());
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let received = receiver.receive(&Incoming {
        method: method.as_str(),
        query: &query,
        headers: &headers,
        body,
    });
    (answer(&received), received)
}

/// The HTTP response the core decided on.
pub fn answer(received: &Received<'_>) -> Response<String> {
    let mut response = Response::new(received.body.clone());
    *response.status_mut() =
        http::StatusCode::from_u16(received.status).unwrap_or(http::StatusCode::OK);
    if let Ok(v) = http::HeaderValue::from_str(received.content_type) {
        response.headers_mut().insert(http::header::CONTENT_TYPE, v);
    }
    if received.status == 405 {
        response.headers_mut().insert(
            http::header::ALLOW,
            http::HeaderValue::from_static("GET, POST"),
        );
    }
    response
}
