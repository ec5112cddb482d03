//! # wagroups-webhook
//!
//! The receiving side of [wagroups](https://docs.rs/wagroups) — the GET handshake,
//! `X-Hub-Signature-256`, every delivery read into events — with the error catalog and wire
//! types the rest of the library shares. Use it through the `wagroups` crate, which re-exports
//! all of it; it is a crate of its own so that builds can compile the webhook parse, everyone's
//! hot path, for speed and the rest for size (the npm package's wasm).
//!
//! Sans-IO like the rest: no sockets, no clock, no randomness, no global state, no panics.

pub mod error;
#[doc(hidden)]
pub mod unreadable;
pub mod webhook;
pub mod wire;
