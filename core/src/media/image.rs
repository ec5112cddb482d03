//! Image sniffing from bytes (never from a file name or a MIME type) and the group-picture rule.
//!
//! Reading stops at the header: JPEG up to its frame header (SOFn), PNG at IHDR, GIF at the
//! logical screen descriptor, WebP at its VP8/VP8L/VP8X header. Truncated or malformed input is a
//! typed [`ImageError`]; no input can make it panic (fuzzed in `fuzz/`).

use crate::error::Code;
use serde::Serialize;

use crate::error::ImageError;

/// 5 MiB: Meta's "5 MB" read as the larger 5 × 1024 × 1024 bytes, so that nothing the server may
/// accept is refused here; the server decides between 5,000,000 and that.
pub const PICTURE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// 192 px accepted: the documents say "at least 192" in one place and "more than 192" in another;
/// the server decides.
pub const PICTURE_MIN_SIDE: u32 = 192;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

/// What the header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

fn truncated(what: &str) -> ImageError {
    ImageError {
        code: Code::ImageTruncated,
        message: format!("the image ends inside its {what}"),
    }
}

fn corrupt(what: impl Into<String>) -> ImageError {
    ImageError {
        code: Code::ImageCorrupt,
        message: what.into(),
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_be_bytes([*s.first()?, *s.get(1)?])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes([*s.first()?, *s.get(1)?])))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(s))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(*s.first()?) | u32::from(*s.get(1)?) << 8 | u32::from(*s.get(2)?) << 16)
}

/// Recognise the format from the leading bytes and read the dimensions from the header.
pub fn sniff_image(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let (w, h) = le16(bytes, 6)
            .zip(le16(bytes, 8))
            .ok_or_else(|| truncated("GIF screen descriptor"))?;
        sized(ImageFormat::Gif, w, h)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp(bytes)
    } else if bytes.is_empty() {
        Err(ImageError {
            code: Code::ImageUnrecognized,
            message: "no bytes".into(),
        })
    } else {
        Err(ImageError {
            code: Code::ImageUnrecognized,
            message: "not a JPEG, PNG, WebP or GIF image".into(),
        })
    }
}

fn sized(format: ImageFormat, width: u32, height: u32) -> Result<ImageInfo, ImageError> {
    if width == 0 || height == 0 {
        return Err(corrupt(format!(
            "the header gives a {width} x {height} image"
        )));
    }
    Ok(ImageInfo {
        format,
        width,
        height,
    })
}

/// Walk the marker segments up to the first frame header. Any SOFn (baseline, extended,
/// progressive, lossless, arithmetic); APPn/EXIF, tables and comments are skipped by length;
/// fill bytes (`FF FF …`) before a marker are allowed.
fn jpeg(b: &[u8]) -> Result<ImageInfo, ImageError> {
    let mut i = 2; // after SOI
    loop {
        match b.get(i) {
            None => return Err(truncated("JPEG header")),
            Some(0xFF) => {}
            Some(other) => {
                return Err(corrupt(format!(
                    "expected a JPEG marker at byte {i}, found 0x{other:02X}"
                )))
            }
        }
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or_else(|| truncated("JPEG header"))?;
        i += 1;
        match marker {
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 => return Err(corrupt("a second start-of-image marker")),
            0xD9 => return Err(corrupt("the JPEG ends before any frame header")),
            0xDA => return Err(corrupt("scan data before any frame header")),
            0x00 => return Err(corrupt("a stuffed zero byte where a marker belongs")),
            _ => {}
        }
        let len = be16(b, i).ok_or_else(|| truncated("JPEG segment length"))? as usize;
        if len < 2 {
            return Err(corrupt(format!("a JPEG segment length of {len}")));
        }
        let is_sof = matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF);
        if is_sof {
            // length(2) precision(1) height(2) width(2)
            let (h, w) = be16(b, i + 3)
                .zip(be16(b, i + 5))
                .ok_or_else(|| truncated("JPEG frame header"))?;
            return sized(ImageFormat::Jpeg, w, h);
        }
        i += len;
    }
}

