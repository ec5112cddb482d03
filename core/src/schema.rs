//! One JSON Schema document describing every public output type, from which the TypeScript and
//! Python typings are generated (so they cannot drift from the Rust types).

use serde_json::{json, Map, Value};

use crate::ops::Operation;

/// `{"$defs": {...}, "roots": {"Event": {"$ref": ...}, ...}, "replies": {"create_group": "CreateGroupReply", ...}}`.
pub fn schema_document() -> Value {
    let mut g = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut roots = Map::new();
    macro_rules! root {
        ($($name:literal => $ty:ty),+ $(,)?) => {
            $( roots.insert($name.to_owned(), g.subschema_for::<$ty>().to_value()); )+
        };
    }
    root! {
        "Request" => crate::http::Request,
        "Reply" => crate::ops::Reply,
        "Event" => crate::webhook::Event,
        "Batch" => crate::webhook::Batch,
        "ErrorInfo" => crate::error::Error,
        "PictureCheck" => crate::media::PictureCheck,
        "ImageInfo" => crate::media::ImageInfo,
        "CatalogEntry" => crate::error::CatalogEntry,
    }
    let replies: Map<String, Value> = Operation::ALL
        .iter()
        .map(|op| (op.name().to_owned(), json!(reply_type(*op))))
        .collect();
    json!({
        "$defs": g.take_definitions(true),
        "roots": roots,
        "replies": replies,
    })
}

/// The reply type each operation parses into.
pub fn reply_type(op: Operation) -> &'static str {
    use Operation as O;
    match op {
        O::CreateGroup => "CreateGroupReply",
        O::ListGroups => "GroupList",
        O::GetGroupInfo => "GroupInfo",
        O::GetInviteLink | O::ResetInviteLink => "InviteLinkReply",
        O::ListJoinRequests => "JoinRequestList",
        O::ApproveJoinRequests | O::RejectJoinRequests => "JoinRequestsResult",
        O::SendMessage | O::PinMessage | O::UnpinMessage | O::SendInviteLinkTemplate => {
            "MessageSent"
        }
        _ => "Accepted",
    }
}
