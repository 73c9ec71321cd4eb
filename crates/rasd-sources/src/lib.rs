//! Inputs for rasd: files, folders, stdin, gzip, WARC/WET archives and
//! JSON Lines, decoded to Unicode pages.
//!
//! Input → output: paths (`-` for stdin) → [`Inputs`], a streaming
//! iterator of `Result<`[`Record`]`, `[`SourceError`]`>`. A record is a
//! [`Page`](rasd_model::Page) to extract (HTML or a text dump) or an
//! already-clean [`Article`](rasd_model::Article) from JSON Lines.
//!
//! - **Paths**: files; folders walked recursively in sorted order, hidden
//!   names and symlink loops skipped; `-` reads stdin.
//! - **Compression**: gzip by its magic bytes (multi-member, any inner kind:
//!   `page.html.gz`, `x.warc.gz`, `x.jsonl.gz`).
//! - **Kinds**, by content first: WARC/WET (`response`, `resource`,
//!   `conversion` records), JSON Lines, HTML, else a text dump.
//! - **Encodings**: [`decode`] honours a BOM, the HTTP charset and
//!   `<meta charset>`, trusts valid UTF-8, and otherwise detects
//!   (windows-1256, ISO-8859-6, UTF-16 all give the same text).
//!
//! Invariants: memory is bounded by [`InputOptions`] (no page, record or
//! line over its limit is read whole); a bad file, record or line is one
//! error naming `path`, `path#N` or `-`, and the rest goes on; nothing
//! panics on any input. Records passed over on purpose (WARC `request`
//! records, non-2xx responses, images) are counted in [`Inputs::stats`],
//! not reported as errors.
//!
//! ```
//! use rasd_sources::{open_inputs, InputOptions, Record};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "عنوان الخبر\n\nنص الخبر.").unwrap();
//! std::fs::write(dir.path().join("b.bin"), [0u8, 159, 146, 150]).unwrap();
//! let results: Vec<_> = open_inputs(&[dir.path().to_path_buf()], &InputOptions::default()).collect();
//! let Ok(Record::Page(page)) = &results[0] else { panic!() };
//! assert_eq!(page.content, "عنوان الخبر\n\nنص الخبر.");
//! assert!(results[1].as_ref().unwrap_err().to_string().ends_with("b.bin: not text: binary data (NUL bytes)"));
//! ```

mod decode;
mod error;
mod http;
mod inputs;
mod jsonl;
mod line;
mod options;
mod record;
mod sniff;
pub mod testkit;
mod warc;

pub use decode::{decode, decode_with_hint, Decoded, EncodingSource};
pub use error::{SourceError, SourceErrorKind};
pub use inputs::{open_inputs, InputStats, Inputs};
pub use options::InputOptions;
pub use record::{Record, SkipReason};
