//! Paths → a stream of records: files, folders, `-` for stdin, gzip.
//!
//! In: the paths a user gave and [`InputOptions`]. Out: [`Inputs`], an
//! iterator of `Result<Record, SourceError>` that opens one file at a time
//! (folders walked in sorted order, hidden names and symlink loops
//! skipped), recognises gzip by its magic bytes and the container by its
//! content, and never holds more than one page (or line) of any file.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use rasd_model::PageFormat;

use crate::error::{SourceError, SourceErrorKind};
use crate::jsonl::JsonlReader;
use crate::options::InputOptions;
use crate::record::{page_from_bytes, FormatHint, Item, PageMeta, Record, SkipReason};
use crate::sniff::{binary_reason, compression, input_kind, Compression, InputKind, SNIFF_BYTES};
use crate::warc::WarcReader;

const READ_BUFFER_BYTES: usize = 64 * 1024;

type Stream = Box<dyn BufRead + Send>;
type Walker = Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>> + Send>;

/// Counts of what [`Inputs`] has read so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputStats {
    /// Files (and stdin) opened.
    pub files: u64,
    /// Records yielded (pages and articles).
    pub records: u64,
    /// Errors yielded.
    pub errors: u64,
    /// Records passed over without an error, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
}

enum Reader {
    Warc(Box<WarcReader<Stream>>),
    Jsonl(Box<JsonlReader<Stream>>),
    Single(Option<Item>),
}

impl Reader {
    fn next_item(&mut self) -> Option<Item> {
        match self {
            Reader::Warc(r) => r.next(),
            Reader::Jsonl(r) => r.next(),
            Reader::Single(item) => item.take(),
        }
    }

    fn error(err: SourceError) -> Reader {
        Reader::Single(Some(Item::Error(err)))
    }
}

/// The records of every input, in order. See [`open_inputs`].
pub struct Inputs {
    pending: VecDeque<PathBuf>,
    opts: InputOptions,
    walker: Option<Walker>,
    current: Option<Reader>,
    stats: InputStats,
}

/// Opens `paths` (files, folders, `-` for stdin) as one stream of records.
///
/// Nothing is read until the iterator is advanced; a failing input yields
/// an error and the next input goes on.
pub fn open_inputs(paths: &[PathBuf], opts: &InputOptions) -> Inputs {
    Inputs {
        pending: paths.iter().cloned().collect(),
        opts: opts.clone(),
        walker: None,
        current: None,
        stats: InputStats::default(),
    }
}

impl Inputs {
    /// What has been read so far.
    pub fn stats(&self) -> &InputStats {
        &self.stats
    }

    fn next_reader(&mut self) -> Option<Reader> {
        loop {
            if let Some(walker) = &mut self.walker {
                match walker.next() {
                    Some(Ok(entry)) if entry.file_type().is_file() => {
                        return Some(self.open_file(entry.path()))
                    }
                    // Folders are walked into; sockets and FIFOs are not pages.
                    Some(Ok(_)) => continue,
                    Some(Err(err)) => return Some(Reader::error(walk_error(&err))),
                    None => self.walker = None,
                }
            }
            let path = self.pending.pop_front()?;
            if path.as_os_str() == "-" {
                self.stats.files += 1;
                return Some(open_stream(
                    Box::new(io::stdin()),
                    "-".into(),
                    "-",
                    None,
                    &self.opts,
                ));
            }
            match std::fs::metadata(&path) {
                Err(err) => {
                    return Some(Reader::error(SourceError::from_io(
                        path.display().to_string(),
                        &err,
                        false,
                    )))
                }
                Ok(meta) if meta.is_dir() => self.walker = Some(self.walk(path)),
                Ok(_) => return Some(self.open_file(&path)),
            }
        }
    }

    fn walk(&self, root: PathBuf) -> Walker {
        let include_hidden = self.opts.include_hidden;
        Box::new(
            walkdir::WalkDir::new(root)
                .follow_links(true)
                .max_depth(self.opts.max_depth)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(move |e| {
                    include_hidden
                        || e.depth() == 0
                        || !e.file_name().to_string_lossy().starts_with('.')
                }),
        )
    }

    fn open_file(&mut self, path: &Path) -> Reader {
        self.stats.files += 1;
        let origin = path.display().to_string();
        let file = match File::open(path) {
            Ok(f) => f,
            Err(err) => return Reader::error(SourceError::from_io(origin, &err, false)),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let site = path
            .parent()
            .map(|p| p.display().to_string())
            .filter(|p| !p.is_empty());
        open_stream(Box::new(file), origin, &name, site, &self.opts)
    }
}

impl Iterator for Inputs {
    type Item = Result<Record, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = &mut self.current {
                match reader.next_item() {
                    Some(Item::Record(record)) => {
                        self.stats.records += 1;
                        return Some(Ok(record));
                    }
                    Some(Item::Error(err)) => {
                        self.stats.errors += 1;
                        return Some(Err(err));
                    }
                    Some(Item::Skipped(reason)) => {
                        *self.stats.skipped.entry(reason).or_default() += 1;
                        continue;
                    }
                    None => self.current = None,
                }
            }
            self.current = Some(self.next_reader()?);
        }
    }
}