fn png(b: &[u8]) -> Result<ImageInfo, ImageError> {
    if b.len() < 24 {
        return Err(truncated("PNG header"));
    }
    if b.get(12..16) != Some(b"IHDR") {
        return Err(corrupt("the first PNG chunk is not IHDR"));
    }
    let (w, h) = be32(b, 16)
        .zip(be32(b, 20))
        .ok_or_else(|| truncated("PNG header"))?;
    sized(ImageFormat::Png, w, h)
}

fn webp(b: &[u8]) -> Result<ImageInfo, ImageError> {
    let chunk = b.get(12..16).ok_or_else(|| truncated("WebP header"))?;
    match chunk {
        b"VP8 " => {
            // Frame tag (3 bytes) at 20, start code 9D 01 2A at 23, then 14-bit sizes.
            if b.get(23..26).ok_or_else(|| truncated("VP8 header"))? != [0x9D, 0x01, 0x2A] {
                return Err(corrupt("missing VP8 start code"));
            }
            let (w, h) = le16(b, 26)
                .zip(le16(b, 28))
                .ok_or_else(|| truncated("VP8 header"))?;
            sized(ImageFormat::Webp, w & 0x3FFF, h & 0x3FFF)
        }
        b"VP8L" => {
            if *b.get(20).ok_or_else(|| truncated("VP8L header"))? != 0x2F {
                return Err(corrupt("missing VP8L signature"));
            }
            let bits: [u8; 4] = b
                .get(21..25)
                .ok_or_else(|| truncated("VP8L header"))?
                .try_into()
                .map_err(|_| truncated("VP8L header"))?;
            let v = u32::from_le_bytes(bits);
            sized(
                ImageFormat::Webp,
                (v & 0x3FFF) + 1,
                ((v >> 14) & 0x3FFF) + 1,
            )
        }
        b"VP8X" => {
            let (w, h) = le24(b, 24)
                .zip(le24(b, 27))
                .ok_or_else(|| truncated("VP8X header"))?;
            sized(ImageFormat::Webp, w + 1, h + 1)
        }
        _ => Err(corrupt("unknown WebP chunk")),
    }
}

/// Everything the CLI's `image check` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PictureCheck {
    pub format: Option<ImageFormat>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub size_bytes: usize,
    pub valid_group_picture: bool,
    /// Catalog codes of every broken rule, empty when valid.
    pub problems: Vec<Code>,
}

/// The group-picture rule: JPEG only, square, at least 192 x 192, at most 5 MiB. Every broken
/// rule is listed.
pub fn check_group_picture(bytes: &[u8]) -> PictureCheck {
    let mut problems = Vec::new();
    let sniffed = sniff_image(bytes);
    if let Err(e) = &sniffed {
        problems.push(e.code);
    }
    let info = sniffed.ok();
    if let Some(i) = info {
        if i.format != ImageFormat::Jpeg {
            problems.push(Code::ImageNotJpeg);
        }
        if i.width != i.height {
            problems.push(Code::ImageNotSquare);
        }
        if i.width.min(i.height) < PICTURE_MIN_SIDE {
            problems.push(Code::ImageTooSmall);
        }
    }
    if bytes.len() > PICTURE_MAX_BYTES {
        problems.push(Code::ImageTooLarge);
    }
    PictureCheck {
        format: info.map(|i| i.format),
        width: info.map(|i| i.width),
        height: info.map(|i| i.height),
        size_bytes: bytes.len(),
        valid_group_picture: problems.is_empty(),
        problems,
    }
}

/// A human sentence for each picture problem code.
pub(crate) fn picture_problem_message(code: Code, check: &PictureCheck) -> String {
    let dims = match (check.width, check.height) {
        (Some(w), Some(h)) => format!("{w} x {h}"),
        _ => "unknown size".into(),
    };
    match code {
        Code::ImageNotJpeg => format!("group pictures must be JPEG, this is {}", check.format.map_or("unknown", |f| match f {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Webp => "WebP",
            ImageFormat::Gif => "GIF",
        })),
        Code::ImageNotSquare => format!("group pictures must be square, this is {dims}"),
        Code::ImageTooSmall => format!("group pictures must be at least {PICTURE_MIN_SIDE} x {PICTURE_MIN_SIDE}, this is {dims}"),
        Code::ImageTooLarge => format!("{} bytes; group pictures must be at most {PICTURE_MAX_BYTES} bytes (5 MiB)", check.size_bytes),
        other => other.title().to_owned(),
    }
}
