//! The npm package's native half. Every export takes strings and bytes, calls one function of
//! the core's JSON surface and returns the outcome as JSON text (`{"ok": …}` or `{"error": …}`);
//! the package's JS turns that into values and `Error` subclasses. The webhook parse, everyone's
//! hot path, writes its batch as a tape of words that the JS reads in place, in this module's
//! memory, slicing every string of the delivery from the body it holds (see `to_tape`). No
//! logic lives here, and nothing can panic (a panic would kill a Worker).
//!
//! Two modules are built from this crate: the main entry's (everything), and with the
//! `webhooks` feature the `wagroups/webhooks` entry's, which exports only [`receiving`] so that a
//! webhook endpoint loads and compiles no request builders, reply parsers or state.

use serde_json::Value;
use wagroups::json_api::{self, outcome};

// Talc instead of the default dlmalloc: measured on the webhooks module, 2.7 KB smaller (gzip),
// 5.5 KB less code compiled by the first parse of a cold start, and the parse 1-2 % faster.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "boundary-bench")]
mod boundary_bench;
#[cfg(not(feature = "webhooks"))]
mod main_only;
mod receiving;

fn text(r: Result<Value, wagroups::Error>) -> String {
    outcome(r).to_string()
}

/// Headers or query pairs arrive as JSON `[[name, value], …]` from the package's JS.
fn pairs(json: &str) -> Result<Vec<(String, String)>, wagroups::Error> {
    json_api::pairs_from_json_text(json)
}
