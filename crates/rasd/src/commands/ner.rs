//! `rasd ner`: tag named entities in CoNLL input with the embedded model.
//!
//! In: one token per line (first column; other columns are ignored), a
//! blank line between sentences. Out: `token TAB BIO-tag`, a blank line
//! after each sentence. Tags are always valid BIO. Sentences are tagged in
//! windows of consecutive sentences, as parts of one document.

use crate::{output, Globals, Outcome};
use anyhow::Context;
use rasd_facts::model::DOCUMENT_WINDOW;
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
    let sentences =
        conll::parse(&text, false).with_context(|| format!("parsing {}", args.conll.display()))?;
    let model = Model::embedded();
    let bar = output::progress(globals.progress, Some(sentences.len() as u64), "ner");
    let mut out = output::stdout();
    let mut buf = String::new();
    // Consecutive sentences are tagged together so a name found in one is
    // found in its neighbours too (see `Model::tag_document`).
    for window in sentences.chunks(DOCUMENT_WINDOW) {
        let tokens: Vec<Vec<String>> = window.iter().map(|s| s.tokens.clone()).collect();
        buf.clear();
        for (sentence, tags) in tokens.iter().zip(model.tag_document(&tokens)) {
            conll::write_tagged(&mut buf, sentence, &tags);
        }
        out.write_all(buf.as_bytes())?;
        bar.inc(window.len() as u64);
    }
    bar.finish_and_clear();
    out.flush()?;
    Ok(Outcome::Success)
}
