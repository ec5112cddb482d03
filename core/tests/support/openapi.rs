//! Meta's OpenAPI file (v23.0, vendored in `tests/vendor/`), read once for the tests that check
//! the library's requests (core) and the sandbox's replies and deliveries against it.

use serde_json::Value;

/// The file puts `additionalProperties: false` inside `allOf` branches, where a branch cannot
/// see its siblings' properties; the authors meant `unevaluatedProperties: false` on the parent
/// (the file is OpenAPI 3.1, so JSON Schema 2020-12 applies).
fn fix_allof_trap(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let mut closed = false;
            if let Some(Value::Array(branches)) = m.get_mut("allOf") {
                for b in branches.iter_mut() {
                    if let Some(bm) = b.as_object_mut() {
                        if bm.get("additionalProperties") == Some(&Value::Bool(false)) {
                            bm.remove("additionalProperties");
                            closed = true;
                        }
                    }
                }
            }
            if closed {
                m.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(fix_allof_trap);
        }
        Value::Array(a) => a.iter_mut().for_each(fix_allof_trap),
        _ => {}
    }
}

/// The vendored file, as JSON, its `allOf` trap mended.
pub fn load() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vendor/meta-openapi/business-messaging-api_v23.0.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut doc: Value = serde_norway::from_str(&text).unwrap();
    fix_allof_trap(&mut doc);
    doc
}
