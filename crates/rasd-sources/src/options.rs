//! Limits and switches for reading inputs.
//!
//! In: the caller's choices. Out: an [`InputOptions`] every reader obeys, so
//! no input (a giant page, an endless line, a deep folder) can take
//! unbounded memory or time.

/// Limits and switches for [`open_inputs`](crate::open_inputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputOptions {
    /// The largest page (a file, a WARC record body, a decompressed HTTP
    /// payload) read into memory; larger ones are skipped with a
    /// `TooLarge` error. Default 20 MiB.
    pub max_page_bytes: usize,
    /// The longest line of JSON Lines (and of a WARC or HTTP header line);
    /// longer lines are errors, never buffered whole. Default 32 MiB, so a
    /// line can carry a full page of HTML.
    pub max_line_bytes: usize,
    /// The largest WARC or HTTP header block. Default 256 KiB.
    pub max_header_bytes: usize,
    /// How deep folders are walked below each given path. Default 64.
    pub max_depth: usize,
    /// Whether to read hidden files and folders (names starting with `.`)
    /// found while walking folders. Paths given explicitly are always read.
    /// Default false.
    pub include_hidden: bool,
}

impl InputOptions {
    pub const DEFAULT_MAX_PAGE_BYTES: usize = 20 * 1024 * 1024;
    pub const DEFAULT_MAX_LINE_BYTES: usize = 32 * 1024 * 1024;
    pub const DEFAULT_MAX_HEADER_BYTES: usize = 256 * 1024;
    pub const DEFAULT_MAX_DEPTH: usize = 64;
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            max_page_bytes: Self::DEFAULT_MAX_PAGE_BYTES,
            max_line_bytes: Self::DEFAULT_MAX_LINE_BYTES,
            max_header_bytes: Self::DEFAULT_MAX_HEADER_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            include_hidden: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_bounded() {
        let o = InputOptions::default();
        assert_eq!(o.max_page_bytes, 20 * 1024 * 1024);
        assert!(o.max_line_bytes >= o.max_page_bytes);
        assert!(o.max_header_bytes < o.max_page_bytes);
        assert!(!o.include_hidden);
    }
}
