//! Errors for one input: a file, a record inside an archive, or a line of JSON Lines.
//!
//! In: whatever went wrong while reading. Out: a [`SourceError`] whose
//! `Display` is `"<origin>: <what went wrong>"`, so the binary can print
//! `rasd: <origin>: <error>` and go on with the rest of the batch.

use std::fmt;

/// What kind of failure a [`SourceError`] is, for callers that count or
/// branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceErrorKind {
    /// Reading failed (permissions, a device error, a directory loop).
    Io,
    /// The path does not exist.
    NotFound,
    /// The content is not text (NUL bytes, control characters, images).
    Binary,
    /// The file or record has no content.
    Empty,
    /// The page, record or line is over the configured size limit.
    TooLarge,
    /// A gzip stream is truncated or corrupt.
    Gzip,
    /// A WARC record is malformed (bad header, a length that lies, cut short).
    Warc,
    /// A JSON Lines line is not a usable JSON object.
    Json,
    /// An HTTP payload inside a WARC record could not be decoded
    /// (bad chunking, corrupt or oversized Content-Encoding).
    Http,
    /// A compression or content format rasd does not read.
    Unsupported,
}

impl SourceErrorKind {
    /// A short stable name (`io`, `not-found`, `too-large`, …) for logs and counts.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceErrorKind::Io => "io",
            SourceErrorKind::NotFound => "not-found",
            SourceErrorKind::Binary => "binary",
            SourceErrorKind::Empty => "empty",
            SourceErrorKind::TooLarge => "too-large",
            SourceErrorKind::Gzip => "gzip",
            SourceErrorKind::Warc => "warc",
            SourceErrorKind::Json => "json",
            SourceErrorKind::Http => "http",
            SourceErrorKind::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for SourceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input that could not be read; the rest of the batch goes on.
///
/// `origin` is the path, `path#N` for the N-th record of an archive or the
/// N-th line of a JSON Lines file, or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct SourceError {
    pub origin: String,
    pub kind: SourceErrorKind,
    /// What went wrong, in words, without the origin.
    pub message: String,
}

impl SourceError {
    pub fn new(
        origin: impl Into<String>,
        kind: SourceErrorKind,
        message: impl Into<String>,
    ) -> Self {
        SourceError {
            origin: origin.into(),
            kind,
            message: message.into(),
        }
    }

    /// An error from an I/O failure, classified by its `io::ErrorKind`.
    ///
    /// `gzip` says whether the bytes came through a gzip decoder, where an
    /// unexpected end or invalid data means a truncated or corrupt stream.
    pub fn from_io(origin: impl Into<String>, err: &std::io::Error, gzip: bool) -> Self {
        use std::io::ErrorKind as K;
        let (kind, message) = match err.kind() {
            K::NotFound => (
                SourceErrorKind::NotFound,
                "no such file or directory".to_string(),
            ),
            K::PermissionDenied => (SourceErrorKind::Io, "permission denied".to_string()),
            K::UnexpectedEof if gzip => (
                SourceErrorKind::Gzip,
                "truncated gzip stream (unexpected end of data)".to_string(),
            ),
            K::InvalidInput | K::InvalidData if gzip => {
                (SourceErrorKind::Gzip, format!("corrupt gzip data: {err}"))
            }
            _ => (SourceErrorKind::Io, err.to_string()),
        };
        SourceError::new(origin, kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_origin_first() {
        let e = SourceError::new(
            "أخبار.warc.gz#3",
            SourceErrorKind::Warc,
            "Content-Length lies",
        );
        assert_eq!(e.to_string(), "أخبار.warc.gz#3: Content-Length lies");
    }

    #[test]
    fn io_errors_are_classified() {
        let eof = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "eof");
        assert_eq!(
            SourceError::from_io("a.gz", &eof, true).kind,
            SourceErrorKind::Gzip
        );
        assert_eq!(
            SourceError::from_io("a", &eof, false).kind,
            SourceErrorKind::Io
        );
        let nf = std::io::Error::new(std::io::ErrorKind::NotFound, "x");
        assert_eq!(
            SourceError::from_io("ملف", &nf, false).kind,
            SourceErrorKind::NotFound
        );
    }
}
