//! Output helpers shared by the commands: the `--format` flag, JSON lines
//! on a buffered stdout, and progress bars that appear only on a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, BufWriter, Write};

/// The `--format` of a command whose output is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// A buffered, locked stdout.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(1 << 16, io::stdout().lock())
}

/// Writes `value` as one line of JSON.
pub fn write_json_line<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Prints a listing on stdout, one row per line: a JSON object each, or the
/// command's own text line; then flushes. The listing commands (`rasd
/// stories`, `entities`, `quotes`, `topics`) differ only in their rows.
pub fn write_rows<T: serde::Serialize>(
    format: Format,
    rows: &[T],
    text_line: impl Fn(&mut dyn Write, &T) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = stdout();
    for row in rows {
        match format {
            Format::Json => write_json_line(&mut out, row)?,
            Format::Text => text_line(&mut out, row)?,
        }
    }
    out.flush()
}

/// Whether an error is stdout closing under us (`rasd … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A progress bar over `len` items (or a spinner when `len` is unknown),
/// hidden when progress is off.
pub fn progress(enabled: bool, len: Option<u64>, what: &'static str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template(
                "{spinner} {prefix} [{bar:30}] {pos}/{len} ({per_sec}, eta {eta}) {msg}",
            )
            .expect("static template")
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {prefix} {pos} ({per_sec}) {msg}")
                .expect("static template"),
        ),
    };
    bar.set_prefix(what);
    bar
}
