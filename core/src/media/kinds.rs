//! What WhatsApp accepts as uploaded media, per kind, and the bytes' own type.
//!
//! The table is Meta's "Supported media types" (Cloud API media reference,
//! developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types):
//! audio AAC, AMR, MP3, MP4 audio, OGG (Opus only) up to 16 MB; documents text, PDF, Word,
//! Excel, PowerPoint (legacy and OOXML) up to 100 MB; images JPEG and PNG up to 5 MB; stickers
//! WebP, 100 KB static and 500 KB animated; video 3GPP and MP4 up to 16 MB. "MB" and "KB" are
//! read as the larger binary units (MiB, KiB), so that nothing the server may accept is refused
//! here; the server decides between the two readings.
//!
//! The type is read from the bytes (magic numbers, never a file name) and must agree with the
//! declared one; containers that several types share (ISO media files, OLE2 and ZIP office
//! files) agree with each type they can hold.

use serde::Serialize;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// The kinds of media a message can carry; each has its own size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MediaKind {
    Audio,
    Document,
    Image,
    Sticker,
    Video,
}

/// (MIME type, kind, file extension for a default file name).
pub const SUPPORTED_MEDIA_TYPES: [(&str, MediaKind, &str); 18] = [
    ("audio/aac", MediaKind::Audio, "aac"),
    ("audio/amr", MediaKind::Audio, "amr"),
    ("audio/mpeg", MediaKind::Audio, "mp3"),
    ("audio/mp4", MediaKind::Audio, "m4a"),
    ("audio/ogg", MediaKind::Audio, "ogg"),
    ("text/plain", MediaKind::Document, "txt"),
    ("application/pdf", MediaKind::Document, "pdf"),
    ("application/msword", MediaKind::Document, "doc"),
    ("application/vnd.ms-excel", MediaKind::Document, "xls"),
    ("application/vnd.ms-powerpoint", MediaKind::Document, "ppt"),
    (DOCX, MediaKind::Document, "docx"),
    (XLSX, MediaKind::Document, "xlsx"),
    (PPTX, MediaKind::Document, "pptx"),
    ("image/jpeg", MediaKind::Image, "jpg"),
    ("image/png", MediaKind::Image, "png"),
    ("image/webp", MediaKind::Sticker, "webp"),
    ("video/3gpp", MediaKind::Video, "3gp"),
    ("video/mp4", MediaKind::Video, "mp4"),
];

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

/// The size limit of a kind in bytes; stickers depend on whether they are animated.
pub fn media_limit(kind: MediaKind, animated: bool) -> usize {
    match kind {
        MediaKind::Audio | MediaKind::Video => 16 * MIB,
        MediaKind::Document => 100 * MIB,
        MediaKind::Image => 5 * MIB,
        MediaKind::Sticker if animated => 500 * KIB,
        MediaKind::Sticker => 100 * KIB,
    }
}

/// What the bytes are: every declared MIME type they agree with (several for shared
/// containers), and whether a WebP is animated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SniffedMedia {
    /// What the bytes look like, in words ("an MP4 (ISO media) file").
    pub description: String,
    /// The MIME types these bytes can be uploaded as; empty when none WhatsApp accepts.
    pub mime_types: Vec<&'static str>,
    /// Only for WebP: an animated WebP (VP8X animation flag).
    pub animated: bool,
}

