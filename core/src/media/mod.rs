//! Media as bytes: images sniffed to their size (the group picture), and every kind WhatsApp
//! accepts for upload sniffed to its MIME type and checked against its size limit.

mod image;
mod kinds;

pub use image::*;
pub(crate) use kinds::{default_filename, upload_check};
pub use kinds::{media_limit, sniff_media, MediaKind, SniffedMedia, SUPPORTED_MEDIA_TYPES};
