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
        "OperationInfo" => crate::ops::OperationInfo,
        "GroupState" => crate::state::GroupState,
        "StateUpdate" => crate::state::StateUpdate,
        "Quote" => crate::state::Quote,
        "NextAttempt" => crate::retry::NextAttempt,
    }
    let replies: Map<String, Value> = Operation::ALL
        .iter()
        .map(|op| (op.name().to_owned(), json!(op.reply_type())))
        .collect();
    json!({
        "$defs": g.take_definitions(true),
        "roots": roots,
        "replies": replies,
        "uploads": Operation::ALL.iter().filter(|op| op.takes_file()).map(|op| op.name()).collect::<Vec<_>>(),
        "functions": crate::surface::FUNCTIONS,
    })
}