fn sniffed(description: &str, mime_types: &[&'static str]) -> SniffedMedia {
    SniffedMedia {
        description: description.to_owned(),
        mime_types: mime_types.to_vec(),
        animated: false,
    }
}

/// Read the type from the leading bytes (the whole file only for text: valid UTF-8, no NUL).
pub fn sniff_media(b: &[u8]) -> SniffedMedia {
    let at = |i: usize, sig: &[u8]| b.get(i..i + sig.len()) == Some(sig);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        sniffed("a JPEG image", &["image/jpeg"])
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        sniffed("a PNG image", &["image/png"])
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        // VP8X carries flags; bit 1 is "animation".
        let animated = at(12, b"VP8X") && b.get(20).is_some_and(|f| f & 0x02 != 0);
        SniffedMedia {
            animated,
            ..sniffed(
                if animated {
                    "an animated WebP image"
                } else {
                    "a WebP image"
                },
                &["image/webp"],
            )
        }
    } else if at(4, b"ftyp") {
        iso_media(b.get(8..12).unwrap_or_default())
    } else if at(0, b"#!AMR") {
        sniffed("an AMR audio file", &["audio/amr"])
    } else if at(0, b"OggS") {
        // The first page holds the codec's identification header.
        let head = b.get(..128).unwrap_or(b);
        if head.windows(8).any(|w| w == b"OpusHead") {
            sniffed("an OGG Opus audio file", &["audio/ogg"])
        } else {
            sniffed(
                "an OGG file without Opus audio (WhatsApp takes Opus only)",
                &[],
            )
        }
    } else if at(0, b"ID3") {
        sniffed("an MP3 audio file (ID3 tag)", &["audio/mpeg"])
    } else if b.first() == Some(&0xFF) && b.get(1).is_some_and(|x| x & 0xF6 == 0xF0) {
        sniffed("an AAC (ADTS) audio file", &["audio/aac"])
    } else if b.first() == Some(&0xFF)
        && b.get(1).is_some_and(|x| x & 0xE0 == 0xE0 && x & 0x06 != 0)
    {
        sniffed("an MP3 audio file", &["audio/mpeg"])
    } else if at(0, b"%PDF-") {
        sniffed("a PDF document", &["application/pdf"])
    } else if at(0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        sniffed(
            "a legacy Office (OLE2) document",
            &[
                "application/msword",
                "application/vnd.ms-excel",
                "application/vnd.ms-powerpoint",
            ],
        )
    } else if at(0, b"PK\x03\x04") {
        office_zip(b)
    } else if !b.contains(&0) && std::str::from_utf8(b).is_ok() {
        sniffed("plain text (UTF-8)", &["text/plain"])
    } else {
        sniffed("bytes of no type WhatsApp accepts", &[])
    }
}

/// ISO base media files: the major brand tells 3GPP and MP4 audio apart; any other brand may
/// hold video or audio.
fn iso_media(brand: &[u8]) -> SniffedMedia {
    if brand.starts_with(b"3g") {
        sniffed("a 3GPP (ISO media) file", &["video/3gpp"])
    } else if brand == b"M4A " || brand == b"M4B " {
        sniffed("an MP4 audio (M4A) file", &["audio/mp4"])
    } else {
        sniffed("an MP4 (ISO media) file", &["video/mp4", "audio/mp4"])
    }
}

/// OOXML files are ZIP archives whose part names say which application wrote them; the names
/// are in the local headers near the start.
fn office_zip(b: &[u8]) -> SniffedMedia {
    let head = b.get(..64 * KIB).unwrap_or(b);
    let has = |name: &[u8]| head.windows(name.len()).any(|w| w == name);
    if has(b"word/") {
        sniffed("a Word (OOXML) document", &[DOCX])
    } else if has(b"xl/") {
        sniffed("an Excel (OOXML) workbook", &[XLSX])
    } else if has(b"ppt/") {
        sniffed("a PowerPoint (OOXML) presentation", &[PPTX])
    } else {
        sniffed("a ZIP archive (an OOXML document?)", &[DOCX, XLSX, PPTX])
    }
}

/// The result of checking bytes for upload as `declared`.
pub(crate) struct UploadCheck {
    /// (code, message) of each broken rule.
    pub problems: Vec<(crate::error::Code, String)>,
    /// The declared type is not in the table (let through only with `allow_unverified`).
    pub unverified_type: bool,
}

/// Declared type known, bytes of that type, size within the kind's limit.
pub(crate) fn upload_check(bytes: &[u8], declared: &str) -> UploadCheck {
    use crate::error::Code;
    let mut problems = Vec::new();
    let kind = SUPPORTED_MEDIA_TYPES
        .iter()
        .find(|(t, _, _)| *t == declared)
        .map(|(_, k, _)| *k);
    let sniffed = sniff_media(bytes);
    if bytes.is_empty() {
        problems.push((Code::EmptyValue, "the file has no bytes".to_owned()));
    } else if kind.is_some() && !sniffed.mime_types.contains(&declared) {
        problems.push((
            Code::MediaTypeMismatch,
            format!(
                "declared {declared:?}, but the bytes are {}",
                sniffed.description
            ),
        ));
    }
    if let Some(k) = kind {
        let limit = media_limit(k, sniffed.animated);
        if bytes.len() > limit {
            problems.push((
                Code::MediaTooLarge,
                format!(
                    "{} bytes; {} uploads are at most {limit} bytes",
                    bytes.len(),
                    if sniffed.animated {
                        "animated sticker".to_owned()
                    } else {
                        format!("{k:?}").to_ascii_lowercase()
                    }
                ),
            ));
        }
    }
    UploadCheck {
        problems,
        unverified_type: kind.is_none(),
    }
}

/// `upload.<extension>` for a declared type (`upload.bin` for one outside the table).
pub(crate) fn default_filename(declared: &str) -> String {
    let ext = SUPPORTED_MEDIA_TYPES
        .iter()
        .find(|(t, _, _)| *t == declared)
        .map_or("bin", |(_, _, e)| e);
    format!("upload.{ext}")
}