fn walk_error(err: &walkdir::Error) -> SourceError {
    let origin = err
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return SourceError::new(
            origin,
            SourceErrorKind::Io,
            format!(
                "symbolic link loop back to {}; not followed",
                ancestor.display()
            ),
        );
    }
    match err.io_error() {
        Some(io_err) => SourceError::from_io(origin, io_err, false),
        None => SourceError::new(origin, SourceErrorKind::Io, err.to_string()),
    }
}

/// Reads up to [`SNIFF_BYTES`] from the start of a stream.
fn read_prefix(input: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    input.take(SNIFF_BYTES as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// Recognises a stream's compression and kind and builds its reader.
fn open_stream(
    mut raw: Box<dyn Read + Send>,
    origin: String,
    name: &str,
    site: Option<String>,
    opts: &InputOptions,
) -> Reader {
    let prefix = match read_prefix(&mut raw) {
        Ok(p) => p,
        Err(err) => return Reader::error(SourceError::from_io(origin, &err, false)),
    };
    let (mut stream, prefix, name, gzip): (Box<dyn Read + Send>, Vec<u8>, &str, bool) =
        match compression(&prefix) {
            Compression::Unsupported(what) => {
                return Reader::error(SourceError::new(
                    origin,
                    SourceErrorKind::Unsupported,
                    format!("{what}-compressed input is not supported; decompress it or use gzip"),
                ))
            }
            Compression::None => (raw, prefix, name, false),
            Compression::Gzip => {
                let compressed =
                    BufReader::with_capacity(READ_BUFFER_BYTES, Cursor::new(prefix).chain(raw));
                let mut decoder: Box<dyn Read + Send> =
                    Box::new(flate2::bufread::MultiGzDecoder::new(compressed));
                let inner = match read_prefix(&mut decoder) {
                    Ok(p) => p,
                    Err(err) => return Reader::error(SourceError::from_io(origin, &err, true)),
                };
                let inner_name = name
                    .strip_suffix(".gz")
                    .or_else(|| name.strip_suffix(".gzip"))
                    .or_else(|| name.strip_suffix(".GZ"))
                    .unwrap_or(name);
                (decoder, inner, inner_name, true)
            }
        };
    if prefix.iter().all(u8::is_ascii_whitespace) && prefix.len() < SNIFF_BYTES {
        return Reader::error(SourceError::new(
            origin,
            SourceErrorKind::Empty,
            "empty (no content)",
        ));
    }
    let kind = input_kind(&prefix, name);
    if matches!(kind, InputKind::Html | InputKind::Text) {
        if let Some(what) = binary_reason(&prefix) {
            return Reader::error(SourceError::new(
                origin,
                SourceErrorKind::Binary,
                format!("not text: {what}"),
            ));
        }
    }
    let whole: Stream = Box::new(BufReader::with_capacity(
        READ_BUFFER_BYTES,
        Cursor::new(prefix).chain(stream),
    ));
    match kind {
        InputKind::Warc => Reader::Warc(Box::new(WarcReader::new(
            whole,
            origin,
            site,
            opts.clone(),
            gzip,
        ))),
        InputKind::Jsonl => Reader::Jsonl(Box::new(JsonlReader::new(
            whole,
            origin,
            site,
            opts.max_line_bytes,
            gzip,
        ))),
        InputKind::Html | InputKind::Text => {
            stream = whole;
            let limit = u64::try_from(opts.max_page_bytes)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let mut bytes = Vec::new();
            if let Err(err) = stream.take(limit).read_to_end(&mut bytes) {
                return Reader::error(SourceError::from_io(origin, &err, gzip));
            }
            if bytes.len() > opts.max_page_bytes {
                return Reader::error(SourceError::new(
                    origin,
                    SourceErrorKind::TooLarge,
                    format!("over the {} byte page limit; skipped", opts.max_page_bytes),
                ));
            }
            let format = if kind == InputKind::Html {
                PageFormat::Html
            } else {
                PageFormat::Text
            };
            let meta = PageMeta {
                origin,
                site_fallback: site,
                ..PageMeta::default()
            };
            Reader::Single(Some(page_from_bytes(
                &bytes,
                FormatHint::Known(format),
                None,
                meta,
            )))
        }
    }
}
