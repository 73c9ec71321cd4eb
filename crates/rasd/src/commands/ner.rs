//! `rasd ner`: tag named entities in CoNLL input with the embedded model.
//!
//! In: one token per line (first column; other columns are ignored), a
//! blank line between sentences. Out: `token TAB BIO-tag`, a blank line
//! after each sentence. Tags are always valid BIO.

use crate::{output, Globals, Outcome};
use anyhow::Context;
use rasd_facts::{conll, Model};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Tag named entities (PERS, LOC, ORG, MISC) in CoNLL input.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CoNLL file to tag (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub conll: PathBuf,
}

/// Reads a file, or standard input for `-`, as UTF-8 (invalid bytes replaced).
pub(crate) fn read_input(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let text = read_input(&args.conll)?;
    let sentences = conll::parse(&text, false)
        .with_context(|| format!("parsing {}", args.conll.display()))?;
    let model = Model::embedded();
    let bar = output::progress(globals.progress, Some(sentences.len() as u64), "ner");
    let mut out = output::stdout();
    let mut buf = String::new();
    for sentence in &sentences {
        buf.clear();
        let tags = model.tag(&sentence.tokens);
        conll::write_tagged(&mut buf, &sentence.tokens, &tags);
        out.write_all(buf.as_bytes())?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    out.flush()?;
    Ok(Outcome::Success)
}
