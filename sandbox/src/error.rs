//! The two ways the sandbox says no: Meta's Graph error envelope on the Graph routes, and a
//! short JSON problem on the people's routes. Both are `IntoResponse`, so handlers use `?`, and
//! a storage failure is never dropped: it becomes an answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A Graph API error, rendered as Meta's envelope.
#[derive(Debug)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: i64,
    pub message: String,
}

impl GraphError {
    pub fn new(status: StatusCode, code: i64, message: impl Into<String>) -> GraphError {
        GraphError {
            status,
            code,
            message: message.into(),
        }
    }

    /// Code 100, "Invalid parameter": what Meta answers for a request it cannot take.
    pub fn bad(message: impl Into<String>) -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, 100, message)
    }

    /// A body the server would not read. Meta does not document the code for an oversized
    /// body; the sandbox answers 100 with HTTP 413.
    pub fn unreadable(status: StatusCode) -> GraphError {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            GraphError::new(status, 100, "The request body is too large.")
        } else {
            GraphError::bad("The request body could not be read.")
        }
    }

    pub fn group_unknown() -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, 131041, "Group unknown")
    }

    pub fn suspended() -> GraphError {
        GraphError::new(StatusCode::FORBIDDEN, 131207, "Group suspended")
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"message": format!("(#{}) {}", self.code, self.message),
            "type": "OAuthException", "code": self.code,
            "error_data": {"messaging_product": "whatsapp", "details": self.message},
            "fbtrace_id": "SANDBOX"}});
        (self.status, Json(body)).into_response()
    }
}

impl From<rusqlite::Error> for GraphError {
    fn from(e: rusqlite::Error) -> GraphError {
        GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            1,
            format!("sandbox storage: {e}"),
        )
    }
}

/// What a simulated person cannot do, as `{"error": …}`.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Problem {
        Problem {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": self.message}))).into_response()
    }
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("sandbox storage: {e}"),
        )
    }
}
